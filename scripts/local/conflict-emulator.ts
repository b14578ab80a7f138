// Owns the transaction-conflict rules of DynamoDB in AWS, which DynamoDB Local does not have (it
// serializes transactions instead): while a TransactWriteItems is in flight, the items it writes
// are held, and
//   - another TransactWriteItems (or TransactGetItems) touching a held item is cancelled with
//     TransactionCanceledException, one CancellationReason per action in request order:
//     `TransactionConflict` for the held items, `None` for the others;
//   - a PutItem, UpdateItem or DeleteItem on a held item fails with TransactionConflictException.
// Neither is queued or forwarded: nothing is written, as in AWS. Pure (no I/O) so that the unit
// tests pin the exact answers; dynamo-counter-worker.ts applies it to the requests it forwards.
// Only erasable TypeScript: the worker loads this file through Node's type stripping.

export interface KeySchema {
  hash: string;
  range?: string;
}

/** An answer the pass-through sends instead of forwarding the request. */
export interface ConflictAnswer {
  status: number;
  /** The `__type` shape AWS's JSON protocol uses for errors. */
  body: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** Operations the emulator looks at; every other request passes through untouched. */
export const EMULATED_OPERATIONS: ReadonlySet<string> = new Set([
  "TransactWriteItems",
  "TransactGetItems",
  "PutItem",
  "UpdateItem",
  "DeleteItem",
]);

const ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";
const CONFLICT_MESSAGE = "Transaction is ongoing for the item";

/** The tables a request names, so their key schemas can be looked up before `decide`. */
export function tablesOf(operation: string, request: Json): string[] {
  if (operation === "TransactWriteItems" || operation === "TransactGetItems") {
    return [...new Set(actionsOf(request).map((action) => String(action.body.TableName)))];
  }
  return typeof request.TableName === "string" ? [request.TableName] : [];
}

function actionsOf(request: Json): { kind: string; body: Json }[] {
  const items = Array.isArray(request.TransactItems) ? (request.TransactItems as Json[]) : [];
  return items.map((item) => {
    const kind = Object.keys(item)[0] ?? "";
    return { kind, body: (item[kind] as Json | undefined) ?? {} };
  });
}

/** `table|{"pk":{"S":"…"},"sk":{"S":"…"}}`: the identity of one item, whatever action names it. */
export function itemIdentity(table: string, key: Json, schema: KeySchema): string {
  const parts: Json = { [schema.hash]: key[schema.hash] };
  if (schema.range) parts[schema.range] = key[schema.range];
  return `${table}|${JSON.stringify(parts)}`;
}

function identityOf(kind: string, body: Json, schemas: ReadonlyMap<string, KeySchema>): string | undefined {
  const table = String(body.TableName);
  const schema = schemas.get(table);
  if (!schema) return undefined;
  // A Put names its item, everything else its key.
  const key = (kind === "Put" ? body.Item : body.Key) as Json | undefined;
  return key ? itemIdentity(table, key, schema) : undefined;
}

export function transactionCanceled(conflicted: readonly boolean[]): ConflictAnswer {
  const codes = conflicted.map((held) => (held ? "TransactionConflict" : "None"));
  return {
    status: 400,
    body: {
      __type: `${ERROR_PREFIX}TransactionCanceledException`,
      CancellationReasons: conflicted.map((held) =>
        held ? { Code: "TransactionConflict", Message: CONFLICT_MESSAGE } : { Code: "None" },
      ),
      Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
    },
  };
}

export function transactionConflict(): ConflictAnswer {
  return {
    status: 400,
    body: { __type: `${ERROR_PREFIX}TransactionConflictException`, message: CONFLICT_MESSAGE },
  };
}

/** What to do with one request: answer it here, or forward it (holding `hold` until it answers). */
export type Decision = { answer: ConflictAnswer } | { forward: true; hold: string[] };

export class ConflictEmulator {
  private readonly held = new Map<string, number>();
  /** Requests answered with a conflict, by operation. */
  readonly answered: Record<string, number> = {};

  /**
   * Decides on one request. For a forwarded TransactWriteItems the items are held from this call
   * until `release(hold)`; the caller releases when DynamoDB Local has answered.
   */
  decide(operation: string, request: Json, schemas: ReadonlyMap<string, KeySchema>): Decision {
    if (operation === "TransactWriteItems" || operation === "TransactGetItems") {
      const identities = actionsOf(request).map((action) => identityOf(action.kind, action.body, schemas));
      const conflicted = identities.map((identity) => identity !== undefined && this.held.has(identity));
      if (conflicted.some(Boolean)) return this.answer(operation, transactionCanceled(conflicted));
      if (operation === "TransactGetItems") return { forward: true, hold: [] };
      // Two actions on one item are DynamoDB's own validation error: hold the item once.
      const hold = [...new Set(identities.filter((identity): identity is string => identity !== undefined))];
      for (const identity of hold) this.held.set(identity, (this.held.get(identity) ?? 0) + 1);
      return { forward: true, hold };
    }
    if (operation === "PutItem" || operation === "UpdateItem" || operation === "DeleteItem") {
      const identity = identityOf(operation === "PutItem" ? "Put" : "Update", request, schemas);
      if (identity !== undefined && this.held.has(identity))
        return this.answer(operation, transactionConflict());
    }
    return { forward: true, hold: [] };
  }

  release(hold: readonly string[]): void {
    for (const identity of hold) {
      const count = (this.held.get(identity) ?? 0) - 1;
      if (count > 0) this.held.set(identity, count);
      else this.held.delete(identity);
    }
  }

  /** Items held right now (for tests). */
  heldCount(): number {
    return this.held.size;
  }

  private answer(operation: string, answer: ConflictAnswer): Decision {
    this.answered[operation] = (this.answered[operation] ?? 0) + 1;
    return { answer };
  }
}

/** The key schema from a DescribeTable answer. */
export function keySchemaOf(describeTable: Json): KeySchema | undefined {
  const table = describeTable.Table as Json | undefined;
  const elements = (table?.KeySchema as { AttributeName: string; KeyType: string }[] | undefined) ?? [];
  const hash = elements.find((element) => element.KeyType === "HASH")?.AttributeName;
  if (!hash) return undefined;
  const range = elements.find((element) => element.KeyType === "RANGE")?.AttributeName;
  return range ? { hash, range } : { hash };
}
