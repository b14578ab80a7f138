// The local stream mapping against DynamoDB Local's real stream: a record the function keeps
// failing on is isolated by bisecting, retried `maximumRetryAttempts` times, recorded for the
// on-failure destination, and the shard moves on, as the AWS mapping configured in serverless.yml
// does. Without that, one poison record held every later event (and its webhooks) forever.
import { CreateTableCommand, DeleteTableCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InvokeOutcome } from "../../scripts/local/lambda-invoke.js";
import { localDynamo } from "../../scripts/local/local-clients.js";
import {
  type StreamFailureRecord,
  type StreamPoller,
  startStreamPoller,
} from "../../scripts/local/stream-poller.js";
import { stackContext } from "../support/stack-context.js";

const table = `stream-poller-${process.pid}-${Date.now()}`;
const dynamo = () => localDynamo(stackContext().dynamoEndpoint);

interface Invocation {
  ids: string[];
  ok: boolean;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  await dynamo().send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
    }),
  );
});

afterAll(async () => {
  await dynamo().send(new DeleteTableCommand({ TableName: table }));
});

describe("local DynamoDB stream mapping", () => {
  it("isolates a poison record by bisecting, gives up on it after the retry limit with an on-failure record, and delivers the rest in order", async () => {
    const invocations: Invocation[] = [];
    const failures: Array<{ queue: string; record: StreamFailureRecord }> = [];
    let poller: StreamPoller | undefined;
    try {
      poller = await startStreamPoller({
        dynamoEndpoint: stackContext().dynamoEndpoint,
        region: "us-east-1",
        subscriptions: [
          {
            functionName: "fanout",
            tableName: table,
            batchSize: 100,
            filterPatterns: [{ dynamodb: { Keys: { sk: { S: [{ prefix: "evt_" }] } } } }],
            bisect: true,
            maximumRetryAttempts: 3,
            onFailureQueue: "fanout-failed",
          },
        ],
        invoke: async (_name, event): Promise<InvokeOutcome> => {
          const records = (event as { Records: Array<{ dynamodb: { Keys: { pk: { S: string } } } }> })
            .Records;
          const ids = records.map((record) => record.dynamodb.Keys.pk.S);
          const ok = !ids.includes("poison");
          invocations.push({ ids, ok });
          return ok ? { ok: true, result: null } : { ok: false, error: "Unhandled: poison" };
        },
        log: () => {},
        sendFailure: async (queue, record) => {
          failures.push({ queue, record });
        },
        retryBaseMs: 5,
      });
      const ids = ["a1", "a2", "a3", "poison", "b1", "b2"];
      for (const id of ids) {
        await dynamo().send(
          new PutItemCommand({ TableName: table, Item: { pk: { S: id }, sk: { S: `evt_${id}` } } }),
        );
      }
      // Not an event: the filter keeps it from the function.
      await dynamo().send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: "other" }, sk: { S: "account" } } }),
      );
      await until(() => failures.length === 1 && invocations.some((i) => i.ok && i.ids.includes("b2")), "b2");

      // The poison record alone: its first attempt and 3 retries, then the on-failure record.
      expect(invocations.filter((i) => i.ids.length === 1 && i.ids[0] === "poison")).toHaveLength(4);
      expect(failures).toHaveLength(1);
      const [{ queue, record }] = failures as [{ queue: string; record: StreamFailureRecord }];
      expect(queue).toBe("fanout-failed");
      expect(record).toMatchObject({
        version: "1.0",
        requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: 4 },
        responseContext: { functionError: "Unhandled: poison" },
        DDBStreamBatchInfo: { batchSize: 1 },
      });
      expect(record.DDBStreamBatchInfo.startSequenceNumber).toMatch(/^\d+$/);
      expect(record.DDBStreamBatchInfo.endSequenceNumber).toBe(record.DDBStreamBatchInfo.startSequenceNumber);
      // Every other event reached the function, in order, and the non-event never did.
      const delivered = invocations.filter((i) => i.ok).flatMap((i) => i.ids);
      expect([...new Set(delivered)]).toEqual(["a1", "a2", "a3", "b1", "b2"]);
      expect(delivered).not.toContain("other");
    } finally {
      await poller?.stop();
    }
  });
});
