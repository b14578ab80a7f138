// Owns SDK client construction: built once per container and handed to the modules that use them.
// Local emulators are reached through the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables.
// Only DynamoDB is built here: the SQS client lives in sqs-client.ts, imported only by the batch
// workflows, so the HTTP functions that never send a message do not bundle or load the SQS SDK.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Faults } from "../faults.js";
import { addDynamoFaults } from "./dynamo-faults.js";

/**
 * Socket bounds for every SDK client, far inside the shortest function timeout (29 s): a stuck
 * connection fails in 1 s and a stuck request in 3 s, and with 3 attempts a call gives up within
 * about 12 s, so a hung socket cannot hold a payment's request until API Gateway's 30 s cut-off.
 * A DynamoDB request takes milliseconds; 3 s is two orders of magnitude of slack.
 */
export const SDK_HTTP_TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 3_000 } as const;
export const SDK_MAX_ATTEMPTS = 3;

export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
}

let cached: AwsClients | undefined;

/** The user agent of functions that run off any request's path (the webhook pipeline). */
export const BACKGROUND_USER_AGENT = "payrail-background";

export function createClients(faults?: Faults, background = false): AwsClients {
  // The SDK retries throttling itself; three attempts keep a real-time call bounded. Background
  // functions say so in their user agent, so the local counting pass-through can leave their
  // requests out of what a request costs (they are counted apart, in AWS by function).
  const base = new DynamoDBClient({
    maxAttempts: SDK_MAX_ATTEMPTS,
    requestHandler: SDK_HTTP_TIMEOUTS,
    ...(background ? { customUserAgent: BACKGROUND_USER_AGENT } : {}),
  });
  if (faults?.enabled) addDynamoFaults(base, faults);
  const dynamo = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo };
}

/** The container-wide clients, built once per container. */
export function awsClients(faults?: Faults): AwsClients {
  cached ??= createClients(faults);
  return cached;
}
