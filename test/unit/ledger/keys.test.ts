import { describe, expect, it } from "vitest";
import { newId } from "../../../lib/domain/ids.js";
import {
  batchChunkKey,
  batchCounterKey,
  listKeys,
  listPartitions,
  processingPaymentsPartition,
  processingPaymentsPartitions,
} from "../../../lib/ledger/keys.js";

const MERCHANT = "mer_01JF0000000000000000000000";

describe("gsi1 list partitions", () => {
  it("keeps accounts and batches in one partition per merchant", () => {
    expect(listPartitions(MERCHANT, "account")).toEqual([`${MERCHANT}#account`]);
    expect(listKeys(MERCHANT, "batch", "bat_1")).toEqual({ gsi1pk: `${MERCHANT}#batch`, gsi1sk: "bat_1" });
  });

  it("spreads payments over 8 partitions by id, always the same one for the same id", () => {
    expect(listPartitions(MERCHANT, "payment")).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((shard) => `${MERCHANT}#payment#${shard}`),
    );
    const id = newId("payment", Date.UTC(2026, 10, 25));
    const keys = listKeys(MERCHANT, "payment", id);
    expect(keys.gsi1sk).toBe(id);
    expect(listPartitions(MERCHANT, "payment")).toContain(keys.gsi1pk);
    expect(listKeys(MERCHANT, "payment", id)).toEqual(keys);
  });

  it("gives each payment partition between 10% and 15% of 8,000 ids made in the same millisecond", () => {
    const now = Date.UTC(2026, 10, 25);
    const perPartition = new Map<string, number>();
    for (let i = 0; i < 8_000; i++) {
      const { gsi1pk } = listKeys(MERCHANT, "payment", newId("payment", now));
      perPartition.set(gsi1pk, (perPartition.get(gsi1pk) ?? 0) + 1);
    }
    expect(perPartition.size).toBe(8);
    for (const count of perPartition.values()) {
      expect(count).toBeGreaterThan(800);
      expect(count).toBeLessThan(1_200);
    }
  });
});

describe("batch keys", () => {
  it("gives every chunk a partition key of its own and a counter of its own under the batch id", () => {
    expect(batchChunkKey("bat_1", 42)).toEqual({ pk: "bat_1#00042", sk: "chunk" });
    expect(batchChunkKey("bat_1", 0).pk).not.toBe(batchChunkKey("bat_1", 1).pk);
    expect(batchCounterKey("bat_1", 7)).toEqual({ pk: "bat_1", sk: "count#00007" });
    expect(batchCounterKey("bat_1", 23)).not.toEqual(batchCounterKey("bat_1", 7));
  });
});

describe("work index of processing bank payments", () => {
  it("spreads them over 16 shards, each taking between 4% and 8% of 16,000 ids", () => {
    const now = Date.UTC(2026, 11, 2);
    const perShard = new Map<string, number>();
    for (let i = 0; i < 16_000; i++) {
      const partition = processingPaymentsPartition(newId("payment", now));
      perShard.set(partition, (perShard.get(partition) ?? 0) + 1);
    }
    expect([...perShard.keys()].sort()).toEqual(processingPaymentsPartitions().slice(1).sort());
    for (const count of perShard.values()) {
      expect(count).toBeGreaterThan(640);
      expect(count).toBeLessThan(1_280);
    }
  });

  it("reads the unsharded partition of older entries as well as the 16 shards", () => {
    expect(processingPaymentsPartitions()).toEqual([
      "work#payment-processing",
      ...Array.from({ length: 16 }, (_, i) => `work#payment-processing#${String(i).padStart(2, "0")}`),
    ]);
  });
});
