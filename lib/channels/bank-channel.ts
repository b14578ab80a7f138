// Owns the bank channel: reserve the amount, send it over the rail, then settle or reverse.
// If the process dies between reserve and finish, the payment stays `processing` with its money
// held, and lib/channels/recovery.ts finishes it from the rail's own record.
import { creditedAmount, creditedCurrency, failed, type Payment, paymentFrom } from "../domain/payments.js";
import type { Faults } from "../faults.js";
import { findAccount } from "../ledger/accounts.js";
import type { IdempotencyClaim } from "../ledger/idempotency.js";
import { findPayment, finishBankPayment, reserveBankPayment } from "../ledger/payments.js";
import type { LedgerStore } from "../ledger/records.js";
import type { RiskWrite } from "../ledger/risk-counters.js";
import type { TransactItem } from "../ledger/transact.js";
import type { AccountDirectory } from "./account-directory.js";
import {
  type BankRail,
  type PayoutInstruction,
  type PayoutResult,
  type PayoutStatus,
  payoutFor,
  RailTimeoutError,
} from "./bank-rail.js";
import { type ChannelAttempt, type PaymentChannel, riskWriteOf } from "./channel.js";

export async function payoutInstruction(
  store: LedgerStore,
  directory: AccountDirectory,
  payment: Payment,
): Promise<PayoutInstruction> {
  let facts = directory.get(payment.destination);
  if (!facts) {
    const account = await findAccount(store, payment.destination, payment.merchantId);
    if (account) directory.remember(account);
    facts = account;
  }
  // The rail pays what the bank account receives: a converted payout's destination amount.
  return payoutFor(
    { ...payment, amount: creditedAmount(payment), currency: creditedCurrency(payment) },
    facts,
  );
}

/**
 * The final payment for what the rail says: accepted settles, declined reverses, and a payout the
 * rail never received reverses too (processing_error): the held money was never paid out.
 */
export function settled(payment: Payment, status: PayoutStatus): Payment {
  if (status === "accepted") return { ...payment, status: "succeeded" };
  return failed(payment, status === "declined" ? "channel_declined" : "processing_error");
}

/**
 * Sends the payout; on a lost answer asks the rail once what it decided (sends are idempotent).
 * `lost` is the fault seam's "rail.timeout": the rail acted but nothing came back.
 */
async function sendOrAsk(
  rail: BankRail,
  instruction: PayoutInstruction,
  lost: () => boolean,
): Promise<PayoutResult | undefined> {
  try {
    const result = await rail.send(instruction);
    if (lost()) throw new RailTimeoutError("bank rail timed out");
    return result;
  } catch {
    try {
      const result = await rail.status(instruction);
      if (lost()) throw new RailTimeoutError("bank rail status timed out");
      // `unknown`: the send never arrived. Left processing, the payment is finished by recovery,
      // which reverses it once it is old enough that no send of it can still be in flight.
      return result === "unknown" ? undefined : result;
    } catch {
      return undefined;
    }
  }
}

export interface BankChannel extends PaymentChannel {
  /**
   * A converted payout priced by lib/fx/pay.ts (`payment` is `processing` and carries its fx):
   * reserved with `extra` (the quote it uses up) in one transaction, then paid like any payout.
   */
  attemptPriced(
    payment: Payment,
    claim: IdempotencyClaim | undefined,
    extra: readonly TransactItem[],
    /** The risk rules' counters and guards the debit carries. */
    risk?: RiskWrite,
  ): Promise<ChannelAttempt>;
  /**
   * Pays out a payment whose money is already reserved and which is recorded `processing` (an
   * approved review): send, then settle or reverse; `processing` if the rail did not answer.
   */
  payReserved(
    processing: Payment,
    claim: IdempotencyClaim | undefined,
    /** What a succeeded payout answers the claim's replays with (an approval answers 200). */
    succeededStatus?: number,
  ): Promise<Payment>;
}

export function bankChannel(
  store: LedgerStore,
  rail: BankRail,
  directory: AccountDirectory,
  faults: Faults,
): BankChannel {
  async function payOut(
    processing: Payment,
    claim: IdempotencyClaim | undefined,
    extra: readonly TransactItem[],
    risk?: RiskWrite,
  ): Promise<ChannelAttempt> {
    if (!(await reserveBankPayment(store, processing, claim, extra, risk))) return { done: false };
    return { done: true, payment: await payReserved(processing, claim) };
  }
  async function payReserved(
    processing: Payment,
    claim: IdempotencyClaim | undefined,
    succeededStatus = 201,
  ): Promise<Payment> {
    faults.inject("bank.after-reserve", processing.metadata);
    const instruction = await payoutInstruction(store, directory, processing);
    const result = await sendOrAsk(rail, instruction, () =>
      faults.fires("rail.timeout", processing.metadata),
    );
    // The rail did not answer: the money stays reserved and the payment is reported as what the
    // ledger holds, `processing`; recovery settles or reverses it from the rail's record.
    if (result === undefined) return processing;
    const final = settled(processing, result);
    if (await finishBankPayment(store, final, claim?.key, claim?.requestId ?? "", succeededStatus))
      return final;
    // The recovery sweeper finished it first; report what the ledger holds, not what we meant to write.
    const recorded = await findPayment(store, processing.id, processing.merchantId);
    return recorded ?? final;
  }
  return {
    name: "bank",
    attempt: (order, claim) =>
      payOut(paymentFrom(order, "processing", "bank"), claim, [], riskWriteOf(order)),
    attemptPriced: payOut,
    payReserved,
  };
}
