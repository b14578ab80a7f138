import { describe, expect, it } from "vitest";
import { isIdOf, newId } from "../../../lib/domain/ids.js";

describe("ids", () => {
  it("prefixes ids with their kind and keeps a 26-character body", () => {
    const id = newId("payment", 1_700_000_000_000);
    expect(id).toMatch(/^pay_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isIdOf("payment", id)).toBe(true);
    expect(isIdOf("account", id)).toBe(false);
  });

  it("sorts ids by creation time", () => {
    const older = newId("account", 1_700_000_000_000);
    const newer = newId("account", 1_700_000_000_001);
    expect(older < newer).toBe(true);
  });

  it("rejects ids with characters outside the alphabet", () => {
    expect(isIdOf("account", "acct_01KAAAAAAAAAAAAAAAAAAAAAAI")).toBe(false);
    expect(isIdOf("account", "acct_short")).toBe(false);
  });
});
