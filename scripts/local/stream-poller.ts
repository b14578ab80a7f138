// Owns the local stand-in for Lambda's DynamoDB stream event source mapping, which serverless-offline
// does not have: it reads DynamoDB Local's own stream of the table (the real Streams API), keeps the
// records that pass the function's filterPatterns, and invokes the function through
// serverless-offline's Lambda endpoint with the same event shape AWS sends. Per shard, in order,
// one batch at a time; a failed invocation is retried with the same records (the shard does not
// advance), as the mapping does. Child shards start after their parent is read to its end.
// Like the mapping, a failing batch is split in two when `bisect` is on (BisectBatchOnFunctionError),
// and records still failing after `maximumRetryAttempts` retries are skipped with an on-failure
// record (the DDBStreamBatchInfo AWS sends to the mapping's OnFailure destination) so one poison
// record cannot hold the shard until its records expire.
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import type { InvokeFunction } from "./lambda-invoke.js";
import { localDynamo } from "./local-clients.js";

export interface StreamSubscription {
  functionName: string;
  tableName: string;
  batchSize: number;
  filterPatterns: unknown[];
  bisect?: boolean | undefined;
  /** Retries after the first attempt; undefined: retry until stopped (AWS: until the records expire). */
  maximumRetryAttempts?: number | undefined;
  /** The SQS queue (name) of the mapping's OnFailure destination. */
  onFailureQueue?: string | undefined;
}

/** What AWS sends to a stream mapping's OnFailure destination for records it gave up on. */
export interface StreamFailureRecord {
  requestContext: {
    condition: "RetryAttemptsExhausted";
    approximateInvokeCount: number;
    functionArn: string;
  };
  responseContext: { functionError: string };
  version: "1.0";
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface StreamPoller {
  stop(): Promise<void>;
}

interface StreamRecord {
  eventName?: string;
  dynamodb?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Shard {
  ShardId: string;
  ParentShardId?: string;
}

const IDLE_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls one DynamoDB Streams action of DynamoDB Local (JSON 1.0, as the SDK would send it). */
async function streamsCall<T>(endpoint: string, action: string, body: unknown): Promise<T> {
  const answer = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDBStreams_20120810.${action}`,
      // DynamoDB Local checks that a signature is present, not what it says.
      authorization:
        "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: JSON.stringify(body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`DynamoDB Streams ${action}: ${answer.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** True when `value` passes one Lambda filter pattern (exact values and `{prefix}` matchers). */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((entry) => {
      if (entry && typeof entry === "object" && "prefix" in entry) {
        return typeof value === "string" && value.startsWith(String((entry as { prefix: unknown }).prefix));
      }
      return entry === value;
    });
  }
  if (pattern && typeof pattern === "object") {
    if (!value || typeof value !== "object") return false;
    return Object.entries(pattern).every(([key, inner]) =>
      matchesPattern(inner, (value as Record<string, unknown>)[key]),
    );
  }
  return pattern === value;
}

export function passesFilters(patterns: readonly unknown[], record: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, record));
}

