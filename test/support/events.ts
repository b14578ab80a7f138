// Helpers for the event tests: read a merchant's event log forward, and wait until the events a
// test caused have passed the list's read horizon.
import { expect } from "vitest";
import type { EventResource } from "../../lib/schemas/events.js";
import { poll } from "./batches.js";
import type { TestMerchant } from "./fixtures.js";

/** Every event of a merchant visible now, oldest first, all pages (after `after` when given). */
export async function allEvents(
  merchant: TestMerchant,
  options: { type?: string; after?: string; limit?: number } = {},
): Promise<EventResource[]> {
  const events: EventResource[] = [];
  let after = options.after;
  for (;;) {
    const query = new URLSearchParams({ limit: String(options.limit ?? 100) });
    if (options.type) query.set("type", options.type);
    if (after) query.set("starting_after", after);
    const page = await merchant.http.get(`/v1/events?${query}`);
    expect(page.status, page.text).toBe(200);
    events.push(...page.body.data);
    if (!page.body.has_more) return events;
    after = page.body.data.at(-1)?.id;
  }
}

/** Waits until the event log holds an event for each `[type, object id]` wanted; returns the log. */
export async function awaitEvents(
  merchant: TestMerchant,
  wanted: readonly (readonly [string, string])[],
  timeoutMs = 30_000,
): Promise<EventResource[]> {
  const has = (events: EventResource[]) =>
    wanted.every(([type, id]) => events.some((e) => e.type === type && e.data.object.id === id));
  return poll(() => allEvents(merchant), has, timeoutMs);
}

/** The one event of `type` about resource `id` in `events` (fails if there is not exactly one). */
export function eventAbout(events: readonly EventResource[], type: string, id: string): EventResource {
  const found = events.filter((e) => e.type === type && e.data.object.id === id);
  expect(found, `${type} about ${id}`).toHaveLength(1);
  return found[0] as EventResource;
}
