// Owns what one consumer invocation shares between its chunk messages (up to 10, usually of one
// batch): the headers and chunks, read in one BatchGetItem; the destinations of every chunk still to
// pay, read together (100 keys per BatchGetItem); and the completion check, made once per batch
// after all of the invocation's chunks are written instead of once per chunk. That takes a chunk
// from about 4.2 DynamoDB requests to about 1.5 (its own transaction plus its share of the reads).
// Destinations read for the round may be a few milliseconds old when a chunk commits; that is safe
// because every credit is conditional on the balance ceiling and a refused credit re-reads.
import type { Account } from "../domain/accounts.js";
import type { Batch, BatchChunk } from "../domain/batches.js";
import { type BatchesAndChunks, chunkRef, readBatchesAndChunks } from "../ledger/batch-chunks.js";
import { SK } from "../ledger/keys.js";
import { getMany } from "../ledger/reads.js";
import { accountFrom } from "../ledger/records.js";
import type { ChunkMessage } from "../queues/batch-queues.js";
import { completeIfDone } from "./complete.js";
import type { BatchDeps } from "./deps.js";
import type { RoundWork } from "./sqs-records.js";

export interface ChunkRound {
  readonly nowMs: number;
  /** The message's batch header and chunk, as read at the start of the round. */
  read(message: ChunkMessage): Promise<{ batch: Batch | undefined; chunk: BatchChunk | undefined }>;
  /** The destination accounts of a chunk still to pay, from the round's shared read. */
  destinations(chunk: BatchChunk): Promise<Map<string, Account>>;
  /** Asks for the batch's completion check at the end of the round, on behalf of `message`. */
  checkCompletion(message: ChunkMessage, batch: Batch): void;
  /** Runs the completion checks; returns the messages whose batch could not be checked (retry them). */
  finish(): Promise<ReadonlySet<ChunkMessage>>;
}

/** Reads a chunk's destination accounts (also used alone, after a refused credit). */
export async function readDestinations(deps: BatchDeps, ids: string[]): Promise<Map<string, Account>> {
  const accounts = new Map<string, Account>();
  for (const [id, item] of await getMany(deps.store, ids, SK.account)) accounts.set(id, accountFrom(item));
  return accounts;
}

export function chunkRound(deps: BatchDeps, messages: readonly ChunkMessage[], nowMs: number): ChunkRound {
  let reads: Promise<BatchesAndChunks> | undefined;
  let accounts: Promise<Map<string, Account>> | undefined;
  const toCheck = new Map<string, { batch: Batch; messages: ChunkMessage[] }>();

  const readAll = () => {
    reads ??= readBatchesAndChunks(
      deps.store,
      messages.map((message) => ({ batchId: message.batch_id, index: message.chunk })),
    );
    return reads;
  };

  return {
    nowMs,
    async read(message) {
      const { batches, chunks } = await readAll();
      return {
        batch: batches.get(message.batch_id),
        chunk: chunks.get(chunkRef(message.batch_id, message.chunk)),
      };
    },
    async destinations(chunk) {
      accounts ??= readAll().then(({ batches, chunks }) => {
        const unpaid = [...chunks.values()].filter(
          (c) => !c.results && batches.get(c.batchId)?.status === "processing",
        );
        return readDestinations(
          deps,
          unpaid.flatMap((c) => c.items.map((item) => item.destination)),
        );
      });
      const all = await accounts;
      return new Map(
        chunk.items.flatMap((item) => {
          const account = all.get(item.destination);
          return account ? [[item.destination, account] as const] : [];
        }),
      );
    },
    checkCompletion(message, batch) {
      const entry = toCheck.get(batch.id) ?? { batch, messages: [] };
      entry.messages.push(message);
      toCheck.set(batch.id, entry);
    },
    async finish() {
      const unchecked = new Set<ChunkMessage>();
      await Promise.all(
        [...toCheck.values()].map(async ({ batch, messages: waiting }) => {
          try {
            await completeIfDone(deps, batch, nowMs);
          } catch (error) {
            // Their redelivery finds the chunks processed and checks again (as does the sweep).
            deps.logger.warn("completion check failed; its messages will be retried", {
              batchId: batch.id,
              error,
            });
            for (const message of waiting) unchecked.add(message);
          }
        }),
      );
      return unchecked;
    },
  };
}

/** The items-queue work: one round per invocation, `pay` for each chunk message, then completions. */
export function chunkWork(
  deps: BatchDeps,
  pay: (deps: BatchDeps, round: ChunkRound, message: ChunkMessage) => Promise<unknown>,
): RoundWork<ChunkMessage> {
  return {
    round(messages) {
      const round = chunkRound(deps, messages, Date.now());
      return { each: (message) => pay(deps, round, message), settle: () => round.finish() };
    },
  };
}
