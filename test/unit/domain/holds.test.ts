import { describe, expect, it } from "vitest";
import { inactiveReason, isActive, placeHold, toHoldResource } from "../../../lib/domain/holds.js";

const order = {
  id: "hold_1",
  merchantId: "mer_A",
  source: "acct_S",
  destination: "acct_D",
  amount: 500,
  currency: "USD",
  now: 1_000_000,
};

describe("holds", () => {
  it("expires 7 days after creation unless expires_at says otherwise", () => {
    expect(placeHold(order).expiresAt).toBe(1_000 + 7 * 86_400);
    expect(placeHold({ ...order, expiresAt: "1970-01-02T00:00:00Z" }).expiresAt).toBe(86_400);
  });

  it("is active only while held and before its expiry", () => {
    const hold = placeHold(order);
    expect(isActive(hold, hold.expiresAt - 1)).toBe(true);
    expect(isActive(hold, hold.expiresAt)).toBe(false);
    for (const status of ["captured", "voided", "expired"] as const) {
      expect(isActive({ ...hold, status }, 0)).toBe(false);
      expect(inactiveReason({ ...hold, status }, 0)).toBe(`The hold is ${status}; it accepts nothing else.`);
    }
    expect(inactiveReason(hold, hold.expiresAt)).toBe("The hold has expired.");
  });

  it("shows a new hold as held with nothing captured", () => {
    expect(toHoldResource(placeHold({ ...order, metadata: { order: "1" } }))).toEqual({
      id: "hold_1",
      object: "hold",
      livemode: false,
      status: "held",
      amount: 500,
      amount_captured: 0,
      currency: "USD",
      source: "acct_S",
      destination: "acct_D",
      payment: null,
      description: null,
      metadata: { order: "1" },
      expires_at: 1_000 + 7 * 86_400,
      created_at: 1_000,
    });
  });

  it("says a hold placed with a live key is live", () => {
    expect(toHoldResource(placeHold({ ...order, merchantId: "mer_1.live" })).livemode).toBe(true);
  });
});
