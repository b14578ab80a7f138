import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { z } from "zod";
import { parseMessage } from "../queues/batch-queues.js";
import type { BatchDeps } from "./deps.js";

const MAX_BACKOFF_SECONDS = 60;
const MAX_BUSY_BACKOFF_SECONDS = 300;

/** Errors that say the table is busy, not that the message is wrong. */
const BUSY_ERRORS = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  // The ledger gave up on a conflict storm or on throttled transactions (see transact.ts).
  "ServiceUnavailableError",
]);

/** Whether an error, or any error it was caused by, is the table being busy. */
export function isBusyError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (BUSY_ERRORS.has(current.name)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * 1 s, 2 s, 4 s, … by receive count, capped: transient errors retry fast, persistent ones still
 * reach the DLQ. A busy table backs off 30 s, 60 s, 120 s, 240 s instead, so the 5 receives before
 * the dead-letter queue span about 7.5 minutes of throttling rather than 30 s (and the drain pays
 * wallet items even then, see dead-chunk.ts).
 */
export function retryBackoffSeconds(receiveCount: number, error?: unknown): number {
  const step = 2 ** Math.max(receiveCount - 1, 0);
  if (isBusyError(error)) return Math.min(30 * step, MAX_BUSY_BACKOFF_SECONDS);
  return Math.min(step, MAX_BACKOFF_SECONDS);
}

/** The work on one message; a throw reports its record for retry. */
export type RecordWork<M> = (message: M, record: SQSRecord) => Promise<unknown>;

/** Work that shares reads between an invocation's messages and ends with one step for all of them. */
export interface RoundWork<M> {
  round(messages: M[]): {
    each: RecordWork<M>;
    /** Runs after every `each` settled; the messages it returns are reported for retry as well. */
    settle(): Promise<ReadonlySet<M>>;
  };
}

export async function workOnRecords<S extends z.ZodType>(
  deps: Pick<BatchDeps, "queues" | "logger">,
  event: SQSEvent,
  schema: S,
  work: RecordWork<z.output<S>> | RoundWork<z.output<S>>,
  options: { backoff: boolean } = { backoff: true },
): Promise<SQSBatchResponse> {
  const parsed: { record: SQSRecord; message: z.output<S> }[] = [];
  for (const record of event.Records) {
    const message = parseMessage(schema, record.body);
    if (message === undefined) {
      // A malformed message can never succeed; retrying it would only delay the DLQ.
      deps.logger.error("malformed message dropped", {
        messageId: record.messageId,
        body: record.body.slice(0, 200),
      });
    } else parsed.push({ record, message });
  }
  const round =
    typeof work === "function"
      ? { each: work, settle: async () => new Set<z.output<S>>() }
      : work.round(parsed.map(({ message }) => message));

  const failed = new Set<SQSRecord>();
  const fail = async (record: SQSRecord, message: z.output<S>, error: unknown) => {
    deps.logger.warn("message failed; will be retried", {
      messageId: record.messageId,
      body: message,
      error,
    });
    failed.add(record);
    if (options.backoff) await backoff(deps, record, error);
  };
  await Promise.all(
    parsed.map(async ({ record, message }) => {
      try {
        await round.each(message, record);
      } catch (error) {
        await fail(record, message, error);
      }
    }),
  );
  const unsettled = await round.settle();
  await Promise.all(
    parsed
      .filter(({ record, message }) => unsettled.has(message) && !failed.has(record))
      .map(({ record, message }) => fail(record, message, new Error("its final step failed"))),
  );
  return {
    batchItemFailures: event.Records.filter((record) => failed.has(record)).map((record) => ({
      itemIdentifier: record.messageId,
    })),
  };
}

async function backoff(
  deps: Pick<BatchDeps, "queues" | "logger">,
  record: SQSRecord,
  error: unknown,
): Promise<void> {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
  try {
    await deps.queues.retryAfter(
      record.eventSourceARN,
      record.receiptHandle,
      retryBackoffSeconds(receiveCount, error),
    );
  } catch (retryError) {
    // Without the shorter timeout the message still comes back, after the queue's own timeout.
    deps.logger.warn("could not shorten the retry delay", { messageId: record.messageId, error: retryError });
  }
}
