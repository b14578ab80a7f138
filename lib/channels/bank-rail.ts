// Owns the bank rail port, its sandbox adapter and the per-mode router. A rail is an external
// system that moves money to bank accounts. The contract every adapter keeps (docs/bank-rail.md):
// - send(instruction): pays out once per payment id. The payment id is the rail's idempotency
//   reference: sending it again, with the same instruction, has no second effect and answers the
//   first decision. A send that throws (timeout, connection reset, 5xx) may or may not have reached
//   the rail; the caller never assumes either.
// - status(instruction): what the rail decided for that reference, or `unknown` when no payout with
//   it ever reached the rail. Throws when the rail cannot be asked (the payment stays `processing`).
// - A late answer is never waited for: a payment whose send did not answer stays `processing` with
//   its money held, and recovery (lib/channels/recovery.ts) asks status() once it is older than
//   PAYRAIL_STUCK_PAYMENT_AFTER_SECONDS.
// - returns(untilMs, limit) / acknowledgeReturn(returned): a payout the rail accepted can come back
//   days later (the receiving bank cannot credit the account). The rail keeps reporting a return
//   until the ledger has applied it and acknowledged it (lib/channels/returns.ts).
import { isLiveOwner } from "../domain/modes.js";

export interface PayoutInstruction {
  /** The payment id: the rail's idempotency reference for this payout. */
  paymentId: string;
  /** True when the payment was made in live mode (routes it to the live rail). */
  livemode: boolean;
  /** The full account number ("" for bank accounts opened before it was kept); never logged. */
  accountNumber: string;
  accountLast4: string;
  routingNumber: string;
  amount: number;
  currency: string;
}

export type PayoutResult = "accepted" | "declined";

/** The instruction for paying `payment` out to a bank account (its last 4 digits and routing number). */
export function payoutFor(
  payment: { id: string; merchantId: string; amount: number; currency: string },
  bank: { bankLast4: string | null; bankNumber?: string | null; bankRouting: string | null } | undefined,
): PayoutInstruction {
  return {
    paymentId: payment.id,
    livemode: isLiveOwner(payment.merchantId),
    accountNumber: bank?.bankNumber ?? "",
    accountLast4: bank?.bankLast4 ?? "",
    routingNumber: bank?.bankRouting ?? "",
    amount: payment.amount,
    currency: payment.currency,
  };
}

/**
 * What the rail knows of a payment id: the decision it took, or `unknown` when no payout with that
 * reference ever reached it (the sender died or failed before the send arrived). Only `unknown`
 * makes it safe to fail a payout whose money is held: the rail has not paid it.
 */
export type PayoutStatus = PayoutResult | "unknown";

/** A payout the rail accepted and the receiving bank later sent back (e.g. the account is closed). */
export interface PayoutReturn {
  paymentId: string;
  /** The bank's reason, ACH-style (`R03`: no account / unable to locate account). */
  returnCode: string;
  returnedAtMs: number;
  /** The payout's mode: which rail reported it, and so which rail to acknowledge it to. */
  livemode: boolean;
}

export interface BankRail {
  /** Sends a payout; sending the same payment id twice has no second effect on the rail. */
  send(instruction: PayoutInstruction): Promise<PayoutResult>;
  /** What the rail decided for a payout sent earlier, or `unknown` if it never received it. */
  status(instruction: PayoutInstruction): Promise<PayoutStatus>;
  /** Returns reported by the rail up to `untilMs` and not yet acknowledged (at most `limit`). */
  returns(untilMs: number, limit: number): Promise<PayoutReturn[]>;
  /** The ledger has applied this return: the rail stops reporting it. Repeating it is harmless. */
  acknowledgeReturn(returned: PayoutReturn): Promise<void>;
}

/**
 * The sandbox rail's own books, as a real rail keeps its own record of every payout it received,
 * shared by every container (lib/ledger/rail-books.ts keeps them in the table).
 */
