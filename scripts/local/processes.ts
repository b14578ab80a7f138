// Owns the child processes of the local stack (DynamoDB Local's JVM, the serverless-offline CLI).
// Each child leads its own process group so stop() reaches its workers too; stops are by PID, and a
// last-resort exit hook kills whatever is still running if the parent dies without calling stop().
import { type ChildProcess, spawn } from "node:child_process";
import type { Writable } from "node:stream";
import { ComponentStartError } from "./errors.js";

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last lines the process printed (stdout and stderr), for error messages. */
  tail(): string;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the process output goes besides the in-memory tail (a log file, or process.stdout). */
  output?: Writable;
}

const running = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous; a SIGKILL to each group is the one thing we can still do.
  process.on("exit", () => {
    for (const pid of running) killGroup(pid, "SIGKILL");
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function spawnManaged(options: SpawnOptions): ManagedProcess {
  installExitHook();
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true, // own process group: Ctrl-C in the terminal reaches us, and we stop the children
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    options.output?.write(chunk);
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on("data", remember);
  child.stderr?.on("data", remember);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", (error) =>
      reject(new ComponentStartError(`payrail: could not start ${options.name}: ${error.message}`)),
    );
    child.once("exit", (code) => {
      if (child.pid) running.delete(child.pid);
      resolve(code);
    });
  });
  if (child.pid === undefined) {
    // spawn failed synchronously (ENOENT arrives as an 'error' event); surface it through `exited`.
    exited.catch(() => undefined);
  } else {
    running.add(child.pid);
  }
  const pid = child.pid ?? -1;
  return {
    name: options.name,
    pid,
    child,
    exited,
    tail: () => lines.slice(-15).join("\n"),
    async stop(graceMs = 5000) {
      if (pid < 0 || child.exitCode !== null || child.signalCode !== null) return;
      killGroup(pid, "SIGTERM");
      const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
      await exited.catch(() => undefined);
      clearTimeout(timer);
      // The leader can exit before its group (serverless-offline's workers); make sure none linger.
      killGroup(pid, "SIGKILL");
    },
  };
}

/** Polls `probe` until it resolves true, the process exits, or `timeoutMs` passes. */
export async function waitUntilReady(
  managed: ManagedProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  managed.exited.then(
    (code) => {
      exitCode = code;
    },
    () => {
      exitCode = -1;
    },
  );
  for (;;) {
    if (exitCode !== undefined) {
      throw new ComponentStartError(
        `payrail: ${describe(managed)} exited (code ${exitCode}) while starting:\n${managed.tail()}`,
      );
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new ComponentStartError(
        `payrail: ${describe(managed)} did not answer within ${timeoutMs} ms:\n${managed.tail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function describe(managed: ManagedProcess): string {
  return `${managed.name} (pid ${managed.pid})`;
}
