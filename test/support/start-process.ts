// Owns running `npm start` the way a person does, in its own process group (so SIGINT reaches it as
// Ctrl-C would), on an ephemeral port with its files in a directory of the test's choosing.
import { type ChildProcess, spawn } from "node:child_process";
import { repoRoot } from "./packages.js";

export interface StartedProcess {
  child: ChildProcess;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches `pattern`; rejects if the process exits first or after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Ctrl-C: SIGINT to the process group; resolves with the exit code, or the signal that ended npm. */
  interrupt(): Promise<number | string | null>;
  /**
   * Ctrl-C on a machine too busy to run `pid` (start.ts) for `busyMs`: it is frozen (SIGSTOP) when
   * the signal arrives and thawed afterwards, as a loaded scheduler would leave it.
   */
  interruptWhileBusy(pid: number, busyMs: number): Promise<number | string | null>;
}

export function npmStart(args: string[], env: Record<string, string>): StartedProcess {
  const child = spawn("npm", ["start", "--silent", ...(args.length ? ["--", ...args] : [])], {
    cwd: repoRoot,
    env: { ...process.env, PORT: "0", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal)),
  );
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let gone = false;
      void exited.then(() => {
        gone = true;
      });
      for (;;) {
        const match = pattern.exec(out);
        if (match) return match;
        if (gone) throw new Error(`npm start exited before printing ${pattern}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern}:\n${out}\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async interrupt() {
      if (child.exitCode === null && child.signalCode === null && child.pid)
        process.kill(-child.pid, "SIGINT");
      return exited;
    },
    async interruptWhileBusy(pid, busyMs) {
      process.kill(pid, "SIGSTOP");
      try {
        if (child.pid) process.kill(-child.pid, "SIGINT");
        await new Promise((resolve) => setTimeout(resolve, busyMs));
      } finally {
        try {
          process.kill(pid, "SIGCONT");
        } catch {
          // Already gone (killed while frozen: the defect this exists to show).
        }
      }
      return exited;
    },
  };
}
