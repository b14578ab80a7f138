// Owns the event record: what happened to which resource, as the resource looked at that moment.
// Pure: the ledger writes an event in the same transaction as the change it describes
// (lib/ledger/events.ts), so there is never a change without its event nor an event without its change.
import type { EventResource, EventType } from "../schemas/events.js";
import { newId } from "./ids.js";
import { isLiveOwner } from "./modes.js";

export interface PayrailEvent {
  id: string;
  merchantId: string;
  type: EventType;
  /** Seconds since the epoch (the id carries the milliseconds). */
  createdAt: number;
  livemode: boolean;
  /** The resource as GET answers it at the moment of the change. */
  object: Record<string, unknown>;
}

/**
 * A new event about `object`. Its id is time-ordered and stamped now, right before the transaction
 * that writes it: listing order and the list's read horizon both rely on the stamp being close to
 * the commit (lib/ledger/transact.ts refuses to send an event past its commit window).
 */
export function newEvent(
  type: EventType,
  merchantId: string,
  object: object,
  nowMs: number = Date.now(),
): PayrailEvent {
  const resource = object as Record<string, unknown>;
  return {
    id: newId("event", nowMs),
    merchantId,
    type,
    createdAt: Math.floor(nowMs / 1000),
    // An event is owned like the change it records: by the merchant in one mode (modes.ts).
    livemode: isLiveOwner(merchantId),
    object: resource,
  };
}

export function toEventResource(event: PayrailEvent): EventResource {
  return {
    id: event.id,
    object: "event",
    type: event.type,
    created_at: event.createdAt,
    livemode: event.livemode,
    data: { object: event.object },
  };
}

/** True when `type` matches a subscription or filter entry: exact, `*`, or a `prefix.*` wildcard. */
export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}
