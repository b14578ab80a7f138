// Owns what the webhook workflows need, built once per container from the runtime.
import type { Logger } from "@aws-lambda-powertools/logger";
import type { RetryPolicy } from "../domain/webhooks.js";
import type { LedgerStore } from "../ledger/records.js";
import { type WebhookQueue, webhookQueue } from "../queues/webhook-queue.js";
import type { Runtime } from "../runtime.js";
import { httpWebhookSender, type WebhookSender } from "./http-sender.js";

export interface WebhookDeps {
  store: LedgerStore;
  queue: WebhookQueue;
  send: WebhookSender;
  policy: RetryPolicy;
  /** Per-attempt deadline, milliseconds (10 s). */
  timeoutMs: number;
  logger: Logger;
}

export function webhookDeps(rt: Runtime): WebhookDeps {
  return {
    store: rt.store,
    queue: webhookQueue(rt.clients.sqs, rt.config.webhookQueueName),
    send: httpWebhookSender,
    policy: rt.config.webhookRetry,
    timeoutMs: rt.config.webhookTimeoutMs,
    logger: rt.logger,
  };
}
