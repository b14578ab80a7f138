// Owns the composition root: the per-container wiring of config, clients, ledger store, channels
// and caches. Handlers ask for it once; tests build their own with other clients or fakes.
import type { Logger } from "@aws-lambda-powertools/logger";
import { type AwsClients, awsClients } from "./aws/clients.js";
import { loadConfig, type PayrailConfig } from "./aws/config.js";
import { AccountDirectory } from "./channels/account-directory.js";
import { bankChannel } from "./channels/bank-channel.js";
import { type BankRail, railsByMode, sandboxBankRail } from "./channels/bank-rail.js";
import { httpBankRail } from "./channels/http-rail.js";
import { ledgerChannel } from "./channels/ledger-channel.js";
import type { PaymentRouter } from "./channels/router.js";
import { type Faults, faultsFrom } from "./faults.js";
import { type FxDeps, rateSourceFrom } from "./fx/deps.js";
import { tableRailBooks } from "./ledger/rail-books.js";
import type { LedgerStore } from "./ledger/records.js";
import { observability } from "./observability/index.js";
import type { PayrailMetrics } from "./observability/metrics.js";
import { RiskRuleCache } from "./risk/rule-cache.js";

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
  /** The merchants' risk rules, cached per container. */
  risk: RiskRuleCache;
}

export function buildRuntime(
  config: PayrailConfig,
  clients: AwsClients,
  rail?: BankRail,
  faults: Faults = faultsFrom(config.faults),
): Runtime {
  const store: LedgerStore = { dynamo: clients.dynamo, table: config.tableName };
  const directory = new AccountDirectory();
  // Test mode pays out on the sandbox rail, live mode on the stage's live rail (config.liveRail;
  // loadConfig refuses a sandbox one), so sandbox magic numbers never decide a live payout.
  const bankRail =
    rail ??
    railsByMode({
      test: sandboxBankRail({
        latencyMs: config.bankRailLatencyMs,
        books: tableRailBooks(store),
        returnAfterMs: config.sandboxReturnAfterSeconds * 1000,
      }),
      live: config.rail ? httpBankRail(config.rail) : undefined,
    });
  const { logger, metrics } = observability();
  const risk = new RiskRuleCache(store, config.riskRulesCacheSeconds * 1000);
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
      risk,
    },
    logger,
    metrics,
    faults,
    fx,
    risk,
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
