// Owns the whole local stack, in start order: DynamoDB Local and the SQS emulator, the tables and
// queues of serverless.yml, serverless-offline (HTTP API + Lambda Invoke API), the SQS pollers and
// the schedule tick. stop() stops what was started, in reverse order, by PID.
//
// Handlers reach DynamoDB through a counting pass-through (dynamo-counter.ts), so tests and
// benchmarks can count real requests; `dynamoEndpoint` is DynamoDB Local itself, for fixtures.
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type DynamoCounter, startDynamoCounter } from "./dynamo-counter.js";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local.js";
import { ComponentStartError } from "./errors.js";
import { lambdaInvoker } from "./lambda-invoke.js";
import { localSqs } from "./local-clients.js";
import { type Offline, startOffline } from "./offline.js";
import { assertPortFree, freePort } from "./ports.js";
import { LOCAL_DIR } from "./project.js";
import { createResources } from "./resources.js";
import {
  invokeScheduled,
  type SchedulerTick,
  scheduledFunctions,
  startSchedulerTick,
} from "./scheduler-tick.js";
import { loadServiceDefinition } from "./service-definition.js";
import { type SqsEmulator, startSqsEmulator } from "./sqs-emulator.js";
import { type SqsPoller, startSqsPoller } from "./sqs-poller.js";
import { type StreamFailureRecord, startStreamPoller } from "./stream-poller.js";

export interface StackOptions {
  /** 0 or absent: an ephemeral port. An explicit port that is taken fails with PortInUseError. */
  httpPort?: number;
  /** Persist DynamoDB and SQS here (restarts keep data); in memory when absent. */
  dataDir?: string;
  /** Extra environment for the handlers (PAYRAIL_BANK_RAIL_LATENCY_MS, PAYRAIL_FAULTS_ENABLED, ...). */
  env?: Record<string, string>;
  /** Test-only: every queue's VisibilityTimeout, seconds (serverless.yml says 360). */
  visibilityTimeoutSeconds?: number;
  /** Test-only: every RedrivePolicy's maxReceiveCount (serverless.yml says 5). */
  maxReceiveCount?: number;
  /** serverless.yml stage; "local" by default (tables and queues are named payrail-local-*). */
  stage?: string;
  /** Run `schedule` functions on their rate; default true. Tests turn it off and call invoke(). */
  scheduler?: boolean;
  /** Rebuild and reload handlers when sources change; default true (`npm start`), false in tests. */
  watch?: boolean;
  /**
   * Emulate AWS transaction conflicts at the DynamoDB pass-through (dynamo-counter.ts); default true
   * (`npm start`, the test suite). The bench turns it off only around its raw floors.
   */
  emulateConflicts?: boolean;
  /** Concurrent pollers per queue; default 2. */
  pollerConcurrency?: number;
  /** Where child processes and pollers print. Default: .local/logs/stack-<pid>.log, removed on a clean stop. */
  output?: Writable;
  /** Called as each component comes up, with how long it took. */
  onReady?: (component: string, detail: string, ms: number) => void;
}

export interface Stack {
  httpUrl: string;
  /** serverless-offline's Lambda Invoke API (`/2015-03-31/functions/<name>/invocations`). */
  lambdaUrl: string;
  /** DynamoDB Local itself (not counted). */
  dynamoEndpoint: string;
  /** The counting pass-through the handlers use (dynamo-counter.ts). */
  dynamoCounterUrl: string;
  sqsEndpoint: string;
  service: string;
  stage: string;
  region: string;
  /** The environment the handlers got: the serverless process env plus provider.environment. */
  env: Record<string, string>;
  /** Where the handlers' logs go, when the stack writes its own log file (no `output` given). */
  logFile: string | undefined;
  /** Invokes a function by serverless.yml key (`scheduler`) or deployed name; throws if it failed. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Invokes a `schedule` function once with a Scheduled Event whose `time` is `time`. */
  invokeScheduled(functionName: string, time: Date): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const stage = options.stage ?? "local";
  const region = "us-east-1";
  const definition = loadServiceDefinition({ stage, region });
  if (options.httpPort) await assertPortFree(options.httpPort);

