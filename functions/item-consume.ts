// SQS (items queue, up to 10 chunk messages): pay each chunk once, with the invocation's reads and
// completion checks shared (chunk-round.ts); failed messages are reported in batchItemFailures and
// retried with backoff, then dead-lettered after maxReceiveCount.
import type { SQSEvent } from "aws-lambda";
import { chunkWork } from "../lib/batches/chunk-round.js";
import { batchDeps } from "../lib/batches/deps.js";
import { payChunk } from "../lib/batches/pay-chunk.js";
import { workOnRecords } from "../lib/batches/sqs-records.js";
import { withLambdaContext } from "../lib/observability/index.js";
import { chunkMessageSchema } from "../lib/queues/batch-queues.js";
import { runtime } from "../lib/runtime.js";

const deps = batchDeps(runtime());

export const handler = withLambdaContext(deps.logger, async (event: SQSEvent) =>
  workOnRecords(deps, event, chunkMessageSchema, chunkWork(deps, payChunk)),
);
