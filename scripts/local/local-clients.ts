// Owns how anything outside the handlers (the stack itself, seeds, tests, benchmarks) reaches the
// local emulators: one region, one set of dummy credentials, clients built one way.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { LedgerStore } from "../../lib/ledger/records.js";

export const LOCAL_REGION = "us-east-1";
/** The emulators accept any credentials; the SDK only needs some to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface LocalClientOptions {
  region?: string;
  maxAttempts?: number;
}

export function localDynamo(endpoint: string, options: LocalClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, ...options });
}

export function localSqs(endpoint: string, options: LocalClientOptions = {}): SQSClient {
  return new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, ...options });
}

/** The ledger on a local DynamoDB, marshalled as lib/aws/clients.ts does for the handlers. */
export function localLedgerStore(endpoint: string, table: string): LedgerStore {
  return {
    dynamo: DynamoDBDocumentClient.from(localDynamo(endpoint, { maxAttempts: 3 }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    table,
  };
}
