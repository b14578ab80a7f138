// Proves what the local stack relies on from fauxqs: VisibilityTimeout hides a received message for
// exactly that long, and RedrivePolicy moves a message to the dead-letter queue on the receive after
// maxReceiveCount, as SQS does.
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localSqs } from "../../scripts/local/local-clients.js";
import { type SqsEmulator, startSqsEmulator } from "../../scripts/local/sqs-emulator.js";

let emulator: SqsEmulator;
let sqs: SQSClient;

beforeAll(async () => {
  emulator = await startSqsEmulator();
  sqs = localSqs(emulator.endpoint);
});

afterAll(async () => {
  sqs.destroy();
  await emulator.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function receive(queueUrl: string) {
  const answer = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MessageSystemAttributeNames: ["All"],
      WaitTimeSeconds: 0,
    }),
  );
  return answer.Messages ?? [];
}

describe("fauxqs (the SQS emulator)", () => {
  it("listens on 127.0.0.1 only", () => {
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("hides a received message for VisibilityTimeout and redrives it after maxReceiveCount receives", async () => {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "verify-dlq" }));
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))
    ).Attributes?.QueueArn;
    const source = await sqs.send(
      new CreateQueueCommand({
        QueueName: "verify-source",
        Attributes: {
          VisibilityTimeout: "1",
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
        },
      }),
    );
    const sourceUrl = source.QueueUrl ?? "";
    expect(sourceUrl).toBe(`${emulator.endpoint}/000000000000/verify-source`);
    await sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "poison" }));

    const first = await receive(sourceUrl);
    expect(first.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([["poison", "1"]]);
    expect(await receive(sourceUrl)).toEqual([]); // invisible while the timeout runs
    await sleep(1100);
    const second = await receive(sourceUrl);
    expect(second.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([["poison", "2"]]);
    await sleep(1100);
    expect(await receive(sourceUrl)).toEqual([]); // third receive: moved instead of delivered
    const dead = await receive(dlq.QueueUrl ?? "");
    expect(dead.map((m) => [m.Body, m.MessageId])).toEqual([["poison", first[0]?.MessageId]]);
  });
});
