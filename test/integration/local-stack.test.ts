// The local stack itself: resources exactly as serverless.yml declares them, handlers wired to the
// emulators through the SDK's own endpoint variables, API Gateway-like routing and body limits.
import { DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { readCounts, resetCounts } from "../../scripts/local/dynamo-counter.js";
import { localDynamo, localSqs } from "../../scripts/local/local-clients.js";
import { newMerchant } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

const stack = stackContext();
const dynamo = localDynamo(stack.dynamoEndpoint, { region: stack.region });
const sqs = localSqs(stack.sqsEndpoint, { region: stack.region });

afterAll(() => {
  dynamo.destroy();
  sqs.destroy();
});

async function queueAttributes(name: string): Promise<Record<string, string>> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
  );
  return Attributes;
}

const MB6 = 6 * 1024 * 1024;

/** A JSON body of exactly `bytes` bytes. */
function bodyOf(bytes: number): string {
  const shell = '{"pad":""}';
  return `{"pad":"${"x".repeat(bytes - shell.length)}"}`;
}

describe("local stack resources", () => {
  it("creates the ledger table with serverless.yml's keys, indexes, billing mode and TTL", async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: "payrail-local" }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    expect(
      Table?.GlobalSecondaryIndexes?.map((index) => ({
        name: index.IndexName,
        keys: index.KeySchema,
        projection: index.Projection?.ProjectionType,
      })),
    ).toEqual([
      {
        name: "gsi1",
        keys: [
          { AttributeName: "gsi1pk", KeyType: "HASH" },
          { AttributeName: "gsi1sk", KeyType: "RANGE" },
        ],
        projection: "KEYS_ONLY",
      },
      {
        name: "gsi2",
        keys: [
          { AttributeName: "gsi2pk", KeyType: "HASH" },
          { AttributeName: "gsi2sk", KeyType: "RANGE" },
        ],
        projection: "KEYS_ONLY",
      },
      ...[3, 4, 5, 6].map((n) => ({
        // The list filters' sparse indexes (status, source, destination, batch), sorted by id.
        name: `gsi${n}`,
        keys: [
          { AttributeName: `gsi${n}pk`, KeyType: "HASH" },
          { AttributeName: "gsi1sk", KeyType: "RANGE" },
        ],
        projection: "KEYS_ONLY",
      })),
    ]);
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: "payrail-local" }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: "expires_at" });
  });

  it("creates the queues with their redrive policies (test overrides for timeout and receive count)", async () => {
    const items = await queueAttributes("payrail-local-items");
    expect(items.VisibilityTimeout).toBe(String(stack.visibilityTimeoutSeconds));
    expect(JSON.parse(items.RedrivePolicy ?? "{}")).toEqual({
      deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:payrail-local-items-dlq",
      maxReceiveCount: stack.maxReceiveCount,
    });
    const release = await queueAttributes("payrail-local-release");
    expect(JSON.parse(release.RedrivePolicy ?? "{}")).toEqual({
      deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:payrail-local-release-dlq",
      maxReceiveCount: stack.maxReceiveCount,
    });
    const itemsDlq = await queueAttributes("payrail-local-items-dlq");
    expect([itemsDlq.MessageRetentionPeriod, itemsDlq.RedrivePolicy]).toEqual(["1209600", undefined]);
    const releaseDlq = await queueAttributes("payrail-local-release-dlq");
    expect(releaseDlq.MessageRetentionPeriod).toBe("1209600");
  });
});

