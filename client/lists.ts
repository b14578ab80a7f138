// Owns paging through a list route: one page at a time, or every item with `for await`, following
// `starting_after` with the last id of each page while `has_more` is true.
import type { List, WithResponse } from "./types.js";

export type Page<T> = WithResponse<List<T>>;

type FetchPage<T> = (startingAfter: string | undefined) => Promise<Page<T>>;

/** A list request: `await list.page()` for one page, `for await (const x of list)` for all items. */
export class ListRequest<T extends { id: string }> implements AsyncIterable<T> {
  constructor(
    private readonly fetchPage: FetchPage<T>,
    private readonly startingAfter: string | undefined,
  ) {}

  /** The first page (after `starting_after` when given). */
  page(): Promise<Page<T>> {
    return this.fetchPage(this.startingAfter);
  }

  /** Every page in turn. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor = this.startingAfter;
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      const last = page.data.at(-1);
      if (!page.has_more || !last) return;
      cursor = last.id;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item, collected; stops with an error past `max` so a runaway list cannot exhaust memory. */
  async toArray(max = 100_000): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) {
      if (out.length >= max) throw new RangeError(`list has more than ${max} items`);
      out.push(item);
    }
    return out;
  }
}
