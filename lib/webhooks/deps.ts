// Owns what the webhook workflows need, built once per container from the runtime.
import type { Logger } from "@aws-lambda-powertools/logger";
import { createClients } from "../aws/clients.js";
import { sqsClient } from "../aws/sqs-client.js";
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

/**
 * The webhook pipeline's dependencies. `background` (the stream fan-out and the delivery worker)
 * gives them clients of their own whose user agent says they are off any request's path.
 */
export function webhookDeps(rt: Runtime, background = false): WebhookDeps {
  const clients = background ? createClients(undefined, true) : rt.clients;
  return {
    store: background ? { dynamo: clients.dynamo, table: rt.store.table } : rt.store,
    queue: webhookQueue(sqsClient(), rt.config.webhookQueueName),
    send: httpWebhookSender,
    policy: rt.config.webhookRetry,
    timeoutMs: rt.config.webhookTimeoutMs,
    logger: rt.logger,
  };
}
