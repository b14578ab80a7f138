import { describe, expect, it } from "vitest";
import { judgeRelease, outflowRules } from "../../../lib/batches/release-rules.js";
import { riskRule } from "../../support/risk-rules.js";

const NOON = Date.UTC(2026, 11, 3, 12, 0, 0);

const rule = riskRule;

const daily = rule({ type: "daily_outflow", amount: 100_000 });
const monthly = rule({ type: "monthly_outflow", amount: 1_000_000, action: "review" });

describe("a batch's release under the outflow rules", () => {
  it("keeps only the daily and monthly outflow rules: item rules and velocity do not judge the total", () => {
    const rules = [
      rule({ type: "amount", amount: 10 }),
      daily,
      rule({ type: "velocity", count: 1 }),
      monthly,
      rule({ type: "new_destination", amount: 10, hours: 24 }),
      rule({ type: "blocked_destinations", destinations: ["acct_x"] }),
    ];
    expect(outflowRules(rules).map((r) => r.type)).toEqual(["daily_outflow", "monthly_outflow"]);
  });

  it("passes a total far from every limit without a read, guarding the windows below 80%", () => {
    // 80% of 100,000 is 80,000: the day's counter may hold at most 80,000 - 1 - 30,000 before it.
    expect(judgeRelease([daily, monthly], 30_000, NOON)).toEqual({
      kind: "pass",
      risk: {
        guards: [
          { counter: "day", max: 49_999 },
          { counter: "month", max: 769_999 },
        ],
        trackMinute: false,
        trackDay: true,
        nowMs: NOON,
      },
    });
    // No rule: nothing guarded, the total still counted into the windows.
    expect(judgeRelease([], 30_000, NOON)).toEqual({
      kind: "pass",
      risk: { guards: [], trackMinute: false, trackDay: false, nowMs: NOON },
    });
  });

  it("asks for the counters when the total alone reaches 80% of a limit, then guards the exact limit", () => {
    expect(judgeRelease([daily], 80_000, NOON)).toEqual({ kind: "read" });
    const hour = Math.floor(NOON / 3_600_000);
    // A ring that covers the day, at this hour, holding 15,000.
    const source = { pk: "acct_src", rk_rt: hour, rk_rs: hour - 30, rk_r: 15_000, rk_h0: 15_000 };
    expect(judgeRelease([daily], 80_000, NOON, source)).toEqual({
      kind: "pass",
      risk: {
        guards: [
          {
            counter: "day",
            max: 20_000,
            ring: { hour, tag: hour, expired: [], sumSeen: 15_000, used: 15_000 },
          },
        ],
        trackMinute: false,
        trackDay: true,
        nowMs: NOON,
      },
    });
    // Exactly the room left passes; one unit more is refused with the rule's code.
    expect(judgeRelease([daily], 85_000, NOON, source).kind).toBe("pass");
    expect(judgeRelease([daily], 85_001, NOON, source)).toEqual({
      kind: "broken",
      code: "daily_limit_exceeded",
    });
    // A source read and absent holds nothing yet.
    expect(judgeRelease([daily], 100_000, NOON, null).kind).toBe("pass");
  });

  it("refuses a total above a review rule too, with the rule's code, and one above a limit outright", () => {
    const source = { pk: "acct_src", rk_m202612: 990_000 };
    expect(judgeRelease([monthly], 10_001, NOON, source)).toEqual({
      kind: "broken",
      code: "monthly_limit_exceeded",
    });
    expect(judgeRelease([daily], 100_001, NOON)).toEqual({ kind: "broken", code: "daily_limit_exceeded" });
    // Without a ring that covers a day, today's and yesterday's calendar outflow is what counts.
    expect(judgeRelease([daily], 1, NOON, { pk: "acct_src", rk_p20261203: 100_000 }).kind).toBe("broken");
    expect(judgeRelease([daily], 100_000, NOON, { pk: "acct_src", rk_p20261202: 100_000 }).kind).toBe("pass");
  });
});
