import { describe, expect, it } from "vitest";
import { evaluateRisk } from "../../../lib/domain/risk/evaluate.js";
import { applicableRules, type RiskRule, ruleFrom } from "../../../lib/domain/risk/rules.js";
import { scoreRisk } from "../../../lib/domain/risk/score.js";
import {
  bucketName,
  ringFrom,
  sourceCounters,
  staleMinuteOf,
  windowsAt,
} from "../../../lib/domain/risk/windows.js";
import { RULE_OWNER, riskRule } from "../../support/risk-rules.js";

// 2026-12-03T12:00:00Z: midday, so the night signal stays out unless a test asks for it.
const NOON = Date.UTC(2026, 11, 3, 12, 0, 0);
const NIGHT = Date.UTC(2026, 11, 3, 3, 30, 0);
const OWNER = RULE_OWNER;

const rule = riskRule;

const facts = (amount: number, extra: Partial<Parameters<typeof evaluateRisk>[1]> = {}) => ({
  amount,
  destination: "acct_dest",
  nowMs: NOON,
  ...extra,
});

describe("risk rules: which apply", () => {
  it("applies the owner's rules for every source or this source, in the payment's currency only", () => {
    const rules = [
      rule({ type: "amount", id: "rr_all", amount: 10 }),
      rule({ type: "amount", id: "rr_mine", account: "acct_a", amount: 10 }),
      rule({ type: "amount", id: "rr_other", account: "acct_b", amount: 10 }),
      rule({ type: "amount", id: "rr_eur", currency: "EUR", amount: 10 }),
      rule({ type: "amount", id: "rr_live", merchantId: `${OWNER}.live`, amount: 10 }),
      rule({ type: "velocity", id: "rr_velocity", currency: null, count: 5 }),
    ];
    const applied = applicableRules(rules, { merchantId: OWNER, source: "acct_a", currency: "USD" });
    expect(applied.map((r) => r.id)).toEqual(["rr_all", "rr_mine", "rr_velocity"]);
  });

  it("builds a rule from a request with decline as the default action and a deduplicated deny list", () => {
    expect(
      ruleFrom(
        { type: "blocked_destinations", destinations: ["acct_x", "acct_x", "acct_y"] },
        "rr_1",
        OWNER,
        NOON,
      ),
    ).toEqual({
      id: "rr_1",
      merchantId: OWNER,
      type: "blocked_destinations",
      action: "decline",
      account: null,
      amount: null,
      currency: null,
      count: null,
      hours: null,
      destinations: ["acct_x", "acct_y"],
      createdAt: NOON / 1000,
    });
  });
});

