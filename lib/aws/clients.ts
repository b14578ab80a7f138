// Owns SDK client construction: built once per container and handed to the modules that use them.
// Local emulators are reached through the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
}

let cached: AwsClients | undefined;

export function createClients(): AwsClients {
  // The SDK retries throttling itself; three attempts keep a real-time call bounded.
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { dynamo, sqs: new SQSClient({ maxAttempts: 3 }) };
}

/** The container-wide clients; created on first use so cold starts pay only for what they touch. */
export function awsClients(): AwsClients {
  cached ??= createClients();
  return cached;
}
