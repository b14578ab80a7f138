// Owns the SQS emulator a test file starts for itself (not the stack's): started before the file's
// tests and stopped by PID after them, plus the queue pair those tests need.
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll } from "vitest";
import { localSqs } from "../../scripts/local/local-clients.js";
import { type SqsEmulator, startSqsEmulator } from "../../scripts/local/sqs-emulator.js";

export interface OwnSqsEmulator {
  emulator: SqsEmulator;
  sqs: SQSClient;
}

/** Registers the start and stop hooks; the fields are set once `beforeAll` has run. */
export function ownSqsEmulator(): OwnSqsEmulator {
  const own = {} as OwnSqsEmulator;
  beforeAll(async () => {
    own.emulator = await startSqsEmulator();
    own.sqs = localSqs(own.emulator.endpoint);
  });
  afterAll(async () => {
    own.sqs.destroy();
    await own.emulator.stop();
  });
  return own;
}

/** A queue with a 1 s visibility timeout and a dead-letter queue after 2 receives. */
export async function queuePair(sqs: SQSClient, name: string): Promise<{ url: string; dlqUrl: string }> {
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl ?? "";
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))
  ).Attributes?.QueueArn;
  const created = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: "1",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
      },
    }),
  );
  return { url: created.QueueUrl ?? "", dlqUrl };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
