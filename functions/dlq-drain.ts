// SQS (items dead-letter queue): a chunk that kept failing ends with its unprocessed items failed
// (processing_error), so its batch still completes and returns the unspent reservation.
import type { SQSEvent } from "aws-lambda";
import { chunkWork } from "../lib/batches/chunk-round.js";
import { failDeadChunk } from "../lib/batches/dead-chunk.js";
import { batchDeps } from "../lib/batches/deps.js";
import { workOnRecords } from "../lib/batches/sqs-records.js";
import { chunkMessageSchema } from "../lib/queues/batch-queues.js";
import { runtime } from "../lib/runtime.js";

const deps = batchDeps(runtime());

export const handler = (event: SQSEvent) =>
  workOnRecords(deps, event, chunkMessageSchema, chunkWork(deps, failDeadChunk), {
    // The DLQ has no redrive: a failure here simply comes back after the queue's timeout.
    backoff: false,
  });
