// Owns the webhook deliveries queue: one message per (event, endpoint) attempt, carrying the event
// itself so an attempt needs no read of it. SQS delays a message at most 15 minutes, so a retry due
// later is sent with the longest delay and sent on again when it arrives early (`due_at`).
//   {"endpoint_id": "we_…", "merchant_id": "mer_…", "event": {…}, "attempt": 2,
//    "first_attempt_at": 1767225600, "due_at": 1767225660}
import { GetQueueUrlCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import * as z from "zod";
import { eventSchema } from "../schemas/events.js";

export const deliveryMessageSchema = z.object({
  endpoint_id: z.string(),
  merchant_id: z.string(),
  event: eventSchema,
  attempt: z.int().min(1),
  /** Epoch seconds of this delivery's first attempt; null before it (backoff and give-up count from it). */
  first_attempt_at: z.int().nullable(),
  /** Epoch seconds before which the attempt must not run; null for "now". */
  due_at: z.int().nullable(),
});

export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;

/** SQS's longest message delay. */
export const MAX_SQS_DELAY_SECONDS = 900;

export interface WebhookQueue {
  /** Sends each message, delayed until its `due_at` (at most 15 minutes at a time). */
  send(messages: readonly DeliveryMessage[], nowSec: number): Promise<void>;
}

export function webhookQueue(sqs: SQSClient, queueName: string): WebhookQueue {
  let url: Promise<string> | undefined;
  const urlOf = () => {
    url ??= sqs.send(new GetQueueUrlCommand({ QueueName: queueName })).then((answer) => {
      if (!answer.QueueUrl) throw new Error(`queue ${queueName} has no URL`);
      return answer.QueueUrl;
    });
    url.catch(() => {
      url = undefined;
    });
    return url;
  };
  return {
    async send(messages, nowSec) {
      if (messages.length === 0) return;
      const queueUrl = await urlOf();
      for (let i = 0; i < messages.length; i += 10) {
        let entries = messages.slice(i, i + 10).map((message, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify(message),
          DelaySeconds: Math.max(0, Math.min(MAX_SQS_DELAY_SECONDS, (message.due_at ?? nowSec) - nowSec)),
        }));
        for (let attempt = 0; entries.length > 0; attempt++) {
          if (attempt >= 4) throw new Error(`${entries.length} webhook messages could not be sent`);
          const answer = await sqs.send(
            new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
          );
          const failed = new Set((answer.Failed ?? []).map((failure) => failure.Id));
          entries = entries.filter((entry) => failed.has(entry.Id));
        }
      }
    },
  };
}
