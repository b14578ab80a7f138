// Owns the check of every `{id}` in a route's path before anything reads the ledger: an id that is
// not shaped like an id of the route's resource (wrong prefix, any other byte, any other length)
// cannot exist, so it answers 404 `resource_missing` like an unknown id, without a DynamoDB request
// (DynamoDB refuses keys over 2,048 bytes, which used to surface as a 500).
import { isIdOf, type ResourceKind } from "../domain/ids.js";
import { ResourceMissingError } from "../errors.js";

/** The resource whose id follows each collection segment of a path. */
const KIND_BY_COLLECTION: Readonly<Record<string, ResourceKind>> = {
  accounts: "account",
  topups: "topup",
  payments: "payment",
  batches: "batch",
  refunds: "refund",
  fx_quotes: "quote",
  api_keys: "apiKey",
};

/** Ids of resources this table does not know yet still obey the shape every payrail id has. */
const ANY_ID = /^[a-z]{2,8}_[0-9A-Z]{26}$/;

/** Echoed ids are cut to this length: a hostile 3,000-character id need not come back whole. */
const ECHO_LIMIT = 64;

function echoed(id: string): string {
  return id.length > ECHO_LIMIT ? `${id.slice(0, ECHO_LIMIT)}…` : id;
}

/** Throws ResourceMissingError when the path's `{id}` cannot be an id of the route's resource. */
export function assertPathIds(routeKey: string, params: Readonly<Record<string, string>>): void {
  const segments = (routeKey.split(" ")[1] ?? "").split("/");
  const at = segments.indexOf("{id}");
  if (at < 0) return;
  const kind = KIND_BY_COLLECTION[segments[at - 1] ?? ""];
  const id = params.id ?? "";
  if (kind ? isIdOf(kind, id) : ANY_ID.test(id)) return;
  throw new ResourceMissingError(kind ?? "resource", echoed(id), "id");
}