describe("risk engine", () => {
  it("passes a payment far from a daily limit without a read, guarding the counter below 80%", () => {
    const decision = evaluateRisk([rule({ type: "daily_outflow", amount: 10_000 })], facts(1_000));
    // used < 8000 ⇔ counter + 1000 <= 7999 ⇔ counter <= 6999
    expect(decision).toEqual({
      kind: "pass",
      guards: [{ counter: "day", max: 6_999 }],
      trackMinute: false,
      trackDay: true,
      risk: { score: 0, rules: [] },
    });
  });

  it("asks for the counters when the payment alone reaches 80% of a window's limit", () => {
    expect(evaluateRisk([rule({ type: "monthly_outflow", amount: 10_000 })], facts(8_000))).toEqual({
      kind: "read",
      counters: true,
      destination: false,
    });
  });

  it("with the counters read, guards the exact limit and scores a near rule by how near it is", () => {
    const daily = rule({ type: "daily_outflow", amount: 10_000 });
    const decision = evaluateRisk([daily], facts(1_000, { counters: { day: 8_000, month: 0, minute: 0 } }));
    // 9000 of 10000: 20 + floor(20 × (45000 − 40000) / 10000) = 30
    expect(decision).toEqual({
      kind: "pass",
      guards: [{ counter: "day", max: 9_000 }],
      trackMinute: false,
      trackDay: true,
      risk: {
        score: 30,
        rules: [
          {
            rule: "rr_daily_outflow",
            type: "daily_outflow",
            action: "decline",
            outcome: "near",
            used: 9_000,
            limit: 10_000,
          },
        ],
      },
    });
  });

  it("breaks a daily rule the counters would pass, with its code and score 100", () => {
    const decision = evaluateRisk(
      [rule({ type: "daily_outflow", amount: 10_000 })],
      facts(1_000, { counters: { day: 9_001, month: 0, minute: 0 } }),
    );
    expect(decision).toMatchObject({ kind: "broken", code: "daily_limit_exceeded", action: "decline" });
    expect(decision.kind === "broken" && decision.risk).toEqual({
      score: 100,
      rules: [
        {
          rule: "rr_daily_outflow",
          type: "daily_outflow",
          action: "decline",
          outcome: "broken",
          used: 10_001,
          limit: 10_000,
        },
      ],
    });
  });

  it("gives each rule kind its failure code", () => {
    const broken = (r: RiskRule, f = facts(5_000)) => {
      const decision = evaluateRisk([r], f);
      return decision.kind === "broken" ? decision.code : decision.kind;
    };
    expect(broken(rule({ type: "amount", amount: 4_999 }))).toBe("amount_limit_exceeded");
    expect(broken(rule({ type: "amount", amount: 5_000 }))).toBe("pass");
    expect(broken(rule({ type: "monthly_outflow", amount: 4_999 }))).toBe("monthly_limit_exceeded");
    expect(
      broken(
        rule({ type: "velocity", count: 3, currency: null }),
        facts(1, { counters: { day: 0, month: 0, minute: 3 } }),
      ),
    ).toBe("velocity_limit_exceeded");
    expect(
      broken(
        rule({ type: "velocity", count: 3, currency: null }),
        facts(1, { counters: { day: 0, month: 0, minute: 2 } }),
      ),
    ).toBe("pass");
    expect(broken(rule({ type: "blocked_destinations", currency: null, destinations: ["acct_dest"] }))).toBe(
      "destination_blocked",
    );
    expect(broken(rule({ type: "blocked_destinations", currency: null, destinations: ["acct_other"] }))).toBe(
      "pass",
    );
    const fresh = rule({ type: "new_destination", amount: 1_000, hours: 24 });
    expect(broken(fresh, facts(5_000, { destinationFirstPaidAt: null }))).toBe("new_destination_limit");
    expect(broken(fresh, facts(5_000, { destinationFirstPaidAt: NOON / 1000 - 3_600 }))).toBe(
      "new_destination_limit",
    );
    expect(broken(fresh, facts(5_000, { destinationFirstPaidAt: NOON / 1000 - 86_400 }))).toBe("pass");
    expect(broken(fresh, facts(1_000))).toBe("pass"); // at or under the cap: nothing to read
    expect(evaluateRisk([fresh], facts(1_001))).toEqual({ kind: "read", counters: false, destination: true });
  });

  it("lets a broken decline rule win over a review rule, and a review rule park when nothing declines", () => {
    const review = rule({ type: "amount", id: "rr_review", amount: 100, action: "review" });
    const decline = rule({ type: "amount", id: "rr_decline", amount: 200 });
    expect(evaluateRisk([review, decline], facts(300))).toMatchObject({
      kind: "broken",
      code: "amount_limit_exceeded",
      action: "decline",
      rule: { id: "rr_decline" },
    });
    expect(evaluateRisk([review, decline], facts(150))).toMatchObject({
      kind: "broken",
      action: "review",
      rule: { id: "rr_review" },
    });
  });

  it("keeps the tightest guard per counter and tracks the minute only under a velocity rule", () => {
    const decision = evaluateRisk(
      [
        rule({ type: "daily_outflow", amount: 10_000 }),
        rule({ type: "daily_outflow", id: "rr_tight", account: "acct_a", amount: 5_000 }),
        rule({ type: "velocity", count: 10, currency: null }),
      ],
      facts(100),
    );
    expect(decision).toEqual({
      kind: "pass",
      guards: [
        { counter: "day", max: 3_899 },
        { counter: "minute", max: 6 },
      ],
      trackMinute: true,
      trackDay: true,
      risk: { score: 0, rules: [] },
    });
  });
});

