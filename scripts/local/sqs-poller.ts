// Owns delivering SQS messages to functions, as Lambda's SQS event source mapping does: long-poll
// the queue, invoke with a batch, then delete what succeeded. Replaces serverless-offline-sqs, which
// ignores ReportBatchItemFailures and uses aws-sdk v2.
//   - invocation error: nothing is deleted; the batch reappears after the queue's VisibilityTimeout,
//     and the emulator moves a message to the dead-letter queue once it has been received more than
//     maxReceiveCount times (fauxqs implements RedrivePolicy; see sqs-emulator.ts).
//   - ReportBatchItemFailures: everything but the listed failures is deleted (sqs-event.ts has the rules).
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { InvokeFunction } from "./lambda-invoke.js";
import { localSqs } from "./local-clients.js";
import { failedMessageIds, sqsEvent } from "./sqs-event.js";

export interface QueueSubscription {
  /** Deployed function name (`payrail-local-itemConsume`). */
  functionName: string;
  queueName: string;
  batchSize: number;
  /** Seconds to keep collecting when batchSize > 10 (SQS returns at most 10 per receive). */
  maximumBatchingWindow: number;
  reportBatchItemFailures: boolean;
}

export interface SqsPollerOptions {
  sqsEndpoint: string;
  region: string;
  subscriptions: QueueSubscription[];
  invoke: InvokeFunction;
  /** Concurrent receive-invoke-delete loops per queue (Lambda scales pollers; 2 keeps a 2-core box usable). */
  concurrency?: number;
  /** Long-poll wait per receive, seconds (lower in tests that stop often). */
  waitTimeSeconds?: number;
  /** Where problems are reported (one line each); stderr by default. */
  log?: (line: string) => void;
}

export interface SqsPoller {
  stop(): Promise<void>;
}

const DRAIN_MS = 5000;

export async function startSqsPoller(options: SqsPollerOptions): Promise<SqsPoller> {
  const sqs = localSqs(options.sqsEndpoint, { region: options.region });
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  // Declared before the loops start: they may ask for the signal on their first message.
  let drain: AbortController | undefined;
  function drainSignal(): AbortSignal {
    drain ??= new AbortController();
    return drain.signal;
  }

  for (const subscription of options.subscriptions) {
    const queueUrl =
      (await sqs.send(new GetQueueUrlCommand({ QueueName: subscription.queueName }))).QueueUrl ?? "";
    const queueArn =
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] })))
        .Attributes?.QueueArn ?? "";
    for (let i = 0; i < (options.concurrency ?? 2); i++) {
      loops.push(pollLoop(subscription, queueUrl, queueArn));
    }
  }

  async function receiveBatch(subscription: QueueSubscription, queueUrl: string): Promise<Message[]> {
    const batch: Message[] = [];
    let windowEnds = Number.POSITIVE_INFINITY; // the batching window opens with the first message
    while (batch.length < subscription.batchSize) {
      const first = batch.length === 0;
      const windowLeft = first ? 0 : Math.max(0, Math.ceil((windowEnds - Date.now()) / 1000));
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, subscription.batchSize - batch.length),
          // Block until the first message; after that only fill the batch while the window lasts.
          WaitTimeSeconds: first ? (options.waitTimeSeconds ?? 20) : Math.min(20, windowLeft),
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
        { abortSignal: stopping.signal },
      );
      const messages = received.Messages ?? [];
      batch.push(...messages);
      if (first && messages.length > 0) windowEnds = Date.now() + subscription.maximumBatchingWindow * 1000;
      if (messages.length === 0 || Date.now() >= windowEnds) break;
    }
    return batch;
  }

  async function deleteMessages(queueUrl: string, messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      const answer = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      for (const failure of answer.Failed ?? [])
        log(`payrail sqs-poller: delete failed on ${queueUrl}: ${failure.Message}`);
    }
  }

  async function pollLoop(
    subscription: QueueSubscription,
    queueUrl: string,
    queueArn: string,
  ): Promise<void> {
    while (!stopping.signal.aborted) {
      let batch: Message[];
      try {
        batch = await receiveBatch(subscription, queueUrl);
      } catch (error) {
        if (stopping.signal.aborted) return;
        log(`payrail sqs-poller: receive from ${subscription.queueName} failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (batch.length === 0) continue;
      // A stop lets an invocation in flight finish (briefly), so its deletes are not lost.
      const outcome = await options.invoke(
        subscription.functionName,
        sqsEvent(batch, queueArn, options.region),
        AbortSignal.any([AbortSignal.timeout(15 * 60_000), drainSignal()]),
      );
      if (!outcome.ok) {
        if (!stopping.signal.aborted)
          log(`payrail sqs-poller: ${subscription.functionName} failed: ${outcome.error}`);
        continue; // nothing deleted: the batch comes back after the visibility timeout
      }
      const ids = batch.map((message) => message.MessageId ?? "");
      const failed = new Set(
        subscription.reportBatchItemFailures ? failedMessageIds(outcome.result, ids) : [],
      );
      try {
        await deleteMessages(
          queueUrl,
          batch.filter((message) => !failed.has(message.MessageId ?? "")),
        );
      } catch (error) {
        log(`payrail sqs-poller: delete on ${subscription.queueName} failed: ${(error as Error).message}`);
      }
    }
  }

  return {
    async stop() {
      stopping.abort();
      const timer = setTimeout(() => drain?.abort(), DRAIN_MS);
      await Promise.allSettled(loops);
      clearTimeout(timer);
      sqs.destroy();
    },
  };
}
