// SQS (webhook deliveries queue, up to 10 messages): one signed POST per message, concurrently.
// A failed POST is not a failed message (its retry is queued with backoff); only an error of our
// own (the log or the queue unreachable) reports the record for SQS to retry.
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { parseMessage } from "../lib/queues/batch-queues.js";
import { deliveryMessageSchema } from "../lib/queues/webhook-queue.js";
import { runtime } from "../lib/runtime.js";
import { attemptDelivery, type EndpointReads } from "../lib/webhooks/deliver.js";
import { webhookDeps } from "../lib/webhooks/deps.js";

const rt = runtime();
const deps = webhookDeps(rt, true);

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const reads: EndpointReads = new Map();
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      const message = parseMessage(deliveryMessageSchema, record.body);
      if (!message) {
        rt.logger.error("malformed webhook message dropped", { messageId: record.messageId });
        return;
      }
      try {
        await attemptDelivery(deps, message, Date.now(), reads);
      } catch (error) {
        rt.logger.warn("webhook attempt failed on our side; SQS retries it", {
          messageId: record.messageId,
          endpointId: message.endpoint_id,
          eventId: message.event.id,
          error,
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
};
