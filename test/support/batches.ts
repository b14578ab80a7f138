// Helpers for the batch integration tests: submitting and awaiting batches, reaching the stack's
// queues directly (to inject duplicate messages), invoking the scheduler with a chosen clock, and
// checking conservation of money for one merchant.
import { readFileSync } from "node:fs";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { expect } from "vitest";
import type { BatchItemResource } from "../../lib/schemas/batches.js";
import type { PaymentResource } from "../../lib/schemas/payments.js";
import { localSqs } from "../../scripts/local/local-clients.js";
import type { TestMerchant } from "./fixtures.js";
import { stackContext } from "./stack-context.js";

let sqs: SQSClient | undefined;

export function stackSqs(): SQSClient {
  sqs ??= localSqs(stackContext().sqsEndpoint);
  return sqs;
}

export function queueName(kind: "items" | "release" | "dlq"): string {
  const env = stackContext().env;
  const name =
    kind === "items"
      ? env.PAYRAIL_ITEMS_QUEUE
      : kind === "release"
        ? env.PAYRAIL_RELEASE_QUEUE
        : env.PAYRAIL_ITEMS_DLQ;
  if (!name) throw new Error(`the stack does not name the ${kind} queue`);
  return name;
}

async function queueUrl(kind: "items" | "release" | "dlq"): Promise<string> {
  const { QueueUrl } = await stackSqs().send(new GetQueueUrlCommand({ QueueName: queueName(kind) }));
  return QueueUrl ?? "";
}

/** Sends a chunk message straight to the items queue, as a duplicate delivery would. */
export async function sendChunkMessage(batchId: string, chunk: number): Promise<void> {
  await stackSqs().send(
    new SendMessageCommand({
      QueueUrl: await queueUrl("items"),
      MessageBody: JSON.stringify({ batch_id: batchId, chunk }),
    }),
  );
}

/** Waits until the items queue holds no message, visible or in flight. */
export async function itemsQueueDrained(timeoutMs = 60_000): Promise<void> {
  const url = await queueUrl("items");
  await poll(
    async () => {
      const { Attributes = {} } = await stackSqs().send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible)
      );
    },
    (waiting) => waiting === 0,
    timeoutMs,
  );
}

/** Calls `read` until `done` holds or the time runs out (then fails with the last value). */
export async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`gave up waiting after ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

const TERMINAL = new Set(["completed", "failed", "canceled"]);

export async function awaitBatch(merchant: TestMerchant, batchId: string, timeoutMs = 90_000) {
  const answer = await poll(
    () => merchant.http.get(`/v1/batches/${batchId}`),
    (got) => got.status !== 200 || TERMINAL.has(got.body.status),
    timeoutMs,
  );
  expect(answer.status).toBe(200);
  return answer.body;
}

/**
 * GET `path` as a client reads: a 503 (injected DynamoDB throttles in the fault runs, an SDK
 * request timeout on a loaded machine; both answer Retry-After: 1) is asked again, up to 5 times.
 * Any other answer than 200 fails with what it said.
 */
async function readPage(merchant: TestMerchant, path: string) {
  let page = await merchant.http.get(path);
  for (let retry = 0; page.status === 503 && retry < 5; retry++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    page = await merchant.http.get(path);
  }
  expect(page.status, page.text).toBe(200);
  return page;
}

/** Every item of a batch, all pages, in submission order. */
export async function allItems(merchant: TestMerchant, batchId: string, status?: string) {
  const items: BatchItemResource[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: "100" });
    if (status) query.set("status", status);
    if (after) query.set("starting_after", after);
    const page = await readPage(merchant, `/v1/batches/${batchId}/items?${query}`);
    items.push(...page.body.data);
    if (!page.body.has_more) return items;
    after = page.body.data.at(-1)?.id;
  }
}

/** Every payment of a merchant (newest first), all pages. */
export async function allPayments(merchant: TestMerchant) {
  const payments: PaymentResource[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await readPage(merchant, `/v1/payments?limit=100${after ? `&starting_after=${after}` : ""}`);
    payments.push(...page.body.data);
    if (!page.body.has_more) return payments;
    after = page.body.data.at(-1)?.id;
  }
}

/** Sum of the balances of all a merchant's accounts (wallets hold money, banks hold payouts). */
export async function sumOfBalances(merchant: TestMerchant): Promise<number> {
  let total = 0;
  let after: string | undefined;
  for (;;) {
    const page = await readPage(merchant, `/v1/accounts?limit=100${after ? `&starting_after=${after}` : ""}`);
    for (const account of page.body.data) total += account.balance;
    if (!page.body.has_more) return total;
    after = page.body.data.at(-1)?.id;
  }
}

/** Invokes the scheduler as EventBridge would, at the instant `time`. */
export async function runScheduler(time: Date): Promise<unknown> {
  return stackContext().invoke("scheduler", {
    version: "0",
    id: `test-${time.getTime()}`,
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "000000000000",
    time: time.toISOString(),
    region: "us-east-1",
    resources: [],
    detail: {},
  });
}

/** Lines of the handlers' log that mention every one of `fragments` (proof a fault really fired). */
export function logLinesWith(...fragments: string[]): string[] {
  const file = stackContext().logFile;
  if (!file) throw new Error("the stack was started without a log file");
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => fragments.every((fragment) => line.includes(fragment)));
}
