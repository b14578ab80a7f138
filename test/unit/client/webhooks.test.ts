import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constructEvent, hmacSha256Hex, WebhookSignatureError } from "../../../client/webhooks.js";
import { signatureHeader } from "../../../lib/webhooks/signature.js";

const SECRET = "whsec_test_secret";
const BODY = JSON.stringify({
  id: "evt_1",
  object: "event",
  type: "payment.succeeded",
  data: { object: {} },
});

describe("the client's HMAC-SHA256", () => {
  it("equals node:crypto's for any key and message, including keys longer than a block", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 300 }), (key, message) => {
        expect(hmacSha256Hex(key, message)).toBe(createHmac("sha256", key).update(message).digest("hex"));
      }),
      { numRuns: 300 },
    );
  });
});

describe("constructEvent", () => {
  const t = 1_767_225_600;

  it("returns the event for a header signed by the server's signer", () => {
    const header = signatureHeader([SECRET], t, BODY);
    expect(constructEvent(BODY, header, SECRET, 300, t)).toEqual(JSON.parse(BODY));
    expect(constructEvent(new TextEncoder().encode(BODY), header, SECRET, 300, t + 300).id).toBe("evt_1");
  });

  it("accepts either secret while two are signing (rotation)", () => {
    const header = signatureHeader(["whsec_new", SECRET], t, BODY);
    expect(constructEvent(BODY, header, "whsec_new", 300, t).id).toBe("evt_1");
    expect(constructEvent(BODY, header, SECRET, 300, t).id).toBe("evt_1");
    expect(() => constructEvent(BODY, header, "whsec_other", 300, t)).toThrow(WebhookSignatureError);
  });

  it("refuses a wrong secret, a changed body, a changed timestamp, an old or future timestamp, and junk headers", () => {
    const header = signatureHeader([SECRET], t, BODY);
    expect(() => constructEvent(BODY, header, "whsec_wrong", 300, t)).toThrow(/No signature matches/);
    expect(() => constructEvent(`${BODY} `, header, SECRET, 300, t)).toThrow(/No signature matches/);
    expect(() => constructEvent(BODY, header.replace(`t=${t}`, `t=${t + 1}`), SECRET, 300, t)).toThrow(
      /No signature matches/,
    );
    expect(() => constructEvent(BODY, header, SECRET, 300, t + 301)).toThrow(/tolerance/);
    expect(() => constructEvent(BODY, header, SECRET, 300, t - 301)).toThrow(/tolerance/);
    expect(() => constructEvent(BODY, "", SECRET, 300, t)).toThrow(/No Payrail-Signature/);
    expect(() => constructEvent(BODY, `t=${t}`, SECRET, 300, t)).toThrow(/at least one v1/);
    expect(() => constructEvent(BODY, "v1=abc", SECRET, 300, t)).toThrow(/at least one v1/);
  });
});
