// Owns the hold aggregate (authorize now, capture later) and its state machine:
//   held → captured (once, ≤ the held amount, the rest released) | voided | expired
// A hold takes its amount out of the source's spendable balance into `held`; capture, void and
// expiry each put it back (or pay it on) once. Pure: the ledger makes each transition conditional
// on `held`, so of capture, void and expiry racing, exactly one wins.
import type { HoldResource, HoldStatus } from "../schemas/holds.js";
import { DEFAULT_HOLD_DAYS } from "../schemas/holds.js";
import { isLiveOwner } from "./modes.js";

export interface Hold {
  id: string;
  merchantId: string;
  status: HoldStatus;
  amount: number;
  amountCaptured: number;
  currency: string;
  source: string;
  destination: string;
  paymentId: string | null;
  description: string | null;
  metadata: Record<string, string>;
  /** Unix seconds after which the scheduler expires it and capture is refused. */
  expiresAt: number;
  createdAt: number;
}

export interface HoldOrder {
  id: string;
  merchantId: string;
  source: string;
  destination: string;
  amount: number;
  currency: string;
  expiresAt?: string | undefined;
  description?: string | undefined;
  metadata?: Record<string, string> | undefined;
  /** Milliseconds since the epoch. */
  now: number;
}

export function placeHold(order: HoldOrder): Hold {
  const createdAt = Math.floor(order.now / 1000);
  return {
    id: order.id,
    merchantId: order.merchantId,
    status: "held",
    amount: order.amount,
    amountCaptured: 0,
    currency: order.currency,
    source: order.source,
    destination: order.destination,
    paymentId: null,
    description: order.description ?? null,
    metadata: order.metadata ?? {},
    expiresAt:
      order.expiresAt === undefined
        ? createdAt + DEFAULT_HOLD_DAYS * 86_400
        : Math.floor(Date.parse(order.expiresAt) / 1000),
    createdAt,
  };
}

/** A hold accepts a capture or a void only while held and not past its expiry. */
export function isActive(hold: Pick<Hold, "status" | "expiresAt">, nowSec: number): boolean {
  return hold.status === "held" && hold.expiresAt > nowSec;
}

/** What a hold's state says to an action that failed its condition: why it was refused. */
export function inactiveReason(hold: Pick<Hold, "status" | "expiresAt">, nowSec: number): string {
  if (hold.status === "held" && hold.expiresAt <= nowSec) return "The hold has expired.";
  return `The hold is ${hold.status}; it accepts nothing else.`;
}

export function toHoldResource(hold: Hold): HoldResource {
  return {
    id: hold.id,
    object: "hold",
    livemode: isLiveOwner(hold.merchantId),
    status: hold.status,
    amount: hold.amount,
    amount_captured: hold.amountCaptured,
    currency: hold.currency,
    source: hold.source,
    destination: hold.destination,
    payment: hold.paymentId,
    description: hold.description,
    metadata: hold.metadata,
    expires_at: hold.expiresAt,
    created_at: hold.createdAt,
  };
}
