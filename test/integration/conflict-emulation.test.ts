// The local stack's DynamoDB pass-through answers contended writes as DynamoDB in AWS does
// (scripts/local/conflict-emulator.ts), for every request the handlers make. Here the SDK talks to
// it directly, with its own retries off, so each answer is seen as sent.
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { localDynamo } from "../../scripts/local/local-clients.js";
import { ledgerStore } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

describe("conflict emulation at the DynamoDB pass-through", () => {
  it("cancels transactions and single writes on an item an in-flight transaction holds, and writes nothing for them", async () => {
    const stack = stackContext();
    const table = stack.env.PAYRAIL_TABLE ?? "payrail-local";
    const viaPassThrough = DynamoDBDocumentClient.from(
      localDynamo(stack.dynamoCounterUrl, { maxAttempts: 1 }),
    );
    const hot = { pk: `conflict-test#${Date.now()}`, sk: "counter" };
    await ledgerStore().dynamo.send(new PutCommand({ TableName: table, Item: { ...hot, n: 0 } }));

    const cancellations: TransactionCanceledException[] = [];
    const singleConflicts: Error[] = [];
    const committed: string[] = [];
    const cancelled: string[] = [];
    // Rounds of 16 transactions (and 4 plain updates) on one item at once until both kinds of
    // conflict were answered: on any machine the first round or two already overlap.
    for (let round = 0; round < 40 && (cancellations.length === 0 || singleConflicts.length === 0); round++) {
      await Promise.all([
        ...Array.from({ length: 16 }, async (_, i) => {
          const marker = { pk: `${hot.pk}#${round}-${i}`, sk: "marker" };
          try {
            await viaPassThrough.send(
              new TransactWriteCommand({
                TransactItems: [
                  {
                    Update: {
                      TableName: table,
                      Key: hot,
                      UpdateExpression: "ADD n :one",
                      ExpressionAttributeValues: { ":one": 1 },
                    },
                  },
                  { Put: { TableName: table, Item: marker } },
                ],
              }),
            );
            committed.push(marker.pk);
          } catch (error) {
            if (!(error instanceof TransactionCanceledException)) throw error;
            cancellations.push(error);
            cancelled.push(marker.pk);
          }
        }),
        ...Array.from({ length: 4 }, async () => {
          try {
            await viaPassThrough.send(
              new UpdateCommand({
                TableName: table,
                Key: hot,
                UpdateExpression: "SET touched = :t",
                ExpressionAttributeValues: { ":t": round },
              }),
            );
          } catch (error) {
            if ((error as Error).name !== "TransactionConflictException") throw error;
            singleConflicts.push(error as Error);
          }
        }),
      ]);
    }

    expect(cancellations.length).toBeGreaterThan(0);
    for (const error of cancellations) {
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.CancellationReasons).toEqual([
        { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" },
        { Code: "None" },
      ]);
      expect(error.message).toBe(
        "Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]",
      );
    }
    expect(singleConflicts.length).toBeGreaterThan(0);
    for (const error of singleConflicts) {
      expect(error.message).toBe("Transaction is ongoing for the item");
      expect((error as unknown as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode).toBe(
        400,
      );
    }
    // All or nothing: the counter counts exactly the committed transactions, and no cancelled
    // transaction's put exists.
    const store = ledgerStore();
    const { Item } = await store.dynamo.send(
      new GetCommand({ TableName: table, Key: hot, ConsistentRead: true }),
    );
    expect(Item?.n).toBe(committed.length);
    const leftovers = await Promise.all(
      cancelled.map((pk) =>
        store.dynamo.send(new GetCommand({ TableName: table, Key: { pk, sk: "marker" } })),
      ),
    );
    expect(leftovers.filter((answer) => answer.Item !== undefined)).toEqual([]);
  });
});
