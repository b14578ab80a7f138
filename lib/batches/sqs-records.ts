import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { z } from "zod";
import { parseMessage } from "../queues/batch-queues.js";
import type { BatchDeps } from "./deps.js";

const MAX_BACKOFF_SECONDS = 60;

/** 1 s, 2 s, 4 s, … by receive count, capped: transient errors retry fast, persistent ones still reach the DLQ. */
export function retryBackoffSeconds(receiveCount: number): number {
  return Math.min(2 ** Math.max(receiveCount - 1, 0), MAX_BACKOFF_SECONDS);
}

export async function workOnRecords<S extends z.ZodType>(
  deps: Pick<BatchDeps, "queues" | "logger">,
  event: SQSEvent,
  schema: S,
  work: (message: z.output<S>, record: SQSRecord) => Promise<unknown>,
  options: { backoff: boolean } = { backoff: true },
): Promise<SQSBatchResponse> {
  const failures = await Promise.all(
    event.Records.map(async (record) => {
      const message = parseMessage(schema, record.body);
      if (message === undefined) {
        // A malformed message can never succeed; retrying it would only delay the DLQ.
        deps.logger.error("malformed message dropped", {
          messageId: record.messageId,
          body: record.body.slice(0, 200),
        });
        return undefined;
      }
      try {
        await work(message, record);
        return undefined;
      } catch (error) {
        deps.logger.warn("message failed; will be retried", {
          messageId: record.messageId,
          body: message,
          error,
        });
        if (options.backoff) await backoff(deps, record);
        return record.messageId;
      }
    }),
  );
  return {
    batchItemFailures: failures
      .filter((id): id is string => id !== undefined)
      .map((id) => ({ itemIdentifier: id })),
  };
}

async function backoff(deps: Pick<BatchDeps, "queues" | "logger">, record: SQSRecord): Promise<void> {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
  try {
    await deps.queues.retryAfter(
      record.eventSourceARN,
      record.receiptHandle,
      retryBackoffSeconds(receiveCount),
    );
  } catch (error) {
    // Without the shorter timeout the message still comes back, after the queue's own timeout.
    deps.logger.warn("could not shorten the retry delay", { messageId: record.messageId, error });
  }
}
