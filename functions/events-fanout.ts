// DynamoDB stream of the ledger table (INSERTs of event items only, by the mapping's filter): queue
// one webhook delivery per subscribed endpoint. A throw retries the whole batch (deliveries are
// at least once; receivers dedupe on Payrail-Event-Id).
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { AttributeValue, DynamoDBStreamEvent } from "aws-lambda";
import type { PayrailEvent } from "../lib/domain/events.js";
import { eventFrom } from "../lib/ledger/events.js";
import { runtime } from "../lib/runtime.js";
import { webhookDeps } from "../lib/webhooks/deps.js";
import { fanOut } from "../lib/webhooks/fan-out.js";

const rt = runtime();
const deps = webhookDeps(rt, true);

export const handler = async (stream: DynamoDBStreamEvent): Promise<{ queued: number }> => {
  const events: PayrailEvent[] = [];
  for (const record of stream.Records) {
    const image = record.dynamodb?.NewImage;
    // The filter in serverless.yml already keeps only event INSERTs; this keeps the function honest
    // wherever it is fed from.
    if (record.eventName !== "INSERT" || !image || !String(image.sk?.S ?? "").startsWith("evt_")) continue;
    events.push(eventFrom(unmarshall(image as Record<string, AttributeValue> as never)));
  }
  const queued = await fanOut(deps, events, Math.floor(Date.now() / 1000));
  return { queued };
};