describe("risk score", () => {
  const near = (used: number, limit: number) => ({
    rule: "rr_1",
    type: "daily_outflow" as const,
    action: "decline" as const,
    outcome: "near" as const,
    used,
    limit,
  });

  it("scores exactly: near rules, destination age and the time of day", () => {
    expect(scoreRisk({ outcomes: [], nowMs: NOON })).toEqual({ score: 0, rules: [] });
    expect(scoreRisk({ outcomes: [], nowMs: NIGHT }).score).toBe(0); // night alone is not a risk
    expect(scoreRisk({ outcomes: [near(8_000, 10_000)], nowMs: NIGHT }).score).toBe(30);
    expect(scoreRisk({ outcomes: [near(8_000, 10_000)], nowMs: NOON }).score).toBe(20);
    expect(scoreRisk({ outcomes: [near(10_000, 10_000)], nowMs: NOON }).score).toBe(40);
    expect(scoreRisk({ outcomes: [near(9_500, 10_000), near(8_000, 10_000)], nowMs: NOON }).score).toBe(40);
    expect(scoreRisk({ outcomes: [], destinationFirstPaidAt: null, nowMs: NOON }).score).toBe(15);
    // The account's history: a payment above all the source paid out this month before it.
    const history = (amount: number, monthOutflow: number) =>
      scoreRisk({ outcomes: [], history: { amount, monthOutflow }, nowMs: NOON }).score;
    expect([history(5_001, 5_000), history(5_000, 5_000), history(100, 0)]).toEqual([10, 0, 0]);
    expect(scoreRisk({ outcomes: [], history: { amount: 9, monthOutflow: 8 }, nowMs: NIGHT }).score).toBe(20);
    expect(scoreRisk({ outcomes: [], destinationFirstPaidAt: NOON / 1000 - 60, nowMs: NOON }).score).toBe(10);
    expect(scoreRisk({ outcomes: [], destinationFirstPaidAt: NOON / 1000 - 86_400, nowMs: NOON }).score).toBe(
      0,
    );
    expect(
      scoreRisk({ outcomes: [near(10_000, 10_000)], destinationFirstPaidAt: null, nowMs: NIGHT }).score,
    ).toBe(65);
    expect(scoreRisk({ outcomes: [{ ...near(10_001, 10_000), outcome: "broken" }], nowMs: NOON }).score).toBe(
      100,
    );
  });

  it("is the same for the same inputs (deterministic)", () => {
    const signals = { outcomes: [near(9_123, 10_000)], destinationFirstPaidAt: 1, nowMs: NIGHT };
    expect(scoreRisk(signals)).toEqual(scoreRisk(signals));
    expect(scoreRisk(signals).score).toBe(41); // 20 + floor(20 × 5615 / 10000) = 31, +10 night, old destination
  });
});