describe("local stack handlers", () => {
  it("gives handlers the emulator endpoints, serverless.yml's environment and the caller's settings", () => {
    expect(stack.env).toMatchObject({
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoCounterUrl,
      AWS_ENDPOINT_URL_SQS: stack.sqsEndpoint,
      PAYRAIL_TABLE: "payrail-local",
      PAYRAIL_ITEMS_QUEUE: "payrail-local-items",
      PAYRAIL_ITEMS_DLQ: "payrail-local-items-dlq",
      PAYRAIL_RELEASE_QUEUE: "payrail-local-release",
      PAYRAIL_FAULTS_ENABLED: "1",
    });
  });

  // Also the guard against bundling the AWS SDK as ESM (`Dynamic require of "node:https"`): this
  // handler's bundle must load the SDK and reach DynamoDB through AWS_ENDPOINT_URL_DYNAMODB.
  it("runs the esbuild bundles, whose SDK reaches DynamoDB Local through the endpoint variable", async () => {
    const merchant = await newMerchant("local-stack");
    await resetCounts(stack.dynamoCounterUrl);
    const listed = await merchant.http.get("/v1/accounts");
    expect([listed.status, listed.body]).toEqual([
      200,
      { object: "list", url: "/v1/accounts", data: [], has_more: false },
    ]);
    expect((await readCounts(stack.dynamoCounterUrl)).total).toBeGreaterThan(0);
  });

  it("answers unknown routes with the fallback's JSON 404 and a distinct request id each time", async () => {
    const first = await fetch(`${stack.httpUrl}/v1/anything`);
    const second = await fetch(`${stack.httpUrl}/v1/anything`);
    type ErrorBody = { error: { code: string; request_id: string } };
    const [a, b] = [(await first.json()) as ErrorBody, (await second.json()) as ErrorBody];
    expect([first.status, first.headers.get("content-type")?.startsWith("application/json")]).toEqual([
      404,
      true,
    ]);
    expect(a).toEqual({
      error: {
        type: "invalid_request_error",
        code: "route_not_found",
        message: "Unrecognized request URL (GET: /v1/anything).",
        request_id: expect.stringMatching(/^req_[A-Za-z0-9]+$/),
      },
    });
    expect(b.error.request_id).not.toBe(a.error.request_id);
  });

  it("routes a wrong method on a known path to the fallback's 405 with Allow", async () => {
    const answer = await fetch(`${stack.httpUrl}/v1/accounts`, { method: "DELETE" });
    expect([answer.status, answer.headers.get("allow")]).toEqual([405, "POST, GET"]);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });

  it("delivers a 6 MB body to the handler and answers 413 body_too_large above it", async () => {
    const merchant = await newMerchant("local-stack-bodies");
    const exactly6 = await merchant.http.call("POST", "/v1/payments", { raw: bodyOf(MB6) });
    expect(exactly6.status).toBe(400); // the handler read and validated it
    expect(exactly6.body.error.code).not.toBe("body_too_large");

    const over6 = await merchant.http.call("POST", "/v1/payments", { raw: bodyOf(MB6 + 1) });
    expect([over6.status, over6.body.error.type, over6.body.error.code]).toEqual([
      413,
      "invalid_request_error",
      "body_too_large",
    ]);
    // Above API Gateway's 10 MB the request never reaches a handler; the answer keeps the same shape.
    const over10 = await merchant.http.call("POST", "/v1/payments", { raw: bodyOf(10 * 1024 * 1024 + 1) });
    expect([over10.status, over10.body]).toEqual([
      413,
      {
        error: {
          type: "invalid_request_error",
          code: "body_too_large",
          message: "The request body exceeds the 6 MB synchronous payload limit.",
          request_id: expect.stringMatching(/^req_[0-9a-f]{32}$/),
        },
      },
    ]);
  });

  it("invokes a function through the Lambda Invoke API with a Scheduled Event", async () => {
    const answer = await stack.invoke("scheduler", {
      version: "0",
      id: "local-stack-test",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: "000000000000",
      time: "2000-01-01T00:00:00Z", // nothing is due that early
      region: "us-east-1",
      resources: [],
      detail: {},
    });
    // Nothing is scheduled before 2000; batches other files left in flight may still be completed.
    expect(answer).toEqual({
      released: 0,
      completed: expect.any(Number),
      redispatched: 0,
      settled: 0,
      reversed: 0,
      deferred: 0,
      // Nothing is returned by a rail or expires before 2000 either.
      returned: 0,
      expired: 0,
    });
  });
});
