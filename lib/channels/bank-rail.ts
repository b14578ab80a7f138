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

export interface BankRail {
  /** Sends a payout; sending the same payment id twice has no second effect on the rail. */
  send(instruction: PayoutInstruction): Promise<PayoutResult>;
  /** What the rail decided for a payout sent earlier. */
  status(instruction: PayoutInstruction): Promise<PayoutResult>;
}

export class RailTimeoutError extends Error {
  override name = "RailTimeoutError";
}

/** Sandbox magic numbers, as payment sandboxes use them: 0002 is declined, 0003 answers slowly. */
const DECLINED_SUFFIX = "0002";
const SLOW_SUFFIX = "0003";
const SLOW_RAIL_MS = 1500;

export interface SandboxRailOptions {
  latencyMs: number;
}

export function sandboxBankRail(options: SandboxRailOptions): BankRail {
  const decide = (instruction: PayoutInstruction): PayoutResult =>
    instruction.accountLast4 === DECLINED_SUFFIX ? "declined" : "accepted";
  return {
    async send(instruction) {
      const latency = options.latencyMs + (instruction.accountLast4 === SLOW_SUFFIX ? SLOW_RAIL_MS : 0);
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      return decide(instruction);
    },
    async status(instruction) {
      return decide(instruction);
    },
  };
}
