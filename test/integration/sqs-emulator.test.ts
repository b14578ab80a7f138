// Proves what the local stack relies on from fauxqs: VisibilityTimeout hides a received message for
// exactly that long, and RedrivePolicy moves a message to the dead-letter queue on the receive after
// maxReceiveCount, as SQS does.
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { ownSqsEmulator, queuePair, sleep } from "../support/sqs-emulator.js";

const own = ownSqsEmulator();

async function receive(queueUrl: string) {
  const answer = await own.sqs.send(
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
    expect(own.emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("hides a received message for VisibilityTimeout and redrives it after maxReceiveCount receives", async () => {
    const { url: sourceUrl, dlqUrl } = await queuePair(own.sqs, "verify-source");
    expect(sourceUrl).toBe(`${own.emulator.endpoint}/000000000000/verify-source`);
    await own.sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "poison" }));

    const first = await receive(sourceUrl);
    expect(first.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([["poison", "1"]]);
    expect(await receive(sourceUrl)).toEqual([]); // invisible while the timeout runs
    await sleep(1100);
    const second = await receive(sourceUrl);
    expect(second.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([["poison", "2"]]);
    await sleep(1100);
    expect(await receive(sourceUrl)).toEqual([]); // third receive: moved instead of delivered
    const dead = await receive(dlqUrl);
    expect(dead.map((m) => [m.Body, m.MessageId])).toEqual([["poison", first[0]?.MessageId]]);
  });
});
