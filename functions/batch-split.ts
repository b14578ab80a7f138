// SQS (release queue, batch size 1): reserve a batch's total and send its chunks to the items queue.
import type { SQSEvent } from "aws-lambda";
import { batchDeps } from "../lib/batches/deps.js";
import { releaseBatch } from "../lib/batches/release.js";
import { workOnRecords } from "../lib/batches/sqs-records.js";
import { withLambdaContext } from "../lib/observability/index.js";
import { releaseMessageSchema } from "../lib/queues/batch-queues.js";
import { runtime } from "../lib/runtime.js";

const deps = batchDeps(runtime());

export const handler = withLambdaContext(deps.logger, async (event: SQSEvent) =>
  workOnRecords(deps, event, releaseMessageSchema, (message) =>
    releaseBatch(deps, message.batch_id, Date.now()),
  ),
);
