import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { newEvent } from "../../../lib/domain/events.js";
import { idTimeMs } from "../../../lib/domain/ids.js";
import { creditInPlace, crediting, pendingCredit } from "../../../lib/ledger/credits.js";
import { putEvent, restampEvents } from "../../../lib/ledger/events.js";
import { eventKey } from "../../../lib/ledger/keys.js";
import { conflictBackoffMs, type TransactItem, transact } from "../../../lib/ledger/transact.js";

const TABLE = "payrail-test";
const MERCHANT = "mer_01M8A806S4QFNP59HM84X942XD";

/** A document client that answers each command with the next scripted answer, recording what it got. */
function scripted(answers: ((input: Record<string, unknown>) => unknown)[]) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const dynamo = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      sent.push({ name: command.constructor.name, input: structuredClone(command.input) });
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected ${command.constructor.name}`);
      return answer(command.input);
    },
  } as unknown as DynamoDBDocumentClient;
  return { dynamo, sent };
}

const cancelled = (codes: string[]) => () => {
  throw new TransactionCanceledException({
    message: "cancelled",
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
};

const credit = {
  account: "acct_HOT",
  merchantId: MERCHANT,
  amount: 250,
  expect: { type: "wallet" as const, currency: "USD" },
  entry: "pay_1",
};

describe("crediting a hot account", () => {
  it("credits in place first, then, cancelled for that account, writes a pending entry instead", async () => {
    const debit: TransactItem = {
      ConditionCheck: { TableName: TABLE, Key: { pk: "acct_SRC", sk: "account" }, ConditionExpression: "x" },
    };
    const { dynamo, sent } = scripted([
      cancelled(["None", "TransactionConflict"]),
      // The account's owner, type and currency, read once when the credit moves to an entry.
      () => ({ Item: { merchant_id: MERCHANT, type: "wallet", currency: "USD" } }),
      () => ({}),
    ]);
    const store = { dynamo, table: TABLE };
    const { items, options } = await crediting(store, new Map([[1, credit]]), 1_000);
    expect(items.get(1)).toEqual(creditInPlace(TABLE, credit));
    const outcome = await transact(dynamo, [debit, items.get(1) as TransactItem], options);
    expect(outcome).toEqual({ ok: true });
    expect(sent.map((request) => request.name)).toEqual([
      "TransactWriteCommand",
      "GetCommand",
      "TransactWriteCommand",
    ]);
    expect(sent[2]?.input.TransactItems).toEqual([debit, pendingCredit(TABLE, credit, 1_000)]);
    expect(pendingCredit(TABLE, credit, 1_000)).toEqual({
      Put: {
        TableName: TABLE,
        Item: {
          pk: "acct_HOT",
          sk: "credit#pay_1",
          merchant_id: MERCHANT,
          amount: 250,
          created_at_ms: 1_000,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });

    // The container remembers the account is hot: the next credit to it is an entry from the start.
    const next = await crediting(store, new Map([[0, { ...credit, entry: "pay_2" }]]), 2_000);
    expect(next.items.get(0)).toEqual(pendingCredit(TABLE, { ...credit, entry: "pay_2" }, 2_000));
  });

  it("keeps the in-place credit when the account is not what the credit requires (its condition says why)", async () => {
    const other = { ...credit, account: "acct_BANK" };
    const { dynamo, sent } = scripted([
      cancelled(["TransactionConflict"]),
      () => ({ Item: { merchant_id: MERCHANT, type: "bank", currency: "USD" } }),
      cancelled(["ConditionalCheckFailed"]),
    ]);
    const { items, options } = await crediting({ dynamo, table: TABLE }, new Map([[0, other]]));
    const outcome = await transact(dynamo, [items.get(0) as TransactItem], options);
    expect(outcome).toEqual({ ok: false, failed: [true] });
    expect(sent[2]?.input.TransactItems).toEqual([creditInPlace(TABLE, other)]);
  });

  it("backs off with full jitter, doubling from 3 ms up to 100 ms", () => {
    expect([0, 1, 2, 5, 6, 10].map((attempt) => conflictBackoffMs(attempt, 1))).toEqual([
      3, 6, 12, 96, 100, 100,
    ]);
    expect(conflictBackoffMs(4, 0)).toBe(0);
  });

  it("stamps a retried transaction's event afresh, key and time with it, and leaves the rest alone", () => {
    const stale = Date.parse("2026-12-01T00:00:00Z");
    const event = putEvent(TABLE, newEvent("payment.succeeded", MERCHANT, { id: "pay_1" }, stale));
    const other: TransactItem = { Put: { TableName: TABLE, Item: { pk: "pay_1", sk: "payment" } } };
    const now = stale + 7_000;
    const [restamped, untouched] = restampEvents([event, other], now);
    expect(untouched).toBe(other);
    const item = restamped?.Put?.Item as Record<string, unknown>;
    const id = String(item.sk);
    expect(id).toMatch(/^evt_/);
    expect(id).not.toBe(event.Put?.Item?.sk);
    expect(idTimeMs(id)).toBe(now);
    expect(item.pk).toBe(eventKey(MERCHANT, id).pk);
    expect(item.created_at).toBe(Math.floor(now / 1000));
    expect(item.type).toBe("payment.succeeded");
    expect(item.object).toEqual({ id: "pay_1" });
    expect(restamped?.Put?.ConditionExpression).toBe(event.Put?.ConditionExpression);
  });

  it("keeps the order of a transaction's events when it restamps them", () => {
    const stale = Date.parse("2026-12-01T00:00:00Z");
    const first = putEvent(TABLE, newEvent("batch.created", MERCHANT, { id: "bat_1" }, stale));
    const second = putEvent(TABLE, newEvent("batch.requires_approval", MERCHANT, { id: "bat_1" }, stale + 1));
    const now = stale + 7_000;
    for (let round = 0; round < 50; round++) {
      const [a, b] = restampEvents([first, second], now).map((item) => String(item.Put?.Item?.sk));
      expect([idTimeMs(a as string), idTimeMs(b as string)]).toEqual([now, now + 1]);
      expect((a as string) < (b as string)).toBe(true);
    }
  });
});
