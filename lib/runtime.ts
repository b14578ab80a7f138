// Owns the composition root: the per-container wiring of config, clients, ledger store, channels
// and caches. Handlers ask for it once; tests build their own with other clients or fakes.
import { Logger } from "@aws-lambda-powertools/logger";
import { type AwsClients, awsClients } from "./aws/clients.js";
import { loadConfig, type PayrailConfig } from "./aws/config.js";
import { AccountDirectory } from "./channels/account-directory.js";
import { bankChannel } from "./channels/bank-channel.js";
import { type BankRail, sandboxBankRail } from "./channels/bank-rail.js";
import { ledgerChannel } from "./channels/ledger-channel.js";
import type { PaymentRouter } from "./channels/router.js";
import { type Faults, faultsFrom } from "./faults.js";
import { type FxDeps, rateSourceFrom } from "./fx/deps.js";
import { tableRailBooks } from "./ledger/rail-books.js";
import type { LedgerStore } from "./ledger/records.js";
import { PayrailMetrics } from "./observability/metrics.js";

export interface Runtime {
  config: PayrailConfig;
  clients: AwsClients;
  store: LedgerStore;
  rail: BankRail;
  router: PaymentRouter;
  logger: Logger;
  metrics: PayrailMetrics;
  /** The test-only fault seam; inert unless PAYRAIL_FAULTS_ENABLED=1. */
  faults: Faults;
  /** Exchange rates (the rate source port's adapter) and the FX terms. */
  fx: FxDeps;
}

export function buildRuntime(
  config: PayrailConfig,
  clients: AwsClients,
  rail?: BankRail,
  faults: Faults = faultsFrom(config.faults),
): Runtime {
  const store: LedgerStore = { dynamo: clients.dynamo, table: config.tableName };
  const directory = new AccountDirectory();
  const bankRail =
    rail ??
    sandboxBankRail({
      latencyMs: config.bankRailLatencyMs,
      books: tableRailBooks(store),
      returnAfterMs: config.sandboxReturnAfterSeconds * 1000,
    });
  const metrics = new PayrailMetrics();
  const fx: FxDeps = {
    rates: rateSourceFrom(config.fxRates),
    quoteTtlSeconds: config.fxQuoteTtlSeconds,
    feeBasisPoints: BigInt(config.fxFeeBasisPoints),
  };
  return {
    config,
    clients,
    store,
    rail: bankRail,
    router: {
      store,
      directory,
      channels: { ledger: ledgerChannel(store), bank: bankChannel(store, bankRail, directory, faults) },
      observe: (payment) => metrics.paymentFinished(payment),
      fx,
    },
    logger: new Logger({ serviceName: "payrail" }),
    metrics,
    faults,
    fx,
  };
}

let current: Runtime | undefined;

export function runtime(): Runtime {
  if (!current) {
    const config = loadConfig();
    const faults = faultsFrom(config.faults);
    current = buildRuntime(config, awsClients(faults), undefined, faults);
  }
  return current;
}
