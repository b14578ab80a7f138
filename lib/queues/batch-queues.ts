// Owns the batch queues: the messages (small references, never item data), sending them, and
// retry pacing. Queue URLs are resolved by name once per container (GetQueueUrl), so the same code
// runs against SQS and the local emulator.
//   release queue  {"batch_id": "bat_…"}                 reserve the total, then dispatch chunks
//   items queue    {"batch_id": "bat_…", "chunk": 42}    pay one chunk of 25 items
import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import * as z from "zod";
import type { PayrailConfig } from "../aws/config.js";
import { isIdOf } from "../domain/ids.js";

const batchIdSchema = z.string().refine((id) => isIdOf("batch", id));
export const releaseMessageSchema = z.object({ batch_id: batchIdSchema });
export const chunkMessageSchema = z.object({ batch_id: batchIdSchema, chunk: z.int().min(0).max(100_000) });
export type ReleaseMessage = z.infer<typeof releaseMessageSchema>;
export type ChunkMessage = z.infer<typeof chunkMessageSchema>;

/** Parses a message body; a malformed one is a bug upstream and is reported, not retried forever. */
export function parseMessage<S extends z.ZodType>(schema: S, body: string): z.output<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface BatchQueues {
  sendRelease(batchId: string): Promise<void>;
  /** Sends one message per chunk, ten per SendMessageBatch call. */
  sendChunks(batchId: string, chunks: readonly number[]): Promise<void>;
  /** Makes a received message visible again after `seconds` (retry backoff instead of the full timeout). */
  retryAfter(queueArnOrName: string, receiptHandle: string, seconds: number): Promise<void>;
  /** Messages in the items queue: waiting, in flight and delayed (SQS's approximate counts). */
  itemsBacklog(): Promise<number>;
}

const SEND_CONCURRENCY = 10;

export function batchQueues(sqs: SQSClient, config: PayrailConfig): BatchQueues {
  const urls = new Map<string, Promise<string>>();
  const urlOf = (name: string): Promise<string> => {
    let url = urls.get(name);
    if (!url) {
      url = sqs.send(new GetQueueUrlCommand({ QueueName: name })).then((answer) => {
        if (!answer.QueueUrl) throw new Error(`queue ${name} has no URL`);
        return answer.QueueUrl;
      });
      // A failed lookup is not cached: the next call asks again.
      url.catch(() => urls.delete(name));
      urls.set(name, url);
    }
    return url;
  };

  async function sendBatch(queueUrl: string, bodies: string[]): Promise<void> {
    let entries = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
    for (let attempt = 0; entries.length > 0; attempt++) {
      if (attempt >= 4) throw new Error(`${entries.length} messages could not be sent to ${queueUrl}`);
      const answer = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((answer.Failed ?? []).map((failure) => failure.Id));
      entries = entries.filter((entry) => failed.has(entry.Id));
    }
  }

  return {
    async sendRelease(batchId) {
      const body: ReleaseMessage = { batch_id: batchId };
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: await urlOf(config.releaseQueueName),
          MessageBody: JSON.stringify(body),
        }),
      );
    },
    async sendChunks(batchId, chunks) {
      const queueUrl = await urlOf(config.itemsQueueName);
      const groups: string[][] = [];
      for (let i = 0; i < chunks.length; i += 10) {
        groups.push(
          chunks
            .slice(i, i + 10)
            .map((chunk) => JSON.stringify({ batch_id: batchId, chunk } satisfies ChunkMessage)),
        );
      }
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(SEND_CONCURRENCY, groups.length) }, async () => {
          while (next < groups.length) await sendBatch(queueUrl, groups[next++] ?? []);
        }),
      );
    },
    async itemsBacklog() {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: await urlOf(config.itemsQueueName),
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
      );
    },
    async retryAfter(queueArnOrName, receiptHandle, seconds) {
      const name = queueArnOrName.split(":").pop() ?? queueArnOrName;
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await urlOf(name),
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    },
  };
}
