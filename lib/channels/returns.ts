// Owns applying the bank rail's returns: a payout the rail accepted can come back days later (the
// receiving bank cannot credit the account). The scheduler asks the rail for due returns, applies
// each in one ledger transaction (lib/ledger/returns.ts), then acknowledges it to the rail. A crash
// between the two leaves the return reported again; the payment's status condition makes the
// second application a no-op, so it is acknowledged then.
import { isLiveOwner } from "../domain/modes.js";
import { readPaymentForRecovery } from "../ledger/payments.js";
import type { LedgerStore } from "../ledger/records.js";
import { applyPayoutReturn } from "../ledger/returns.js";
import type { BankRail } from "./bank-rail.js";

export interface ReturnsReport {
  returned: number;
  /** The payout is still `processing` in the ledger: applied on a later run, once it settled. */
  deferred: number;
}

const RETURNS_PER_RUN = 100;

export async function applyRailReturns(
  store: LedgerStore,
  rail: BankRail,
  options: { nowMs: number },
): Promise<ReturnsReport> {
  const report: ReturnsReport = { returned: 0, deferred: 0 };
  for (const due of await rail.returns(options.nowMs, RETURNS_PER_RUN)) {
    const read = await readPaymentForRecovery(store, due.paymentId);
    // A rail answers for its own mode's payouts only: a live rail naming a test payment (or the
    // sandbox a live one) has nothing of its own for the ledger to take back.
    const found = read && isLiveOwner(read.payment.merchantId) === due.livemode ? read : undefined;
    if (found?.payment.status === "processing") {
      report.deferred++;
      continue;
    }
    if (found?.payment.status === "succeeded") {
      const applied = await applyPayoutReturn(
        store,
        found.payment,
        due.returnCode,
        Math.floor(options.nowMs / 1000),
      );
      if (applied) report.returned++;
      else {
        const again = await readPaymentForRecovery(store, due.paymentId);
        if (again?.payment.status !== "returned") {
          report.deferred++;
          continue;
        }
      }
    }
    // Returned (now or by an earlier run), or nothing the ledger can take back: the rail may stop.
    await rail.acknowledgeReturn(due);
  }
  return report;
}
