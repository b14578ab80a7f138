// The real-time target compares a payment's p50 with a floor made of its own DynamoDB transaction,
// sent straight from the bench (scripts/bench/realtime.ts, rawPayment). The floor is only fair if
// it is the exact transaction the router sends: these record both through one fake client.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { AccountDirectory } from "../../../lib/channels/account-directory.js";
import type { BankChannel } from "../../../lib/channels/bank-channel.js";
import { ledgerChannel } from "../../../lib/channels/ledger-channel.js";
import { executePayment } from "../../../lib/channels/router.js";
import { newId } from "../../../lib/domain/ids.js";
import type { LedgerStore } from "../../../lib/ledger/records.js";
import { RiskRuleCache } from "../../../lib/risk/rule-cache.js";
import { rawPayment } from "../../../scripts/bench/realtime.js";

interface Sent {
  command: string;
  input: Record<string, any>;
}

/** A store whose client records every command and answers each as DynamoDB does when all succeed. */
function recordingStore(): { store: LedgerStore; sent: Sent[] } {
  const sent: Sent[] = [];
  const dynamo = {
    send: async (command: { constructor: { name: string }; input: Record<string, any> }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { store: { dynamo, table: "payrail-bench" }, sent };
}

/** The debit of the one transaction sent, without its values (ids and times differ by design). */
function debitShape(sent: Sent[]) {
  const transactions = sent.filter((s) => s.command === "TransactWriteCommand");
  expect(transactions).toHaveLength(1);
  const items = transactions[0]!.input.TransactItems as { Update?: Record<string, any> }[];
  const debit = items[0]!.Update!;
  return {
    items: items.map((item) => Object.keys(item)[0]),
    update: debit.UpdateExpression,
    condition: debit.ConditionExpression,
    names: debit.ExpressionAttributeNames,
    values: Object.keys(debit.ExpressionAttributeValues).sort(),
  };
}

describe("the real-time floor's raw transaction", () => {
  it("is the transaction the router sends for a payment of a merchant without risk rules", async () => {
    const source = newId("account");
    const destination = newId("account");
    const viaRouter = recordingStore();
    await executePayment(
      {
        store: viaRouter.store,
        directory: new AccountDirectory(),
        channels: { ledger: ledgerChannel(viaRouter.store), bank: {} as BankChannel },
        risk: new RiskRuleCache(viaRouter.store, 60_000),
      },
      {
        id: newId("payment"),
        merchantId: "mer_bench",
        source,
        destination,
        amount: 1,
        currency: "USD",
        now: Date.now(),
      },
      undefined,
    );
    const raw = recordingStore();
    await rawPayment(raw.store, "mer_bench", [{ source, destination }])(0);

    const floor = debitShape(raw.sent);
    expect(floor).toEqual(debitShape(viaRouter.sent));
    // The outflow counters ride on every payment's debit, so they are in the floor too.
    expect(floor.update).toContain("ADD");
  });
});
