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

export function createClients(faults?: Faults): AwsClients {
  // The SDK retries throttling itself; three attempts keep a real-time call bounded.
  const base = new DynamoDBClient({ maxAttempts: 3 });
  if (faults?.enabled) addDynamoFaults(base, faults);
  const dynamo = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo, sqs: new SQSClient({ maxAttempts: 3 }) };
}

/** The container-wide clients, built once per container. */
export function awsClients(faults?: Faults): AwsClients {
  cached ??= createClients(faults);
  return cached;
}