export async function startStreamPoller(options: {
  dynamoEndpoint: string;
  region: string;
  subscriptions: StreamSubscription[];
  invoke: InvokeFunction;
  log: (line: string) => void;
  /** Sends an on-failure record to a subscription's `onFailureQueue`. */
  sendFailure?: (queueName: string, record: StreamFailureRecord) => Promise<void>;
  /** First retry delay, doubled per retry up to 20 times it (the mapping retries within seconds). */
  retryBaseMs?: number;
}): Promise<StreamPoller> {
  const retryBaseMs = options.retryBaseMs ?? 250;
  let stopping = false;
  const dynamo = localDynamo(options.dynamoEndpoint);
  const loops = await Promise.all(
    options.subscriptions.map(async (subscription) => {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: subscription.tableName }));
      const streamArn = Table?.LatestStreamArn;
      if (!streamArn) throw new Error(`table ${subscription.tableName} has no stream (StreamSpecification)`);
      // Shards open now are read from their tip (nothing has run yet); later ones from their start.
      const known = new Map<string, { iterator: string | undefined; done: boolean; parent?: string }>();
      const discover = async (fromLatest: boolean) => {
        let start: string | undefined;
        do {
          const { StreamDescription } = await streamsCall<{
            StreamDescription: { Shards?: Shard[]; LastEvaluatedShardId?: string };
          }>(options.dynamoEndpoint, "DescribeStream", {
            StreamArn: streamArn,
            ExclusiveStartShardId: start,
          });
          for (const shard of StreamDescription.Shards ?? []) {
            if (known.has(shard.ShardId)) continue;
            const { ShardIterator } = await streamsCall<{ ShardIterator?: string }>(
              options.dynamoEndpoint,
              "GetShardIterator",
              {
                StreamArn: streamArn,
                ShardId: shard.ShardId,
                ShardIteratorType: fromLatest ? "LATEST" : "TRIM_HORIZON",
              },
            );
            known.set(shard.ShardId, {
              iterator: ShardIterator,
              done: !ShardIterator,
              parent: shard.ParentShardId,
            });
          }
          start = StreamDescription.LastEvaluatedShardId;
        } while (start);
      };
      await discover(true);
      const run = async () => {
        let sinceDiscovery = 0;
        while (!stopping) {
          let busy = false;
          try {
            if (++sinceDiscovery >= 20) {
              sinceDiscovery = 0;
              await discover(false);
            }
            for (const [shardId, shard] of known) {
              if (shard.done || !shard.iterator) continue;
              const parent = shard.parent ? known.get(shard.parent) : undefined;
              if (parent && !parent.done) continue;
              const page = await streamsCall<{ Records?: StreamRecord[]; NextShardIterator?: string }>(
                options.dynamoEndpoint,
                "GetRecords",
                { ShardIterator: shard.iterator, Limit: subscription.batchSize },
              );
              const records = (page.Records ?? [])
                .map((record) => ({ ...record, eventSourceARN: streamArn }))
                .filter((record) => passesFilters(subscription.filterPatterns, record));
              if (records.length > 0) {
                busy = true;
                await deliver(subscription, records, shardId);
              }
              shard.iterator = page.NextShardIterator;
              if (!page.NextShardIterator) shard.done = true;
            }
          } catch (error) {
            if (!stopping)
              options.log(`stream poller ${subscription.functionName}: ${(error as Error).message}`);
            await sleep(1000);
          }
          if (!busy) await sleep(IDLE_MS);
        }
      };
      const deliver = async (target: StreamSubscription, records: StreamRecord[], shardId: string) => {
        const limit = target.maximumRetryAttempts ?? Number.POSITIVE_INFINITY;
        let lastError = "";
        for (let attempt = 1; !stopping && attempt <= limit + 1; attempt++) {
          const outcome = await options.invoke(target.functionName, { Records: records });
          if (outcome.ok) return;
          lastError = outcome.error;
          options.log(
            `stream ${shardId} -> ${target.functionName} failed (attempt ${attempt}, ${records.length} records): ${outcome.error}`,
          );
          if (target.bisect && records.length > 1) {
            // Each half is a batch of its own, with its own retries, in order.
            const half = Math.ceil(records.length / 2);
            await deliver(target, records.slice(0, half), shardId);
            await deliver(target, records.slice(half), shardId);
            return;
          }
          if (attempt <= limit) await sleep(Math.min(retryBaseMs * 2 ** (attempt - 1), retryBaseMs * 20));
        }
        if (stopping) return;
        const first = records[0]?.dynamodb as { SequenceNumber?: string } | undefined;
        const last = records.at(-1)?.dynamodb as { SequenceNumber?: string } | undefined;
        options.log(`stream ${shardId} -> ${target.functionName}: gave up on ${records.length} records`);
        if (!target.onFailureQueue || !options.sendFailure) return;
        await options.sendFailure(target.onFailureQueue, {
          requestContext: {
            condition: "RetryAttemptsExhausted",
            approximateInvokeCount: limit + 1,
            functionArn: `arn:aws:lambda:${options.region}:000000000000:function:${target.functionName}`,
          },
          responseContext: { functionError: lastError.slice(0, 1000) },
          version: "1.0",
          timestamp: new Date().toISOString(),
          DDBStreamBatchInfo: {
            shardId,
            startSequenceNumber: first?.SequenceNumber ?? "",
            endSequenceNumber: last?.SequenceNumber ?? "",
            batchSize: records.length,
            streamArn,
          },
        });
      };
      return run;
    }),
  );
  const running = loops.map((run) => run());
  return {
    async stop() {
      stopping = true;
      await Promise.allSettled(running);
      dynamo.destroy();
    },
  };
}
