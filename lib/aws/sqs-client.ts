// Owns the container's SQS client (the batch workflows' queues), with the same socket bounds as
// every SDK client (clients.ts). Kept apart so that only functions that send messages bundle it.
import { SQSClient } from "@aws-sdk/client-sqs";
import { SDK_HTTP_TIMEOUTS, SDK_MAX_ATTEMPTS } from "./clients.js";

let cached: SQSClient | undefined;

export function sqsClient(): SQSClient {
  cached ??= new SQSClient({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: SDK_HTTP_TIMEOUTS });
  return cached;
}