  mkdirSync(join(LOCAL_DIR, "logs"), { recursive: true });
  const logFile = join(LOCAL_DIR, "logs", `stack-${process.pid}.log`);
  const output = options.output ?? createWriteStream(logFile, { flags: "a" });
  const log = (line: string) => output.write(`${line}\n`);
  const ready = (component: string, detail: string, since: number) =>
    options.onReady?.(component, detail, Date.now() - since);

  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch((error) => log(String(error)));
    stops.length = 0;
  };

  try {
    // Ports are chosen up front so serverless-offline (the slow part: esbuild of every function)
    // starts alongside the emulators; no handler runs before startStack() returns.
    const [dynamoPort, sqsPort] = await Promise.all([freePort(), freePort()]);
    const counter: DynamoCounter = await startDynamoCounter(`http://127.0.0.1:${dynamoPort}`, 0, {
      conflicts: options.emulateConflicts ?? true,
    });
    stops.push(() => counter.stop());

    const begun = Date.now();
    const emulators = (async () => {
      const [dynamo, sqs] = await Promise.all([
        startDynamoDbLocal({
          port: dynamoPort,
          dataDir: options.dataDir && join(options.dataDir, "dynamodb"),
          output,
        }).then((started: DynamoDbLocal) => {
          stops.push(() => started.stop());
          ready("DynamoDB Local", `${started.endpoint} (pid ${started.pid})`, begun);
          return started;
        }),
        startSqsEmulator({ port: sqsPort, dataDir: options.dataDir && join(options.dataDir, "sqs") }).then(
          (started: SqsEmulator) => {
            stops.push(() => started.stop());
            ready("SQS emulator (fauxqs)", started.endpoint, begun);
            return started;
          },
        ),
      ]);
      const since = Date.now();
      const created = await createResources(
        definition,
        { dynamoEndpoint: dynamo.endpoint, sqsEndpoint: sqs.endpoint, region },
        {
          visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
          maxReceiveCount: options.maxReceiveCount,
        },
      );
      const queues = Object.values(created.queues).map((queue) => queue.name);
      ready(
        "resources",
        `tables ${Object.values(created.tables).join(", ")}; queues ${queues.join(", ")}`,
        since,
      );
      return { dynamo, sqs };
    })();
    const serverless = startOffline({
      stage,
      region,
      httpPort: options.httpPort,
      dynamoEndpoint: counter.url,
      sqsEndpoint: `http://127.0.0.1:${sqsPort}`,
      env: options.env,
      watch: options.watch,
      output,
    }).then((started: Offline) => {
      stops.push(() => started.stop());
      ready(
        "serverless-offline",
        `${started.httpUrl} (lambda ${started.lambdaUrl}, pid ${started.pid})`,
        begun,
      );
      return started;
    });
    // Both settle before anything is judged, so a failure never leaves the other half running.
    const [emulated, served] = await Promise.allSettled([emulators, serverless]);
    if (emulated.status === "rejected") throw emulated.reason;
    if (served.status === "rejected") throw served.reason;
    const { dynamo, sqs } = emulated.value;
    const offline = served.value;

    const since = Date.now();
    const invoker = lambdaInvoker(offline.lambdaUrl);
    const subscriptions = definition.functions.flatMap((fn) =>
      fn.sqs.map((binding) => ({ functionName: fn.name, ...binding })),
    );
    const poller: SqsPoller = await startSqsPoller({
      sqsEndpoint: sqs.endpoint,
      region,
      subscriptions,
      invoke: invoker,
      concurrency: options.pollerConcurrency,
      log,
    });
    stops.push(() => poller.stop());
    ready("SQS pollers", subscriptions.map((s) => `${s.queueName} -> ${s.functionName}`).join(", "), since);

    const streams = definition.functions.flatMap((fn) =>
      fn.streams.map((binding) => ({ functionName: fn.name, ...binding })),
    );
    if (streams.length > 0) {
      const failureSqs = localSqs(sqs.endpoint);
      stops.push(() => failureSqs.destroy());
      const streamPoller = await startStreamPoller({
        dynamoEndpoint: dynamo.endpoint,
        region,
        subscriptions: streams,
        invoke: invoker,
        log,
        sendFailure: sqsFailureSender(failureSqs),
      });
      stops.push(() => streamPoller.stop());
      ready(
        "stream pollers",
        streams.map((s) => `${s.tableName} stream -> ${s.functionName}`).join(", "),
        since,
      );
    }

    const schedules = scheduledFunctions(definition);
    if (options.scheduler !== false && schedules.length > 0) {
      const tick: SchedulerTick = startSchedulerTick({ functions: schedules, region, invoke: invoker, log });
      stops.push(() => tick.stop());
      ready("scheduler", schedules.map((s) => `${s.functionName} ${s.rate}`).join(", "), Date.now());
    }

    const functionName = (name: string) => definition.functions.find((fn) => fn.key === name)?.name ?? name;
    const orThrow = (name: string) => (outcome: Awaited<ReturnType<typeof invoker>>) => {
      if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error}`);
      return outcome.result;
    };
    return {
      httpUrl: offline.httpUrl,
      lambdaUrl: offline.lambdaUrl,
      dynamoEndpoint: dynamo.endpoint,
      dynamoCounterUrl: counter.url,
      sqsEndpoint: sqs.endpoint,
      service: definition.service,
      stage,
      region,
      env: { ...offline.env, ...definition.environment, IS_OFFLINE: "true" },
      logFile: options.output ? undefined : logFile,
      invoke: (name, event) => invoker(functionName(name), event).then(orThrow(name)),
      invokeScheduled: (name, time) =>
        invokeScheduled(invoker, functionName(name), { region, time }).then(orThrow(name)),
      async stop() {
        await stopAll();
        if (!options.output) {
          await new Promise((resolve) => output.end(resolve));
          rmSync(logFile, { force: true });
        }
      },
    };
  } catch (error) {
    await stopAll();
    if (!options.output) output.end();
    if (error instanceof ComponentStartError && !options.output) {
      error.message += `\n(full log: ${logFile})`;
    }
    throw error;
  }
}

/** Sends a stream mapping's on-failure record to its destination queue, as Lambda does. */
function sqsFailureSender(sqs: SQSClient) {
  return async (queueName: string, record: StreamFailureRecord): Promise<void> => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(record) }));
  };
}
