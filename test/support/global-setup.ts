// Owns the one local stack of an integration run: started before the first integration test file on
// ephemeral ports, provided to tests (stack-context.ts), stopped after the last. Unit tests never
// start it. The queue settings are shortened so redelivery and redrive happen within a test.
import type { TestProject } from "vitest/node";
import { LocalStackError } from "../../scripts/local/errors.js";
import { type Stack, startStack } from "../../scripts/local/stack.js";
import { type FakeRail, startFakeRail } from "./fake-rail.js";
import type { ProvidedStack } from "./stack-context.js";

/** Test-only queue settings (serverless.yml: 360 s and 5). */
const VISIBILITY_TIMEOUT_SECONDS = 5;
const MAX_RECEIVE_COUNT = 3;
/** The live rail of the test stage: the fake rail below, signed with this secret. */
const RAIL_SIGNING_SECRET = "whsec_test_0123456789abcdefghijklmnopqrstuvwxyz";
/** Short, so a test sees a rail timeout within a second (deployed stages: 3 s). */
const RAIL_TIMEOUT_MS = 1_000;

let stack: Stack | undefined;
let rail: FakeRail | undefined;

export async function setup(project: TestProject): Promise<void> {
  const begun = Date.now();
  // Live mode on the test stage pays out through the HTTP rail adapter to this fake rail.
  rail = await startFakeRail({ signingSecret: RAIL_SIGNING_SECRET, hangMs: 10 * RAIL_TIMEOUT_MS });
  try {
    stack = await startStack({
      visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      scheduler: false, // tests drive the scheduler with their own clock (stack invoke)
      watch: false, // the code under test stays fixed while someone edits sources
      env: {
        PAYRAIL_FAULTS_ENABLED: "1", // the test-only fault seam (lib/faults.ts); never set in AWS
        PAYRAIL_AUTH_CACHE_TTL_SECONDS: "2", // so the revoked-key test sees revocation within seconds
        PAYRAIL_RISK_RULES_CACHE_SECONDS: "2", // other containers (batch consumers) see a rule change within seconds
        // The dead-letter drain waits this long after a consumer's last rail send (90 s in AWS,
        // longer than the consumer's timeout); the test queues redeliver within seconds.
        PAYRAIL_RAIL_SENDERS_DONE_AFTER_SECONDS: "2",
        // Webhook backoff compressed: 1 s doubling up to 4 s, given up (endpoint disabled) after 25 s.
        PAYRAIL_WEBHOOK_RETRY_BASE_SECONDS: "1",
        PAYRAIL_WEBHOOK_RETRY_MAX_DELAY_SECONDS: "4",
        PAYRAIL_WEBHOOK_GIVE_UP_SECONDS: "25",
        PAYRAIL_WEBHOOK_TIMEOUT_MS: "1500",
        PAYRAIL_LIVE_RAIL: "http",
        PAYRAIL_RAIL_URL: rail.url,
        PAYRAIL_RAIL_SIGNING_SECRET: RAIL_SIGNING_SECRET,
        PAYRAIL_RAIL_TIMEOUT_MS: String(RAIL_TIMEOUT_MS),
      },
    });
  } catch (error) {
    await rail.stop();
    // One clear line (Java missing, ...) instead of a stack trace from inside vitest.
    if (error instanceof LocalStackError) throw new Error(error.message);
    throw error;
  }
  process.stderr.write(`payrail: local stack up in ${Date.now() - begun} ms at ${stack.httpUrl}\n`);
  const context: ProvidedStack = {
    httpUrl: stack.httpUrl,
    lambdaUrl: stack.lambdaUrl,
    dynamoEndpoint: stack.dynamoEndpoint,
    dynamoCounterUrl: stack.dynamoCounterUrl,
    sqsEndpoint: stack.sqsEndpoint,
    service: stack.service,
    stage: stack.stage,
    region: stack.region,
    env: stack.env,
    logFile: stack.logFile ?? "",
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    fakeRailUrl: rail.url,
  };
  project.provide("stack", context);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  stack = undefined;
  await rail?.stop();
  rail = undefined;
}
