import { describe, expect, it } from "vitest";
import { riskClauses } from "../../../lib/ledger/risk-counters.js";

const NOW = Date.UTC(2026, 11, 3, 12, 0, 30);
const MINUTE = Math.floor(NOW / 60_000);

describe("risk counters in the source's debit", () => {
  it("counts the day and month, removes the windows just before, and names only values it uses", () => {
    expect(
      riskClauses(700, { guards: [{ counter: "day", max: 9_300 }], trackMinute: false, nowMs: NOW }),
    ).toEqual({
      add: ["#rk_day :rk_amount", "#rk_month :rk_amount"],
      remove: ["#rk_day_stale0", "#rk_day_stale1", "#rk_month_stale0"],
      conditions: ["(attribute_not_exists(#rk_day) OR #rk_day <= :rk_max_day)"],
      names: {
        "#rk_day": "rk_d20261203",
        "#rk_day_stale0": "rk_d20261202",
        "#rk_day_stale1": "rk_d20261201",
        "#rk_month": "rk_m202612",
        "#rk_month_stale0": "rk_m202611",
      },
      values: { ":rk_amount": 700, ":rk_max_day": 9_300 },
    });
  });

  it("counts the minute's payments under a velocity rule", () => {
    const clauses = riskClauses(1, {
      guards: [{ counter: "minute", max: 4 }],
      trackMinute: true,
      nowMs: NOW,
    });
    expect(clauses.add).toEqual(["#rk_day :rk_amount", "#rk_month :rk_amount", "#rk_minute :rk_one"]);
    expect(clauses.names["#rk_minute"]).toBe(`rk_v${MINUTE}`);
    expect(clauses.values).toEqual({ ":rk_amount": 1, ":rk_one": 1, ":rk_max_minute": 4 });
  });
});
