import { describe, expect, it } from "vitest";
import { allowedMethods } from "../../../lib/http/routes.js";

describe("route table", () => {
  it("lists the methods a known path accepts", () => {
    expect(allowedMethods("/v1/payments")).toEqual(["POST", "GET"]);
    expect(allowedMethods("/v1/payments/pay_123")).toEqual(["GET"]);
    expect(allowedMethods("/v1/batches/bat_1/cancel")).toEqual(["POST"]);
    expect(allowedMethods("/v1/accounts/")).toEqual(["POST", "GET"]);
  });

  it("knows nothing of unknown paths", () => {
    expect(allowedMethods("/v2/payments")).toEqual([]);
    expect(allowedMethods("/v1/payments/pay_1/refunds")).toEqual([]);
  });
});
