import { describe, expect, it } from "vitest";
import {
  ConflictEmulator,
  type KeySchema,
  keySchemaOf,
  tablesOf,
} from "../../../scripts/local/conflict-emulator.js";

const schemas = new Map<string, KeySchema>([["payrail-local", { hash: "pk", range: "sk" }]]);
const key = (pk: string, sk = "account") => ({ pk: { S: pk }, sk: { S: sk } });

const update = (pk: string) => ({
  Update: {
    TableName: "payrail-local",
    Key: key(pk),
    UpdateExpression: "SET balance = balance + :a",
    ExpressionAttributeValues: { ":a": { N: "1" } },
  },
});
const put = (pk: string, sk: string) => ({
  Put: { TableName: "payrail-local", Item: { ...key(pk, sk), amount: { N: "5" } } },
});
const payment = (source: string, destination: string, id: string) => ({
  TransactItems: [update(source), update(destination), put(id, "payment")],
});

describe("conflict emulator", () => {
  it("cancels a transaction touching an item another in-flight transaction holds, as AWS answers it", () => {
    const rules = new ConflictEmulator();
    const first = rules.decide("TransactWriteItems", payment("acct_A", "acct_HOT", "pay_1"), schemas);
    expect(first).toEqual({ forward: true, hold: expect.any(Array) });
    const second = rules.decide("TransactWriteItems", payment("acct_B", "acct_HOT", "pay_2"), schemas);
    expect(second).toEqual({
      answer: {
        status: 400,
        body: {
          __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
          CancellationReasons: [
            { Code: "None" },
            { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" },
            { Code: "None" },
          ],
          Message:
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict, None]",
        },
      },
    });
    expect(rules.answered).toEqual({ TransactWriteItems: 1 });
  });

  it("holds the items until the transaction has answered, then lets the next one through", () => {
    const rules = new ConflictEmulator();
    const first = rules.decide("TransactWriteItems", payment("acct_A", "acct_B", "pay_1"), schemas);
    if (!("forward" in first)) throw new Error("expected the first transaction to be forwarded");
    expect(first.hold).toEqual([
      'payrail-local|{"pk":{"S":"acct_A"},"sk":{"S":"account"}}',
      'payrail-local|{"pk":{"S":"acct_B"},"sk":{"S":"account"}}',
      'payrail-local|{"pk":{"S":"pay_1"},"sk":{"S":"payment"}}',
    ]);
    expect(rules.heldCount()).toBe(3);
    rules.release(first.hold);
    expect(rules.heldCount()).toBe(0);
    const next = rules.decide("TransactWriteItems", payment("acct_C", "acct_B", "pay_2"), schemas);
    expect("forward" in next).toBe(true);
  });

  it("marks every held item of a cancelled transaction, in request order", () => {
    const rules = new ConflictEmulator();
    rules.decide("TransactWriteItems", payment("acct_A", "acct_B", "pay_1"), schemas);
    const answer = rules.decide("TransactWriteItems", payment("acct_B", "acct_A", "pay_2"), schemas);
    if (!("answer" in answer)) throw new Error("expected a conflict");
    expect(answer.answer.body.CancellationReasons).toEqual([
      { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" },
      { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" },
      { Code: "None" },
    ]);
    expect(answer.answer.body.Message).toBe(
      "Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, TransactionConflict, None]",
    );
  });

  it("leaves transactions on different items alone: items of one partition key are distinct items", () => {
    const rules = new ConflictEmulator();
    rules.decide("TransactWriteItems", { TransactItems: [put("acct_HOT", "credit#pay_1")] }, schemas);
    const other = rules.decide(
      "TransactWriteItems",
      { TransactItems: [put("acct_HOT", "credit#pay_2")] },
      schemas,
    );
    expect("forward" in other).toBe(true);
    expect(rules.heldCount()).toBe(2);
  });

  it("fails a single-item write on a held item with TransactionConflictException", () => {
    const rules = new ConflictEmulator();
    rules.decide("TransactWriteItems", payment("acct_A", "acct_B", "pay_1"), schemas);
    const single = { TableName: "payrail-local", Key: key("acct_B"), UpdateExpression: "SET x = :x" };
    const expected = {
      answer: {
        status: 400,
        body: {
          __type: "com.amazonaws.dynamodb.v20120810#TransactionConflictException",
          message: "Transaction is ongoing for the item",
        },
      },
    };
    expect(rules.decide("UpdateItem", single, schemas)).toEqual(expected);
    expect(rules.decide("DeleteItem", single, schemas)).toEqual(expected);
    expect(
      rules.decide("PutItem", { TableName: "payrail-local", Item: { ...key("pay_1", "payment") } }, schemas),
    ).toEqual(expected);
    // A single-item write holds nothing: the next one on the same free item goes through.
    const free = { TableName: "payrail-local", Key: key("acct_C"), UpdateExpression: "SET x = :x" };
    expect(rules.decide("UpdateItem", free, schemas)).toEqual({ forward: true, hold: [] });
    expect(rules.decide("UpdateItem", free, schemas)).toEqual({ forward: true, hold: [] });
    expect(rules.answered).toEqual({ UpdateItem: 1, DeleteItem: 1, PutItem: 1 });
  });

  it("cancels a TransactGetItems reading a held item without holding anything itself", () => {
    const rules = new ConflictEmulator();
    rules.decide("TransactWriteItems", payment("acct_A", "acct_B", "pay_1"), schemas);
    const read = (pk: string) => ({ Get: { TableName: "payrail-local", Key: key(pk) } });
    const answer = rules.decide(
      "TransactGetItems",
      { TransactItems: [read("acct_C"), read("acct_A")] },
      schemas,
    );
    if (!("answer" in answer)) throw new Error("expected a conflict");
    expect(answer.answer.body.__type).toBe("com.amazonaws.dynamodb.v20120810#TransactionCanceledException");
    expect(answer.answer.body.CancellationReasons).toEqual([
      { Code: "None" },
      { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" },
    ]);
    expect(rules.decide("TransactGetItems", { TransactItems: [read("acct_C")] }, schemas)).toEqual({
      forward: true,
      hold: [],
    });
    expect(rules.heldCount()).toBe(3);
  });

  it("forwards reads, queries and batch requests untouched", () => {
    const rules = new ConflictEmulator();
    rules.decide("TransactWriteItems", payment("acct_A", "acct_B", "pay_1"), schemas);
    for (const operation of ["GetItem", "Query", "BatchGetItem", "BatchWriteItem"]) {
      expect(rules.decide(operation, { TableName: "payrail-local", Key: key("acct_A") }, schemas)).toEqual({
        forward: true,
        hold: [],
      });
    }
  });

  it("reads the tables a request names and the key schema DescribeTable answers", () => {
    expect(tablesOf("TransactWriteItems", payment("acct_A", "acct_B", "pay_1"))).toEqual(["payrail-local"]);
    expect(tablesOf("UpdateItem", { TableName: "t" })).toEqual(["t"]);
    expect(
      keySchemaOf({
        Table: {
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
        },
      }),
    ).toEqual({ hash: "pk", range: "sk" });
    expect(keySchemaOf({ Table: { KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] } })).toEqual({
      hash: "id",
    });
  });
});
