// Owns `.local/stack.json`: where `npm start` records the endpoints of the running local stack so
// the admin CLI and the benchmarks find it without flags.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface StackFile {
  httpUrl: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  env: Record<string, string>;
  pid: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const STACK_FILE = join(root, ".local", "stack.json");

export function writeStackFile(stack: StackFile, path = STACK_FILE): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(stack, null, 2)}\n`);
}

export function readStackFile(path = STACK_FILE): StackFile | undefined {
  try {
    const stack = JSON.parse(readFileSync(path, "utf8")) as StackFile;
    process.kill(stack.pid, 0); // throws when the stack that wrote it is gone
    return stack;
  } catch {
    return undefined;
  }
}

export function removeStackFile(path = STACK_FILE): void {
  rmSync(path, { force: true });
}
