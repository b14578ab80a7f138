// Owns the sandbox bank rail's books in the table: one item per payout the rail received, under the
// payment's id (pk=pay_…, sk=rail#sandbox), written once. A production rail keeps these on its own
// side and its adapter asks it instead; the sandbox needs them so that "what did you decide for this
// payment?" has a truthful answer in every container, including "never received".
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { PayoutResult, PayoutReturn, RailBooks } from "../channels/bank-rail.js";
import { itemKey, SK, WORK, workSortKey } from "./keys.js";
import { getItems } from "./reads.js";
import type { LedgerStore } from "./records.js";

const RECORD_DAYS = 30;

export function tableRailBooks(store: LedgerStore): RailBooks {
  const find = async (paymentId: string): Promise<PayoutResult | undefined> => {
    const { Item } = await store.dynamo.send(
      new GetCommand({
        TableName: store.table,
        Key: itemKey(paymentId, SK.railRecord),
        ConsistentRead: true,
      }),
    );
    return Item ? (Item.result as PayoutResult) : undefined;
  };
  return {
    find,
    async record(paymentId, result, returning) {
      const nowSec = Math.floor(Date.now() / 1000);
      try {
        await store.dynamo.send(
          new PutCommand({
            TableName: store.table,
            Item: {
              ...itemKey(paymentId, SK.railRecord),
              result,
              recorded_at: nowSec,
              // DynamoDB's TTL removes the record after 30 days: longer than anything that still
              // asks the rail (recovery within minutes, the dead-letter drain within SQS's 14-day
              // retention), so the sandbox's books do not grow forever.
              expires_at: nowSec + RECORD_DAYS * 86_400,
              // A payout the receiving bank will send back waits in the work index until the
              // ledger has applied its return and acknowledged it.
              ...(returning
                ? {
                    return_code: returning.returnCode,
                    return_at_ms: returning.atMs,
                    gsi2pk: WORK.railReturns,
                    gsi2sk: workSortKey(Math.ceil(returning.atMs / 1000), paymentId),
                  }
                : {}),
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
        return result;
      } catch (error) {
        // Recorded before (a repeated send, or a retry of this write whose first answer was lost).
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
        return (await find(paymentId)) ?? result;
      }
    },
    async dueReturns(untilMs, limit): Promise<Omit<PayoutReturn, "livemode">[]> {
      const { Items = [] } = await store.dynamo.send(
        new QueryCommand({
          TableName: store.table,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :work AND gsi2sk < :bound",
          ExpressionAttributeValues: {
            ":work": WORK.railReturns,
            ":bound": workSortKey(Math.floor(untilMs / 1000) + 1, ""),
          },
          Limit: limit,
        }),
      );
      const records = await getItems(
        store,
        Items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) })),
      );
      return records
        .filter((item) => item.gsi2pk === WORK.railReturns && Number(item.return_at_ms) <= untilMs)
        .map((item) => ({
          paymentId: String(item.pk),
          returnCode: String(item.return_code),
          returnedAtMs: Number(item.return_at_ms),
        }));
    },
    async acknowledgeReturn(paymentId) {
      await store.dynamo.send(
        new UpdateCommand({
          TableName: store.table,
          Key: itemKey(paymentId, SK.railRecord),
          UpdateExpression: "SET return_acknowledged_at = :now REMOVE gsi2pk, gsi2sk",
          ExpressionAttributeValues: { ":now": Math.floor(Date.now() / 1000) },
        }),
      );
    },
  };
}
