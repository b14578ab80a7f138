// Owns what the batch API reads: a batch with its live counts, a page of batches, and a page of a
// batch's items in submission order (optionally by status), resolved from its chunks.
import {
  type Batch,
  type BatchChunk,
  chunkItemResources,
  EMPTY_TALLY,
  toBatchResource,
} from "../domain/batches.js";
import { InvalidRequestError } from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { readTally } from "../ledger/batch-chunks.js";
import { readChunks } from "../ledger/batches.js";
import type { LedgerStore } from "../ledger/records.js";
import type { BatchItemResource, BatchItemStatus, BatchResource } from "../schemas/batches.js";

/** Only a batch in flight needs its shards summed; terminal ones carry their final tally. */
export async function batchResource(store: LedgerStore, batch: Batch): Promise<BatchResource> {
  if (batch.status !== "processing") return toBatchResource(batch);
  const { tally } = await readTally(store, batch.id);
  return toBatchResource(batch, tally ?? EMPTY_TALLY);
}

const CHUNKS_PER_READ = 40;

export interface ItemsQuery {
  status: BatchItemStatus | undefined;
  limit: number;
  startingAfter: string | undefined;
}

export async function listBatchItems(
  store: LedgerStore,
  batch: Batch,
  query: ItemsQuery,
): Promise<{ items: BatchItemResource[]; hasMore: boolean }> {
  const out: BatchItemResource[] = [];
  let started = query.startingAfter === undefined;
  let after: number | undefined;
  for (;;) {
    const page: { chunks: BatchChunk[]; more: boolean } = await readChunks(
      store,
      batch,
      after,
      CHUNKS_PER_READ,
    );
    for (const chunk of page.chunks) {
      for (const item of chunkItemResources(batch, chunk)) {
        if (!started) {
          started = item.id === query.startingAfter;
          continue;
        }
        if (query.status !== undefined && item.status !== query.status) continue;
        out.push(item);
        // One extra item tells whether another page exists.
        if (out.length > query.limit) return { items: out.slice(0, query.limit), hasMore: true };
      }
      after = chunk.index;
    }
    if (!page.more || page.chunks.length === 0) break;
  }
  if (!started) {
    throw new InvalidRequestError(
      "resource_missing",
      messageRef("resource_missing.batch_item", { id: query.startingAfter ?? "" }),
      {
        param: "starting_after",
      },
    );
  }
  return { items: out, hasMore: false };
}
