import type { SQSEvent } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { retryBackoffSeconds, workOnRecords } from "../../../lib/batches/sqs-records.js";
import { ServiceUnavailableError } from "../../../lib/errors.js";
import { chunkMessageSchema } from "../../../lib/queues/batch-queues.js";

function record(messageId: string, body: string, receiveCount = "1") {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: receiveCount },
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:payrail-dev-items",
  };
}

function deps() {
  return {
    queues: { sendRelease: vi.fn(), sendChunks: vi.fn(), retryAfter: vi.fn(async () => {}) },
    logger: { warn: vi.fn(), error: vi.fn() },
  } as never as Parameters<typeof workOnRecords>[0] & {
    queues: { retryAfter: ReturnType<typeof vi.fn> };
  };
}

const BATCH = "bat_01M8A806S4QFNP59HM84X942XD";

describe("partial batch responses", () => {
  it("backs off 1, 2, 4, 8, 16 seconds by receive count, capped at a minute", () => {
    expect([1, 2, 3, 4, 5, 10].map((count) => retryBackoffSeconds(count))).toEqual([1, 2, 4, 8, 16, 60]);
  });

  it("backs off 30 s doubling to 5 minutes while the table is busy (throttled, or the ledger gave up)", () => {
    const throttled = Object.assign(new Error("rate exceeded"), { name: "ThrottlingException" });
    const gaveUp = new ServiceUnavailableError("The ledger is busy; retry the request.", throttled);
    const wrapped = new Error("chunk failed", { cause: gaveUp });
    for (const error of [throttled, gaveUp, wrapped])
      expect([1, 2, 3, 4, 5, 10].map((count) => retryBackoffSeconds(count, error))).toEqual([
        30, 60, 120, 240, 300, 300,
      ]);
    // Four busy retries span 7.5 minutes before the fifth receive; anything else still dead-letters fast.
    expect([1, 2, 3, 4].reduce((sum, count) => sum + retryBackoffSeconds(count, throttled), 0)).toBe(450);
    expect(retryBackoffSeconds(3, new Error("ValidationException"))).toBe(4);
  });

  it("gives a throttled message the busy backoff when its work throws", async () => {
    const d = deps();
    const event = {
      Records: [record("busy", JSON.stringify({ batch_id: BATCH, chunk: 1 }), "2")],
    } as SQSEvent;
    await workOnRecords(d, event, chunkMessageSchema, async () => {
      throw Object.assign(new Error("rate exceeded"), { name: "ProvisionedThroughputExceededException" });
    });
    expect(d.queues.retryAfter).toHaveBeenCalledWith(
      "arn:aws:sqs:us-east-1:000000000000:payrail-dev-items",
      "rh-busy",
      60,
    );
  });

  it("reports only the messages whose work threw, and shortens their visibility", async () => {
    const d = deps();
    const event = {
      Records: [
        record("ok", JSON.stringify({ batch_id: BATCH, chunk: 0 })),
        record("boom", JSON.stringify({ batch_id: BATCH, chunk: 1 }), "3"),
      ],
    } as SQSEvent;
    const seen: number[] = [];
    const answer = await workOnRecords(d, event, chunkMessageSchema, async (message) => {
      seen.push(message.chunk);
      if (message.chunk === 1) throw new Error("transient");
    });
    expect(seen.sort()).toEqual([0, 1]);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "boom" }] });
    expect(d.queues.retryAfter).toHaveBeenCalledWith(
      "arn:aws:sqs:us-east-1:000000000000:payrail-dev-items",
      "rh-boom",
      4,
    );
  });

  it("drops a malformed message instead of retrying it into the dead-letter queue", async () => {
    const d = deps();
    const event = {
      Records: [record("bad", "{not json"), record("wrong", JSON.stringify({ batch_id: "x", chunk: 1 }))],
    } as SQSEvent;
    const work = vi.fn();
    expect(await workOnRecords(d, event, chunkMessageSchema, work)).toEqual({ batchItemFailures: [] });
    expect(work).not.toHaveBeenCalled();
  });
});

describe("rounds (work that ends with one step for the whole invocation)", () => {
  it("reports the messages the final step could not settle, once, besides those whose own work threw", async () => {
    const d = deps();
    const event = {
      Records: [
        record("a", JSON.stringify({ batch_id: BATCH, chunk: 0 })),
        record("b", JSON.stringify({ batch_id: BATCH, chunk: 1 })),
        record("c", JSON.stringify({ batch_id: BATCH, chunk: 2 }), "2"),
      ],
    } as SQSEvent;
    const rounds: number[][] = [];
    const answer = await workOnRecords(d, event, chunkMessageSchema, {
      round(messages) {
        rounds.push(messages.map((message) => message.chunk));
        return {
          async each(message) {
            if (message.chunk === 2) throw new Error("transient");
          },
          async settle() {
            return new Set(messages.filter((message) => message.chunk !== 0));
          },
        };
      },
    });
    expect(rounds).toEqual([[0, 1, 2]]);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "b" }, { itemIdentifier: "c" }] });
    expect(d.queues.retryAfter.mock.calls).toEqual([
      ["arn:aws:sqs:us-east-1:000000000000:payrail-dev-items", "rh-c", 2],
      ["arn:aws:sqs:us-east-1:000000000000:payrail-dev-items", "rh-b", 1],
    ]);
  });
});
