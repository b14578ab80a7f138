// Owns the house FX accounts: per merchant and currency, what the house took in and paid out
// converting that merchant's money. Each conversion writes one entry per currency in its own
// transaction (never an update of a shared total, so conversions never contend): the source
// currency's account gains the source amount (converted + fee + remainder), the destination
// currency's account loses the destination amount. A house account may be negative: it is the
// house's position in that currency, which the operator settles with its liquidity provider
// outside payrail; no merchant balance is ever lent. Per merchant and currency, at every instant:
//   wallets + pending credits + money held by processing payments and batches + house account
//     = top-ups - paid out to banks
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Payment } from "../domain/payments.js";
import type { Currency } from "../money/index.js";
import { fnv1a } from "./keys.js";
import type { LedgerStore } from "./records.js";
import type { TransactItem } from "./transact.js";

/** Entries are spread over this many partitions per merchant (a payroll converts thousands a second). */
const HOUSE_SHARDS = 8;

function housePartition(merchantId: string, shard: number): string {
  return `${merchantId}#fxhouse#${shard}`;
}

export interface HouseEntry {
  merchantId: string;
  currency: Currency;
  /** Unique per currency: what converted (a payment id, a batch chunk, a reversal). */
  entry: string;
  /** Signed minor units: + taken in by the house, - paid out by it. */
  amount: number;
  fee?: number;
  remainder?: number;
}

export function putHouseEntry(table: string, entry: HouseEntry, createdAt: number): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: {
        pk: housePartition(entry.merchantId, fnv1a(entry.entry) % HOUSE_SHARDS),
        sk: `${entry.currency}#${entry.entry}`,
        merchant_id: entry.merchantId,
        currency: entry.currency,
        amount: entry.amount,
        fee: entry.fee ?? 0,
        remainder: entry.remainder ?? 0,
        created_at: createdAt,
      },
      // One entry per conversion and currency: a second write of it is the same transaction again.
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** The house entries of a conversion: the source side in, the destination side out. */
export function houseEntries(
  table: string,
  payment: Payment,
  entry: string,
  createdAt: number,
): TransactItem[] {
  const fx = payment.fx;
  if (!fx) throw new Error(`payment ${payment.id} is not converted`);
  return [
    putHouseEntry(
      table,
      {
        merchantId: payment.merchantId,
        currency: fx.sourceCurrency,
        entry,
        amount: fx.sourceAmount,
        fee: fx.fee,
        remainder: fx.remainder,
      },
      createdAt,
    ),
    putHouseEntry(
      table,
      {
        merchantId: payment.merchantId,
        currency: fx.destinationCurrency,
        entry,
        amount: -fx.destinationAmount,
      },
      createdAt,
    ),
  ];
}

export interface HouseAccount {
  currency: Currency;
  balance: number;
  fees: number;
  remainders: number;
}

/**
 * A merchant's house FX accounts (currencies with entries only), summed from every entry with
 * strongly consistent reads. Cost grows with the number of conversions; folding entries into a
 * running total (as pending credits are) is the next step when that matters.
 */
export async function readHouseAccounts(store: LedgerStore, merchantId: string): Promise<HouseAccount[]> {
  // Summed in BigInt: a house account is a sum of many amounts, never a float.
  const totals = new Map<Currency, { balance: bigint; fees: bigint; remainders: bigint }>();
  await Promise.all(
    Array.from({ length: HOUSE_SHARDS }, async (_, shard) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await store.dynamo.send(
          new QueryCommand({
            TableName: store.table,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": housePartition(merchantId, shard) },
            // Named, not written out: some attribute names are DynamoDB reserved words.
            ProjectionExpression: "#currency, #amount, #fee, #remainder",
            ExpressionAttributeNames: {
              "#currency": "currency",
              "#amount": "amount",
              "#fee": "fee",
              "#remainder": "remainder",
            },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const currency = item.currency as Currency;
          const total = totals.get(currency) ?? { balance: 0n, fees: 0n, remainders: 0n };
          total.balance += BigInt(item.amount as number);
          total.fees += BigInt((item.fee as number | undefined) ?? 0);
          total.remainders += BigInt((item.remainder as number | undefined) ?? 0);
          totals.set(currency, total);
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  return [...totals.entries()]
    .map(([currency, total]) => ({
      currency,
      balance: Number(total.balance),
      fees: Number(total.fees),
      remainders: Number(total.remainders),
    }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}
