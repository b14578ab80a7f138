// Owns SDK client construction: built once per container and handed to the modules that use them.
// Local emulators are reached through the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Faults } from "../faults.js";
import { addDynamoFaults } from "./dynamo-faults.js";

export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
}

let cached: AwsClients | undefined;

/** The user agent of functions that run off any request's path (the webhook pipeline). */
export const BACKGROUND_USER_AGENT = "payrail-background";

export function createClients(faults?: Faults, background = false): AwsClients {
  // The SDK retries throttling itself; three attempts keep a real-time call bounded. Background
  // functions say so in their user agent, so the local counting pass-through can leave their
  // requests out of what a request costs (they are counted apart, in AWS by function).
  const base = new DynamoDBClient({
    maxAttempts: 3,
    ...(background ? { customUserAgent: BACKGROUND_USER_AGENT } : {}),
  });
  if (faults?.enabled) addDynamoFaults(base, faults);
  const dynamo = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo, sqs: new SQSClient({ maxAttempts: 3 }) };
}

/** The container-wide clients, built once per container. */
export function awsClients(faults?: Faults): AwsClients {
  cached ??= createClients(faults);
  return cached;
}
