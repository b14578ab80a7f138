// The SQS poller against the emulator with a fake function, so Lambda's event source mapping
// semantics are checked without any handler: event shape, partial batch failures, whole-batch
// failures, and redrive after repeated invocation errors.
import { createHash } from "node:crypto";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { InvokeOutcome } from "../../scripts/local/lambda-invoke.js";
import { type QueueSubscription, startSqsPoller } from "../../scripts/local/sqs-poller.js";
import { ownSqsEmulator, queuePair, sleep } from "../support/sqs-emulator.js";

const own = ownSqsEmulator();

async function send(url: string, body: string, attributes = {}): Promise<string> {
  return (
    await own.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: attributes }),
    )
  ).MessageId!;
}

async function depth(url: string): Promise<number> {
  const { Attributes = {} } = await own.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

interface Delivery {
  at: number;
  event: SQSEvent;
}

/** Runs a poller for `queueName` whose fake function answers with `answer(event, call)`. */
async function withPoller(
  queueName: string,
  answer: (event: SQSEvent, call: number) => InvokeOutcome,
  body: (deliveries: Delivery[]) => Promise<void>,
  subscription: Partial<QueueSubscription> = {},
) {
  const deliveries: Delivery[] = [];
  const poller = await startSqsPoller({
    sqsEndpoint: own.emulator.endpoint,
    region: "us-east-1",
    waitTimeSeconds: 1,
    concurrency: 1,
    log: () => undefined,
    subscriptions: [
      {
        functionName: "payrail-test-consume",
        queueName,
        batchSize: 10,
        maximumBatchingWindow: 0,
        reportBatchItemFailures: true,
        ...subscription,
      },
    ],
    invoke: async (functionName, event) => {
      expect(functionName).toBe("payrail-test-consume");
      deliveries.push({ at: Date.now(), event: event as SQSEvent });
      return answer(event as SQSEvent, deliveries.length);
    },
  });
  try {
    await body(deliveries);
  } finally {
    await poller.stop();
  }
}

const delivered = (deliveries: Delivery[]) => deliveries.flatMap((d) => d.event.Records.map((r) => r.body));

describe("SQS poller", () => {
  it("delivers the event Lambda builds for SQS and deletes the batch on success", async () => {
    const { url } = await queuePair(own.sqs, "poller-shape");
    const id = await send(url, '{"chunk":1}', { kind: { DataType: "String", StringValue: "chunk" } });
    await withPoller(
      "poller-shape",
      () => ({ ok: true, result: undefined }),
      async (deliveries) => {
        await until(() => deliveries.length === 1);
        await until(async () => (await depth(url)) === 0);
        const record = deliveries[0]!.event.Records[0]!;
        expect(deliveries[0]!.event.Records).toHaveLength(1);
        expect(record).toEqual({
          messageId: id,
          receiptHandle: expect.any(String),
          body: '{"chunk":1}',
          attributes: expect.objectContaining({
            ApproximateReceiveCount: "1",
            SentTimestamp: expect.stringMatching(/^\d{13}$/),
            ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
          }),
          messageAttributes: {
            kind: { stringValue: "chunk", stringListValues: [], binaryListValues: [], dataType: "String" },
          },
          md5OfBody: createHash("md5").update('{"chunk":1}').digest("hex"),
          md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
          eventSource: "aws:sqs",
          eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:poller-shape",
          awsRegion: "us-east-1",
        });
      },
    );
  });

  it("redelivers only the messages listed in batchItemFailures, after the visibility timeout", async () => {
    const { url } = await queuePair(own.sqs, "poller-partial");
    for (const body of ["a", "b", "c"]) await send(url, body);
    await withPoller(
      "poller-partial",
      (event, call) => {
        const b = event.Records.find((record) => record.body === "b");
        return {
          ok: true,
          result: call === 1 && b ? { batchItemFailures: [{ itemIdentifier: b.messageId }] } : {},
        };
      },
      async (deliveries) => {
        await until(() => deliveries.length === 2);
        await until(async () => (await depth(url)) === 0);
        expect(deliveries[0]!.event.Records.map((r) => r.body).sort()).toEqual(["a", "b", "c"]);
        expect(
          deliveries[1]!.event.Records.map((r) => [r.body, r.attributes.ApproximateReceiveCount]),
        ).toEqual([["b", "2"]]);
        expect(deliveries[1]!.at - deliveries[0]!.at).toBeGreaterThanOrEqual(900); // VisibilityTimeout 1 s
        await sleep(1200);
        expect(deliveries).toHaveLength(2);
      },
    );
  });

  it("treats an itemIdentifier that is not in the batch as a failure of the whole batch", async () => {
    const { url } = await queuePair(own.sqs, "poller-unknown-id");
    for (const body of ["x", "y"]) await send(url, body);
    await withPoller(
      "poller-unknown-id",
      (_, call) => ({
        ok: true,
        result: call === 1 ? { batchItemFailures: [{ itemIdentifier: "nope" }] } : null,
      }),
      async (deliveries) => {
        await until(() => delivered(deliveries).length === 4);
        await until(async () => (await depth(url)) === 0);
        expect(delivered(deliveries).sort()).toEqual(["x", "x", "y", "y"]);
      },
    );
  });

  it("deletes nothing when the invocation fails, and the queue redrives to the DLQ after maxReceiveCount", async () => {
    const { url, dlqUrl } = await queuePair(own.sqs, "poller-poison");
    const id = await send(url, "poison");
    await withPoller(
      "poller-poison",
      () => ({ ok: false, error: "handler threw" }),
      async (deliveries) => {
        await until(async () => (await depth(dlqUrl)) === 1);
        expect(
          deliveries.map((d) => d.event.Records.map((r) => r.attributes.ApproximateReceiveCount)),
        ).toEqual([["1"], ["2"]]);
        expect(await depth(url)).toBe(0);
      },
    );
    const dead = await own.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }));
    expect(dead.Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[id, "poison"]]);
  });

  it("without ReportBatchItemFailures, ignores the answer and deletes the whole batch", async () => {
    const { url } = await queuePair(own.sqs, "poller-plain");
    await send(url, "m");
    await withPoller(
      "poller-plain",
      (event) => ({
        ok: true,
        result: { batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] },
      }),
      async (deliveries) => {
        await until(async () => (await depth(url)) === 0);
        await sleep(1200);
        expect(delivered(deliveries)).toEqual(["m"]);
      },
      { reportBatchItemFailures: false },
    );
  });
});
