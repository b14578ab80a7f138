// Owns the top-up: funding of a wallet from outside the ledger (the only way money enters). In test
// mode a top-up is sandbox money asked for through the API; in live mode it is an inbound credit the
// bank rail reported, recorded by an operator (npm run admin -- record-inbound-credit).
import type { Currency } from "../money/index.js";
import type { CreateTopupRequest, TopupResource } from "../schemas/topups.js";
import { newId } from "./ids.js";
import { isLiveOwner } from "./modes.js";

export interface Topup {
  id: string;
  merchantId: string;
  account: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  createdAt: number;
}

export function newTopup(merchantId: string, request: CreateTopupRequest, now: number): Topup {
  return {
    id: newId("topup", now),
    merchantId,
    account: request.account,
    amount: request.amount,
    currency: request.currency,
    metadata: request.metadata ?? {},
    createdAt: Math.floor(now / 1000),
  };
}

export function toTopupResource(topup: Topup): TopupResource {
  return {
    id: topup.id,
    object: "topup",
    livemode: isLiveOwner(topup.merchantId),
    account: topup.account,
    amount: topup.amount,
    currency: topup.currency as Currency,
    status: "succeeded",
    metadata: topup.metadata,
    created_at: topup.createdAt,
  };
}
