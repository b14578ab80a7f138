// Owns the bank rail port and its sandbox adapter. A real rail is an external system: payrail
// sends each payout with the payment id as the rail's idempotency reference, and can ask the rail
// later what became of a payout (how stuck payments are recovered after a crash).

export interface PayoutInstruction {
  paymentId: string;
  accountLast4: string;
  routingNumber: string;
  amount: number;
  currency: string;
}

export type PayoutResult = "accepted" | "declined";

/** The instruction for paying `payment` out to a bank account (its last 4 digits and routing number). */
export function payoutFor(
  payment: { id: string; amount: number; currency: string },
  bank: { bankLast4: string | null; bankRouting: string | null } | undefined,
): PayoutInstruction {
  return {
    paymentId: payment.id,
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
}

export interface BankRail {
  /** Sends a payout; sending the same payment id twice has no second effect on the rail. */
  send(instruction: PayoutInstruction): Promise<PayoutResult>;
  /** What the rail decided for a payout sent earlier, or `unknown` if it never received it. */
  status(instruction: PayoutInstruction): Promise<PayoutStatus>;
  /** Returns reported by the rail up to `untilMs` and not yet acknowledged (at most `limit`). */
  returns(untilMs: number, limit: number): Promise<PayoutReturn[]>;
  /** The ledger has applied this return: the rail stops reporting it. Repeating it is harmless. */
  acknowledgeReturn(paymentId: string): Promise<void>;
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
  dueReturns(untilMs: number, limit: number): Promise<PayoutReturn[]>;
  acknowledgeReturn(paymentId: string): Promise<void>;
}

export class RailTimeoutError extends Error {
  override name = "RailTimeoutError";
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
    returns: (untilMs, limit) => options.books.dueReturns(untilMs, limit),
    acknowledgeReturn: (paymentId) => options.books.acknowledgeReturn(paymentId),
  };
}
