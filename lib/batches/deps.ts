// Owns what the batch workflows need, built once per container from the runtime: the ledger, the
// queues, the bank rail, the fault seam and the logger. Tests build their own with fakes.
import type { Logger } from "@aws-lambda-powertools/logger";
import { sqsClient } from "../aws/sqs-client.js";
import type { BankRail } from "../channels/bank-rail.js";
import type { Faults } from "../faults.js";
import type { FxDeps } from "../fx/deps.js";
import type { LedgerStore } from "../ledger/records.js";
import type { PayrailMetrics } from "../observability/metrics.js";
import { type BatchQueues, batchQueues } from "../queues/batch-queues.js";
import type { RiskRuleCache } from "../risk/rule-cache.js";
import type { Runtime } from "../runtime.js";

export interface BatchDeps {
  store: LedgerStore;
  queues: BatchQueues;
  rail: BankRail;
  faults: Faults;
  logger: Logger;
  /** Absent in tests that build their own deps. */
  metrics?: PayrailMetrics;
  /** See PayrailConfig.stalledBatchAfterSeconds. */
  stalledAfterMs: number;
  /** See PayrailConfig.railSendersDoneAfterSeconds. */
  railSendersDoneAfterMs: number;
  /** Rates and terms for cross-currency batches (locked at release). */
  fx?: FxDeps;
  /** The merchants' risk rules (items answer to them); absent: no rule applies. */
  risk?: RiskRuleCache;
}

const built = new WeakMap<Runtime, BatchDeps>();

export function batchDeps(rt: Runtime): BatchDeps {
  let deps = built.get(rt);
  if (!deps) {
    deps = {
      store: rt.store,
      queues: batchQueues(sqsClient(), rt.config),
      rail: rt.rail,
      faults: rt.faults,
      logger: rt.logger,
      metrics: rt.metrics,
      stalledAfterMs: rt.config.stalledBatchAfterSeconds * 1000,
      railSendersDoneAfterMs: rt.config.railSendersDoneAfterSeconds * 1000,
      fx: rt.fx,
      risk: rt.risk,
    };
    built.set(rt, deps);
  }
  return deps;
}
