import { describe, expect, it } from "vitest";
import { maskSecretKey, presentedKey } from "../../../lib/domain/api-keys.js";

describe("maskSecretKey", () => {
  it("keeps the mode prefix and the last four characters only", () => {
    expect(maskSecretKey("sk_test_abcdefghijklmnopwxyz")).toBe("sk_test_****wxyz");
    expect(maskSecretKey("sk_live_abcdefghijklmnopwxyz")).toBe("sk_live_****wxyz");
  });
  it("shows nothing of a short value", () => {
    expect(maskSecretKey("sk_test_short")).toBe("sk_test_****");
    expect(maskSecretKey("hunter2")).toBe("****");
  });
});

describe("presentedKey", () => {
  const key = "sk_test_abcdefghijklmnopwxyz";
  it("reads Bearer and Basic (key as user name, empty password)", () => {
    expect(presentedKey(`Bearer ${key}`)).toEqual({ kind: "key", secret: key });
    expect(presentedKey(`bearer ${key}`)).toEqual({ kind: "key", secret: key });
    expect(presentedKey(`Basic ${Buffer.from(`${key}:`).toString("base64")}`)).toEqual({
      kind: "key",
      secret: key,
    });
    expect(presentedKey(`Basic ${Buffer.from(key).toString("base64")}`)).toEqual({
      kind: "key",
      secret: key,
    });
  });
  it("recognizes a bare key and refuses anything else", () => {
    expect(presentedKey(key)).toEqual({ kind: "no_scheme", secret: key });
    expect(presentedKey(`Basic ${Buffer.from(":password").toString("base64")}`)).toEqual({
      kind: "unreadable",
    });
    expect(presentedKey("Token abc")).toEqual({ kind: "unreadable" });
  });
});
