// SQS (items dead-letter queue): a chunk that kept failing ends here: wallet items paid, bank items
// as the rail answers (processing_error if it never received them), so its batch still completes.
import type { SQSEvent } from "aws-lambda";
import { chunkWork } from "../lib/batches/chunk-round.js";
import { endDeadChunk } from "../lib/batches/dead-chunk.js";
import { batchDeps } from "../lib/batches/deps.js";
import { workOnRecords } from "../lib/batches/sqs-records.js";
import { withLambdaContext } from "../lib/observability/index.js";
import { chunkMessageSchema } from "../lib/queues/batch-queues.js";
import { runtime } from "../lib/runtime.js";

const deps = batchDeps(runtime());

export const handler = withLambdaContext(deps.logger, async (event: SQSEvent) =>
  workOnRecords(deps, event, chunkMessageSchema, chunkWork(deps, endDeadChunk), {
    // The DLQ has no redrive: a failure here simply comes back after the queue's timeout.
    backoff: false,
  }),
);
