// Runs the operator command `npm run admin -- …` (scripts/admin.ts) as its own process against the
// test stack's table, and returns the last JSON line it printed.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../../scripts/local/project.js";
import { stackContext } from "./stack-context.js";

/** Each command is a fresh `tsx` process: seconds on a quiet machine, far more on a busy one. */
export const ADMIN_TEST_TIMEOUT_MS = 600_000;

export async function runAdmin(...args: string[]): Promise<any> {
  const stack = stackContext();
  const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/admin.ts", ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      ...stack.env,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
      AWS_REGION: stack.region,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    },
    timeout: 250_000,
  });
  return JSON.parse(stdout.trim().split("\n").pop() as string);
}