export interface RailBooks {
  /**
   * Records the decision for a payment id unless one is recorded; returns the recorded one. An
   * accepted payout may carry the return the receiving bank will make of it.
   */
  record(
    paymentId: string,
    result: PayoutResult,
    returning?: { returnCode: string; atMs: number },
  ): Promise<PayoutResult>;
  find(paymentId: string): Promise<PayoutResult | undefined>;
  dueReturns(untilMs: number, limit: number): Promise<Omit<PayoutReturn, "livemode">[]>;
  acknowledgeReturn(paymentId: string): Promise<void>;
}

/** The rail did not answer in time; whether it acted is unknown. */
export class RailTimeoutError extends Error {
  override name = "RailTimeoutError";
}

/** The rail answered with something other than a decision (5xx, a refused signature, a bad body). */
export class RailUnavailableError extends Error {
  override name = "RailUnavailableError";
}

/**
 * The rail for each mode: test-mode payouts always go to the sandbox rail, live-mode payouts to the
 * stage's live rail. A live payout on a stage without one cannot happen (live keys are refused
 * there); if it did, it throws, which leaves the payment `processing` rather than paying it falsely.
 * Returns are asked of both rails, live ones first (real money is never starved by sandbox ones),
 * and each is acknowledged to the rail that reported it.
 */
export function railsByMode(rails: { test: BankRail; live: BankRail | undefined }): BankRail {
  const railFor = (livemode: boolean): BankRail => {
    if (!livemode) return rails.test;
    if (!rails.live) throw new RailUnavailableError("this stage has no live bank rail");
    return rails.live;
  };
  return {
    send: async (instruction) => railFor(instruction.livemode).send(instruction),
    status: async (instruction) => railFor(instruction.livemode).status(instruction),
    async returns(untilMs, limit) {
      const live = rails.live ? await rails.live.returns(untilMs, limit) : [];
      const test = live.length < limit ? await rails.test.returns(untilMs, limit - live.length) : [];
      return [...live, ...test];
    },
    acknowledgeReturn: async (returned) => railFor(returned.livemode).acknowledgeReturn(returned),
  };
}

/**
 * Sandbox magic numbers, as payment sandboxes use them: 0002 is declined, 0003 answers slowly,
 * 0004 is accepted and then returned by the receiving bank (R03) `returnAfterMs` later.
 */
const DECLINED_SUFFIX = "0002";
const SLOW_SUFFIX = "0003";
const RETURNED_SUFFIX = "0004";
const SANDBOX_RETURN_CODE = "R03";
const SLOW_RAIL_MS = 1500;

export interface SandboxRailOptions {
  latencyMs: number;
  books: RailBooks;
  /** Delay between accepting a payout to an account ending in 0004 and returning it. */
  returnAfterMs?: number;
}

export function sandboxBankRail(options: SandboxRailOptions): BankRail {
  const decide = (instruction: PayoutInstruction): PayoutResult =>
    instruction.accountLast4 === DECLINED_SUFFIX ? "declined" : "accepted";
  return {
    async send(instruction) {
      const latency = options.latencyMs + (instruction.accountLast4 === SLOW_SUFFIX ? SLOW_RAIL_MS : 0);
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const decision = decide(instruction);
      const returning =
        decision === "accepted" && instruction.accountLast4 === RETURNED_SUFFIX
          ? { returnCode: SANDBOX_RETURN_CODE, atMs: Date.now() + (options.returnAfterMs ?? 5_000) }
          : undefined;
      // The first decision for a payment id stands: a repeated send is answered from the books.
      return options.books.record(instruction.paymentId, decision, returning);
    },
    async status(instruction) {
      return (await options.books.find(instruction.paymentId)) ?? "unknown";
    },
    // The sandbox rail is test mode's only rail: every return it reports is a test-mode one.
    returns: async (untilMs, limit) =>
      (await options.books.dueReturns(untilMs, limit)).map((due) => ({ ...due, livemode: false })),
    acknowledgeReturn: (returned) => options.books.acknowledgeReturn(returned.paymentId),
  };
}
