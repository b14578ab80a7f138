import { describe, expect, it } from "vitest";
import { typeMatches } from "../../../lib/domain/events.js";
import { idAfterTime, idTimeMs, newId } from "../../../lib/domain/ids.js";
import {
  assertEndpointUrl,
  DEFAULT_RETRY_POLICY,
  failingTooLong,
  nextAttemptAt,
  signingSecrets,
} from "../../../lib/domain/webhooks.js";

describe("webhook retry schedule", () => {
  it("doubles from 1 minute, caps at 12 hours, and lands the last attempt exactly 3 days after the first", () => {
    const first = 1_000_000;
    let now = first;
    const delays: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const next = nextAttemptAt(DEFAULT_RETRY_POLICY, attempt, first, now);
      if (next === null) break;
      delays.push(next - now);
      now = next;
    }
    expect(delays.slice(0, 11)).toEqual([60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 30720, 43200]);
    expect(now).toBe(first + 3 * 24 * 3600);
    expect(delays.every((delay) => delay <= 12 * 3600)).toBe(true);
    expect(delays.length).toBe(15); // 16 attempts in all
  });

  it("says an endpoint failing for the whole give-up period is failing too long, and not a second earlier", () => {
    expect(failingTooLong(DEFAULT_RETRY_POLICY, 100, 100 + 3 * 24 * 3600)).toBe(true);
    expect(failingTooLong(DEFAULT_RETRY_POLICY, 100, 99 + 3 * 24 * 3600)).toBe(false);
    expect(failingTooLong(DEFAULT_RETRY_POLICY, null, 10 ** 9)).toBe(false);
  });
});

describe("webhook endpoint rules", () => {
  it("accepts http to localhost in test mode and demands public https in live mode", () => {
    expect(() => assertEndpointUrl("http://localhost:4242/hooks", false)).not.toThrow();
    expect(() => assertEndpointUrl("https://example.com/hooks", true)).not.toThrow();
    expect(() => assertEndpointUrl("http://example.com/hooks", true)).toThrow(/https/);
    expect(() => assertEndpointUrl("https://localhost/hooks", true)).toThrow(/public/);
    expect(() => assertEndpointUrl("ftp://example.com", false)).toThrow(/http or https/);
    expect(() => assertEndpointUrl("https://user:pw@example.com", false)).toThrow(/credentials/);
  });

  it("signs with the current secret and a rotated one until it expires", () => {
    const endpoint = {
      secrets: [
        { secret: "whsec_new", expiresAt: null },
        { secret: "whsec_old", expiresAt: 2_000 },
      ],
    };
    expect(signingSecrets(endpoint, 1_999)).toEqual(["whsec_new", "whsec_old"]);
    expect(signingSecrets(endpoint, 2_000)).toEqual(["whsec_new"]);
  });

  it("matches event types exactly, by family, or all", () => {
    expect(typeMatches("*", "batch.item.failed")).toBe(true);
    expect(typeMatches("batch.*", "batch.item.failed")).toBe(true);
    expect(typeMatches("payment.*", "batch.item.failed")).toBe(false);
    expect(typeMatches("payment.failed", "payment.failed")).toBe(true);
    expect(typeMatches("payment.failed", "payment.succeeded")).toBe(false);
  });
});

describe("event ids and the read horizon", () => {
  it("reads back the millisecond an id was stamped, and sorts ids before and after a horizon around it", () => {
    const ms = Date.UTC(2026, 11, 2, 18, 0, 0, 123);
    const id = newId("event", ms);
    expect(idTimeMs(id)).toBe(ms);
    expect(id < idAfterTime("event", ms)).toBe(true);
    expect(id > idAfterTime("event", ms - 1)).toBe(true);
  });
});