describe("counter windows", () => {
  it("names the calendar pair (today's, tomorrow's) and month, and the six days and two months before to remove", () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 30);
    const windows = windowsAt(now);
    expect(windows).toEqual({
      names: { pair: "rk_p20260101", nextPair: "rk_p20260102", month: "rk_m202601" },
      minute: Math.floor(now / 60_000),
      hour: Math.floor(now / 3_600_000),
      stale: {
        pair: [
          "rk_p20251231",
          "rk_p20251230",
          "rk_p20251229",
          "rk_p20251228",
          "rk_p20251227",
          "rk_p20251226",
        ],
        month: ["rk_m202512", "rk_m202511"],
      },
    });
    // No ring yet: the day is judged on the pair (today and yesterday).
    expect(sourceCounters({ rk_p20260101: 500, rk_m202601: 900 }, windows).counters).toEqual({
      day: 500,
      month: 900,
      minute: 0,
    });
  });

  it("reads the rolling day from the ring: the buckets still in the window once it covers a day", () => {
    const windows = windowsAt(NOON);
    const H = windows.hour;
    const item = {
      rk_p20261203: 9_000, // today and yesterday, calendar
      rk_rt: H - 2,
      rk_rs: H - 100,
      rk_r: 1_000,
      [bucketName(H - 2)]: 100, // in the window
      [bucketName(H - 24)]: 200, // in the window (24 hours back is the window's first hour)
      [bucketName(H)]: 300, // hour H - 25: left the window
      [bucketName(H - 1)]: 400, // hour H - 26: left the window
    };
    const ring = ringFrom(item, windows);
    expect(ring).toEqual({
      hour: H,
      tag: H - 2,
      expired: [
        { name: bucketName(H - 1), seen: 400 },
        { name: bucketName(H), seen: 300 },
      ],
      sumSeen: 1_000,
      used: 300,
    });
    expect(sourceCounters(item, windows).counters.day).toBe(300);
    // A ring younger than a day is judged on the pair when that is more.
    expect(ringFrom({ ...item, rk_rs: H - 5 }, windows).used).toBe(9_000);
    // The tag at this hour: nothing expires.
    expect(ringFrom({ ...item, rk_rt: H }, windows)).toMatchObject({ expired: [], used: 1_000 });
    // A pause longer than the ring: every bucket expires.
    expect(ringFrom({ ...item, rk_rt: H - 40 }, windows)).toMatchObject({ used: 0 });
    expect(ringFrom({ ...item, rk_rt: H - 40 }, windows).expired).toHaveLength(25);
    // A tag ahead of this clock (another container's) is the hour written in.
    expect(ringFrom({ ...item, rk_rt: H + 1 }, windows)).toMatchObject({ hour: H + 1, expired: [] });
  });

  it("starts a new ring from nothing: leftovers of an old one expire, the pair judges the day", () => {
    const windows = windowsAt(NOON);
    expect(ringFrom({ rk_p20261203: 700, rk_r: 50, rk_h3: 50 }, windows)).toEqual({
      hour: windows.hour,
      tag: null,
      expired: [{ name: "rk_h3", seen: 50 }],
      sumSeen: 50,
      used: 700,
    });
  });

  it("counts the velocity count only while its tag is the current minute, and says which minute to restart", () => {
    const now = Date.UTC(2026, 11, 3, 12, 0, 30);
    const windows = windowsAt(now);
    const minute = Math.floor(now / 60_000);
    expect(sourceCounters({ rk_v: 4, rk_vm: minute }, windows).counters.minute).toBe(4);
    expect(staleMinuteOf({ rk_v: 4, rk_vm: minute }, windows)).toBeUndefined();
    // Last minute's 4 payments do not count now; the debit must start the count again.
    expect(sourceCounters({ rk_v: 4, rk_vm: minute - 1 }, windows).counters.minute).toBe(0);
    expect(staleMinuteOf({ rk_v: 4, rk_vm: minute - 1 }, windows)).toBe(minute - 1);
    expect(staleMinuteOf({}, windows)).toBeUndefined();
  });

  it("guards a stale velocity count with a restart, on the exact path only", () => {
    const velocity = rule({ type: "velocity", count: 3, currency: null });
    const minute = Math.floor(NOON / 60_000);
    expect(
      evaluateRisk(
        [velocity],
        facts(1, { counters: { day: 0, month: 0, minute: 0 }, staleMinute: minute - 7 }),
      ),
    ).toMatchObject({ kind: "pass", guards: [{ counter: "minute", max: 2, restartFrom: minute - 7 }] });
    expect(evaluateRisk([velocity], facts(1, { counters: { day: 0, month: 0, minute: 2 } }))).toMatchObject({
      kind: "pass",
      guards: [{ counter: "minute", max: 2 }],
    });
  });
});
