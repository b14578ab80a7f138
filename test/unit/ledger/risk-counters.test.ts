import { describe, expect, it } from "vitest";
import { riskClauses, withRiskClauses } from "../../../lib/ledger/risk-counters.js";

const NOW = Date.UTC(2026, 11, 3, 12, 0, 30);
const MINUTE = Math.floor(NOW / 60_000);

describe("risk counters in the source's debit", () => {
  it("counts the day and month, removes the windows before, and names only values it uses", () => {
    const clauses = riskClauses(700, {
      guards: [{ counter: "day", max: 9_300 }],
      trackMinute: false,
      nowMs: NOW,
    });
    expect(clauses).toEqual({
      set: [],
      add: ["#rk_day :rk_amount", "#rk_month :rk_amount"],
      remove: [
        "#rk_day_stale0",
        "#rk_day_stale1",
        "#rk_day_stale2",
        "#rk_day_stale3",
        "#rk_day_stale4",
        "#rk_day_stale5",
        "#rk_month_stale0",
        "#rk_month_stale1",
      ],
      conditions: ["(attribute_not_exists(#rk_day) OR #rk_day <= :rk_max_day)"],
      names: {
        "#rk_day": "rk_d20261203",
        "#rk_day_stale0": "rk_d20261202",
        "#rk_day_stale1": "rk_d20261201",
        "#rk_day_stale2": "rk_d20261130",
        "#rk_day_stale3": "rk_d20261129",
        "#rk_day_stale4": "rk_d20261128",
        "#rk_day_stale5": "rk_d20261127",
        "#rk_month": "rk_m202612",
        "#rk_month_stale0": "rk_m202611",
        "#rk_month_stale1": "rk_m202610",
      },
      values: { ":rk_amount": 700, ":rk_max_day": 9_300 },
    });
    expect(withRiskClauses({ set: ["balance = balance - :amount"] }, clauses)).toBe(
      "SET balance = balance - :amount ADD #rk_day :rk_amount, #rk_month :rk_amount REMOVE " +
        "#rk_day_stale0, #rk_day_stale1, #rk_day_stale2, #rk_day_stale3, #rk_day_stale4, #rk_day_stale5, " +
        "#rk_month_stale0, #rk_month_stale1",
    );
  });

  it("counts the minute's payments in one tagged count under a velocity rule, only while the tag is this minute", () => {
    const clauses = riskClauses(1, {
      guards: [{ counter: "minute", max: 4 }],
      trackMinute: true,
      nowMs: NOW,
    });
    expect(clauses.set).toEqual(["#rk_minute_at = :rk_minute_at"]);
    expect(clauses.add).toEqual(["#rk_day :rk_amount", "#rk_month :rk_amount", "#rk_minute :rk_one"]);
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
      guards: [{ counter: "minute", max: 4, restartFrom: MINUTE - 3 }],
      trackMinute: true,
      nowMs: NOW,
    });
    expect(clauses.set).toEqual(["#rk_minute_at = :rk_minute_at", "#rk_minute = :rk_one"]);
    expect(clauses.add).toEqual(["#rk_day :rk_amount", "#rk_month :rk_amount"]);
    expect(clauses.conditions).toEqual(["#rk_minute_at = :rk_minute_seen"]);
    expect(clauses.values).toEqual({
      ":rk_amount": 1,
      ":rk_one": 1,
      ":rk_minute_at": MINUTE,
      ":rk_minute_seen": MINUTE - 3,
    });
    expect(withRiskClauses({ add: ["held :unheld"] }, clauses)).toMatch(
      /^SET #rk_minute_at = :rk_minute_at, #rk_minute = :rk_one ADD held :unheld, #rk_day :rk_amount, #rk_month :rk_amount REMOVE /,
    );
  });
});
