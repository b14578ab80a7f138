// Owns what integration tests know about the running local stack: the values global-setup.ts
// `provide`s, read with vitest's `inject`.
import { inject } from "vitest";
import { lambdaInvoker } from "../../scripts/local/lambda-invoke.js";
import type { Stack } from "../../scripts/local/stack.js";

/** What global-setup.ts provides: the stack's plain data (it crosses into test workers). */
export type ProvidedStack = Pick<
  Stack,
  | "httpUrl"
  | "lambdaUrl"
  | "dynamoEndpoint"
  | "dynamoCounterUrl"
  | "sqsEndpoint"
  | "service"
  | "stage"
  | "region"
  | "env"
> & {
  /** The file the handlers log to (security tests read it). */
  logFile: string;
  /** Test-only queue settings the stack was started with (see global-setup.ts). */
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  /** The fake bank rail live mode pays out to (test/support/fake-rail.ts; its /_fake control routes). */
  fakeRailUrl: string;
};

export interface StackContext extends ProvidedStack {
  /** Invokes a function (serverless.yml key, e.g. "scheduler") through serverless-offline's Lambda
   *  Invoke API and resolves with what it returned; rejects if it threw. */
  invoke(functionKey: string, event: unknown): Promise<unknown>;
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: ProvidedStack;
  }
}

export function stackContext(): StackContext {
  const provided = inject("stack");
  const invoker = lambdaInvoker(provided.lambdaUrl);
  return {
    ...provided,
    async invoke(functionKey, event) {
      const outcome = await invoker(`${provided.service}-${provided.stage}-${functionKey}`, event);
      if (!outcome.ok) throw new Error(`${functionKey} failed: ${outcome.error}`);
      return outcome.result;
    },
  };
}
