// Owns the stored risk rules: one item per owner (merchant in one mode), `pk=<owner>#risk`,
// `sk=risk_rules`, each rule an attribute named by its id (`rr_…`) and `rule_count` their number. The
// payment path reads the whole set in one GetItem, cached per container (lib/risk/rule-cache.ts),
// so rules cost no request per payment; the item is written only when a rule is set or deleted.
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { MAX_RISK_RULES, type RiskRule } from "../domain/risk/rules.js";
import { commitWithIdempotency } from "./commit.js";
import type { IdempotencyClaim, StoredResponse } from "./idempotency.js";
import type { Item, LedgerStore } from "./records.js";
import { type TransactItem, transact } from "./transact.js";

const RULES_SK = "risk_rules";
/** Rules are the attributes named by a rule id; nothing else on the item starts so. */
const PREFIX = "rr_";

function rulesKey(owner: string) {
  return { pk: `${owner}#risk`, sk: RULES_SK };
}

function ruleItem(rule: RiskRule): Item {
  return {
    id: rule.id,
    merchant_id: rule.merchantId,
    type: rule.type,
    action: rule.action,
    account: rule.account,
    amount: rule.amount,
    currency: rule.currency,
    count: rule.count,
    hours: rule.hours,
    destinations: rule.destinations,
    created_at: rule.createdAt,
  };
}

function ruleFromItem(item: Item): RiskRule {
  return {
    id: String(item.id),
    merchantId: String(item.merchant_id),
    type: item.type as RiskRule["type"],
    action: item.action as RiskRule["action"],
    account: (item.account as string | null) ?? null,
    amount: item.amount == null ? null : Number(item.amount),
    currency: (item.currency as string | null) ?? null,
    count: item.count == null ? null : Number(item.count),
    hours: item.hours == null ? null : Number(item.hours),
    destinations: (item.destinations as string[] | null) ?? null,
    createdAt: Number(item.created_at),
  };
}

export type InsertRuleOutcome = "inserted" | "too_many";

export async function insertRiskRule(
  store: LedgerStore,
  rule: RiskRule,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<InsertRuleOutcome> {
  const update: TransactItem = {
    Update: {
      TableName: store.table,
      Key: rulesKey(rule.merchantId),
      UpdateExpression: "SET #rule = :rule ADD rule_count :one",
      // At most 100 rules: the set is read whole on the payment path and must stay small.
      ConditionExpression: "attribute_not_exists(rule_count) OR rule_count < :max",
      ExpressionAttributeNames: { "#rule": rule.id },
      ExpressionAttributeValues: { ":rule": ruleItem(rule), ":one": 1, ":max": MAX_RISK_RULES },
    },
  };
  const outcome = await commitWithIdempotency(store, [update], claim, response);
  if (outcome.ok) return "inserted";
  // The id is this request's own: present means an earlier attempt committed and its answer was lost.
  const rules = await readRiskRules(store, rule.merchantId);
  return rules.some((r) => r.id === rule.id) ? "inserted" : "too_many";
}

/** Every rule of an owner, oldest first. */
export async function readRiskRules(store: LedgerStore, owner: string): Promise<RiskRule[]> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: rulesKey(owner), ConsistentRead: true }),
  );
  if (!Item) return [];
  return Object.entries(Item)
    .filter(([name]) => name.startsWith(PREFIX))
    .map(([, value]) => ruleFromItem(value as Item))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Deletes one rule; false when the owner has no such rule (404). */
export async function deleteRiskRule(
  store: LedgerStore,
  owner: string,
  id: string,
  requestId: string,
): Promise<boolean> {
  const update: TransactItem = {
    Update: {
      TableName: store.table,
      Key: rulesKey(owner),
      // The request id makes each deletion a transaction of its own: transact() derives the
      // idempotency token from the content, and a second DELETE must fail, not replay the first.
      UpdateExpression: "SET last_deleted_by = :request REMOVE #rule ADD rule_count :minus",
      // Only an existing rule is deleted, once: the count stays exact.
      ConditionExpression: "attribute_exists(#rule)",
      ExpressionAttributeNames: { "#rule": id },
      ExpressionAttributeValues: { ":minus": -1, ":request": requestId },
    },
  };
  const outcome = await transact(store.dynamo, [update]);
  return outcome.ok;
}
