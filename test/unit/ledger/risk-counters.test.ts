import { describe, expect, it } from "vitest";
import { bucketName } from "../../../lib/domain/risk/windows.js";
import { riskClauses, withRiskClauses } from "../../../lib/ledger/risk-counters.js";

const NOW = Date.UTC(2026, 11, 3, 12, 0, 30);
const MINUTE = Math.floor(NOW / 60_000);
const HOUR = Math.floor(NOW / 3_600_000);
const none = { guards: [], trackMinute: false, trackDay: false, nowMs: NOW };

describe("risk counters in the source's debit", () => {
  it("always counts the calendar pair and the month, removes the windows before, and stops the ring", () => {
    const clauses = riskClauses(700, none);
    expect(clauses).toEqual({
      set: [],
      add: ["#rk_pair :rk_amount", "#rk_next_pair :rk_amount", "#rk_month :rk_amount"],
      remove: [
        "#rk_pair_stale0",
        "#rk_pair_stale1",
        "#rk_pair_stale2",
        "#rk_pair_stale3",
        "#rk_pair_stale4",
        "#rk_pair_stale5",
        "#rk_month_stale0",
        "#rk_month_stale1",
        "#rk_ring_at",
      ],
      conditions: [],
      names: {
        "#rk_pair": "rk_p20261203",
        "#rk_next_pair": "rk_p20261204",
        "#rk_month": "rk_m202612",
        "#rk_pair_stale0": "rk_p20261202",
        "#rk_pair_stale1": "rk_p20261201",
        "#rk_pair_stale2": "rk_p20261130",
        "#rk_pair_stale3": "rk_p20261129",
        "#rk_pair_stale4": "rk_p20261128",
        "#rk_pair_stale5": "rk_p20261127",
        "#rk_month_stale0": "rk_m202611",
        "#rk_month_stale1": "rk_m202610",
        "#rk_ring_at": "rk_rt",
      },
      values: { ":rk_amount": 700 },
    });
    expect(withRiskClauses({ set: ["balance = balance - :amount"] }, clauses)).toMatch(
      /^SET balance = balance - :amount ADD #rk_pair :rk_amount, #rk_next_pair :rk_amount, #rk_month :rk_amount REMOVE #rk_pair_stale0, .*#rk_ring_at$/,
    );
  });

  it("guards the month on its counter", () => {
    const clauses = riskClauses(700, { ...none, guards: [{ counter: "month", max: 9_300 }] });
    expect(clauses.conditions).toEqual(["(attribute_not_exists(#rk_month) OR #rk_month <= :rk_max_month)"]);
    expect(clauses.values).toEqual({ ":rk_amount": 700, ":rk_max_month": 9_300 });
  });

  it("adds to this hour's bucket without a read while the ring is at this hour, guarded on its sum or the pair", () => {
    const clauses = riskClauses(700, { ...none, trackDay: true, guards: [{ counter: "day", max: 7_299 }] });
    expect(clauses.add).toEqual([
      "#rk_pair :rk_amount",
      "#rk_next_pair :rk_amount",
      "#rk_month :rk_amount",
      "#rk_bucket :rk_amount",
      "#rk_ring_sum :rk_amount",
    ]);
    expect(clauses.conditions).toEqual([
      "#rk_ring_at = :rk_hour",
      "((#rk_ring_start <= :rk_day_old AND #rk_ring_sum <= :rk_max_day) OR #rk_pair <= :rk_max_day)",
    ]);
    expect(clauses.names).toMatchObject({
      "#rk_bucket": bucketName(HOUR),
      "#rk_ring_sum": "rk_r",
      "#rk_ring_at": "rk_rt",
      "#rk_ring_start": "rk_rs",
    });
    expect(clauses.values).toEqual({
      ":rk_amount": 700,
      ":rk_hour": HOUR,
      ":rk_day_old": HOUR - 24,
      ":rk_max_day": 7_299,
    });
    expect(clauses.remove).not.toContain("#rk_ring_at");
  });

  it("brings the ring to this hour after a read: empties the buckets that left, takes their sum off, guards the exact room", () => {
    const ring = {
      hour: HOUR,
      tag: HOUR - 2,
      expired: [
        { name: bucketName(HOUR - 1), seen: 0 },
        { name: bucketName(HOUR), seen: 300 },
      ],
      sumSeen: 1_000,
      used: 700,
    };
    const clauses = riskClauses(500, {
      ...none,
      trackDay: true,
      guards: [{ counter: "day", max: 9_500, ring }],
    });
    expect(clauses.set).toEqual(["#rk_ring_at = :rk_hour", "#rk_bucket = :rk_amount"]);
    expect(clauses.add.slice(3)).toEqual(["#rk_ring_sum :rk_ring_delta"]);
    expect(clauses.remove.slice(-1)).toEqual(["#rk_expired0"]);
    expect(clauses.names["#rk_expired0"]).toBe(bucketName(HOUR - 1));
    expect(clauses.conditions).toEqual([
      "#rk_ring_at = :rk_ring_seen_at",
      "(attribute_not_exists(#rk_ring_sum) OR #rk_ring_sum <= :rk_max_day)",
    ]);
    // 700 used of a 10,000 limit leaves 9,300 with this payment; the sum read was 1,000.
    expect(clauses.values).toMatchObject({
      ":rk_ring_seen_at": HOUR - 2,
      ":rk_ring_delta": 200,
      ":rk_max_day": 1_000 + 9_500 - 700,
    });
  });

  it("adds to this hour's bucket after a read of a ring already at this hour, naming only values it uses", () => {
    const ring = { hour: HOUR, tag: HOUR, expired: [], sumSeen: 4_000, used: 4_000 };
    const clauses = riskClauses(500, {
      ...none,
      trackDay: true,
      guards: [{ counter: "day", max: 9_500, ring }],
    });
    expect(clauses.set).toEqual([]);
    expect(clauses.add.slice(3)).toEqual(["#rk_bucket :rk_amount", "#rk_ring_sum :rk_amount"]);
    expect(clauses.conditions).toEqual([
      "#rk_ring_at = :rk_ring_seen_at",
      "(attribute_not_exists(#rk_ring_sum) OR #rk_ring_sum <= :rk_max_day)",
    ]);
    // DynamoDB refuses an expression attribute value the expression does not use (:rk_hour here).
    expect(clauses.values).toEqual({ ":rk_amount": 500, ":rk_ring_seen_at": HOUR, ":rk_max_day": 9_500 });
  });

  it("starts a new ring after a read, clearing leftovers, guarded on the calendar pair it is judged on", () => {
    const ring = {
      hour: HOUR,
      tag: null,
      expired: [{ name: bucketName(HOUR + 3), seen: 40 }],
      sumSeen: 40,
      used: 2_000,
    };
    const clauses = riskClauses(500, {
      ...none,
      trackDay: true,
      guards: [{ counter: "day", max: 9_500, ring }],
    });
    expect(clauses.set).toEqual([
      "#rk_ring_at = :rk_hour",
      "#rk_ring_start = :rk_hour",
      "#rk_ring_sum = :rk_amount",
      "#rk_bucket = :rk_amount",
    ]);
    expect(clauses.remove.slice(-1)).toEqual(["#rk_expired0"]);
    expect(clauses.conditions).toEqual([
      "attribute_not_exists(#rk_ring_at)",
      "(attribute_not_exists(#rk_pair) OR #rk_pair <= :rk_max_day)",
    ]);
    expect(clauses.values[":rk_max_day"]).toBe(9_500);
  });

  it("counts the minute's payments in one tagged count under a velocity rule, only while the tag is this minute", () => {
    const clauses = riskClauses(1, { ...none, guards: [{ counter: "minute", max: 4 }], trackMinute: true });
    expect(clauses.set).toEqual(["#rk_minute_at = :rk_minute_at"]);
    expect(clauses.add.slice(3)).toEqual(["#rk_minute :rk_one"]);
    expect(clauses.conditions).toEqual([
      "(attribute_not_exists(#rk_minute_at) OR #rk_minute_at = :rk_minute_at)",
      "(attribute_not_exists(#rk_minute) OR #rk_minute <= :rk_max_minute)",
    ]);
    expect([clauses.names["#rk_minute"], clauses.names["#rk_minute_at"]]).toEqual(["rk_v", "rk_vm"]);
    expect(clauses.values).toEqual({
      ":rk_amount": 1,
      ":rk_one": 1,
      ":rk_minute_at": MINUTE,
      ":rk_max_minute": 4,
    });
  });

  it("starts a stale minute's count again at 1, conditioned on the tag it read", () => {
    const clauses = riskClauses(1, {
      ...none,
      guards: [{ counter: "minute", max: 4, restartFrom: MINUTE - 3 }],
      trackMinute: true,
    });
    expect(clauses.set).toEqual(["#rk_minute_at = :rk_minute_at", "#rk_minute = :rk_one"]);
    expect(clauses.add).toEqual(["#rk_pair :rk_amount", "#rk_next_pair :rk_amount", "#rk_month :rk_amount"]);
    expect(clauses.conditions).toEqual(["#rk_minute_at = :rk_minute_seen"]);
    expect(clauses.values).toEqual({
      ":rk_amount": 1,
      ":rk_one": 1,
      ":rk_minute_at": MINUTE,
      ":rk_minute_seen": MINUTE - 3,
    });
    expect(withRiskClauses({ add: ["held :unheld"] }, clauses)).toMatch(
      /^SET #rk_minute_at = :rk_minute_at, #rk_minute = :rk_one ADD held :unheld, #rk_pair :rk_amount, /,
    );
  });
});
