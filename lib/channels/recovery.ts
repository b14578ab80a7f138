// Owns the recovery of bank payments left `processing` (a crash or a rail timeout between reserve
// and finish): ask the rail what it decided for that payment id, then settle or reverse exactly as
// the bank channel would have. A payout the rail never received (the process died before sending)
// is reversed with processing_error: only payments older than stuckAfterSeconds are looked at, so
// no send of it can still be on its way. Runs from the scheduler; safe to run concurrently with anything,
// because finishing is conditional on the payment still being `processing`.
import { inParallel } from "../ledger/batches.js";
import { findStuckPayments, finishBankPayment, readPaymentForRecovery } from "../ledger/payments.js";
import type { LedgerStore } from "../ledger/records.js";
import type { AccountDirectory } from "./account-directory.js";
import { payoutInstruction, settled } from "./bank-channel.js";
import type { BankRail } from "./bank-rail.js";

/** Payments recovered at once: each is a few reads, a rail question and one transaction. */
const RECOVERY_CONCURRENCY = 8;

export interface RecoveryReport {
  settled: number;
  reversed: number;
  /** Rail still unreachable: left processing for the next run. */
  deferred: number;
}

export async function recoverStuckPayments(
  store: LedgerStore,
  rail: BankRail,
  directory: AccountDirectory,
  options: { nowMs: number; stuckAfterSeconds: number },
): Promise<RecoveryReport> {
  const report: RecoveryReport = { settled: 0, reversed: 0, deferred: 0 };
  const cutoff = Math.floor(options.nowMs / 1000) - options.stuckAfterSeconds;
  const recover = async (id: string) => {
    const found = await readPaymentForRecovery(store, id);
    if (found?.payment.status !== "processing") return;
    let result: Awaited<ReturnType<BankRail["status"]>>;
    try {
      result = await rail.status(await payoutInstruction(store, directory, found.payment));
    } catch {
      report.deferred++;
      return;
    }
    const final = settled(found.payment, result);
    if (await finishBankPayment(store, final, found.idempotencyKey, "req_recovery")) {
      if (final.status === "succeeded") report.settled++;
      else report.reversed++;
    }
  };
  // Every page of every shard: a page of payouts the rail cannot answer for is skipped, not a wall.
  for await (const page of findStuckPayments(store, cutoff))
    await inParallel(page, RECOVERY_CONCURRENCY, recover);
  return report;
}
