// SQS (items queue, up to 10 chunk messages): pay each chunk once; failed messages are reported in
// batchItemFailures and retried with backoff, then dead-lettered after maxReceiveCount.
import type { SQSEvent } from "aws-lambda";
import { batchDeps } from "../lib/batches/deps.js";
import { payChunk } from "../lib/batches/pay-chunk.js";
import { workOnRecords } from "../lib/batches/sqs-records.js";
import { chunkMessageSchema } from "../lib/queues/batch-queues.js";
import { runtime } from "../lib/runtime.js";

const deps = batchDeps(runtime());

export const handler = (event: SQSEvent) =>
  workOnRecords(deps, event, chunkMessageSchema, (message) => payChunk(deps, message, Date.now()));
