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

/** Account numbers ending in 0002 are declined, as in common sandbox conventions. */
const DECLINED_SUFFIX = "0002";

export interface SandboxRailOptions {
  latencyMs: number;
  /** Test seam: decide to time out a send after the rail accepted it. */
  timeoutAfterSend?: (instruction: PayoutInstruction) => boolean;
}

export function sandboxBankRail(options: SandboxRailOptions): BankRail {
  const decide = (instruction: PayoutInstruction): PayoutResult =>
    instruction.accountLast4 === DECLINED_SUFFIX ? "declined" : "accepted";
  return {
    async send(instruction) {
      if (options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      const result = decide(instruction);
      if (options.timeoutAfterSend?.(instruction)) throw new RailTimeoutError("bank rail timed out");
      return result;
    },
    async status(instruction) {
      return decide(instruction);
    },
  };
}
