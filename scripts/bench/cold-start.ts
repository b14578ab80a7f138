// Owns the cold-start benchmark: `npm start` spawned as a human would run it (its own process group,
// PORT on a free port, a fresh data directory), timed until the first successful payment made with
// the demo merchant and wallets it prints. Stopped with SIGINT to its process group, as Ctrl-C does;
// anything of its tree still alive after the grace period is killed by PID.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../local/ports.js";
import { PROJECT_ROOT } from "../local/project.js";
import { STACK_FILE } from "../local/stack-file.js";
import { descendants, startTimeOf } from "./proc-stats.js";

export interface ColdStart {
  /** From spawning `npm start` until it printed "stack ready". */
  readyMs: number;
  /** Until the demo seed printed its merchant key and wallets (first requests through HTTP). */
  seededMs: number;
  /** Until the first payment answered 201. */
  firstPaymentMs: number;
  /** The first payment's own round trip (cold payments function). */
  paymentRoundTripMs: number;
  /** "component up in N ms" lines npm start printed, in order. */
  components: { name: string; ms: number }[];
}

const READY = /payrail: stack ready in/;
const COMPONENT = /^payrail: (.+?)\s+up in\s+(\d+) ms/;
const DEMO_KEY = /demo secret key (sk_\S+)/;
const DEMO_WALLETS = /demo wallet (acct_\S+) .*payee (acct_\S+)/;

export async function measureColdStart(timeoutMs = 240_000): Promise<ColdStart> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "payrail-bench-cold-"));
  // `npm start` writes .local/stack.json for the admin CLI; keep a human's running stack's file.
  const previousStackFile = existsSync(STACK_FILE) ? readFileSync(STACK_FILE, "utf8") : undefined;
  const begun = performance.now();
  const child = spawn("npm", ["start"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), PAYRAIL_DATA_DIR: dataDir },
    detached: true, // its own process group, as in a terminal
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("bench: could not spawn npm start");
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );

  const output: string[] = [];
  const components: { name: string; ms: number }[] = [];
  let readyMs: number | undefined;
  let seededMs: number | undefined;
  let apiKey: string | undefined;
  let wallets: { source: string; destination: string } | undefined;
  let pending = "";
  const onData = (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      output.push(line);
      if (output.length > 60) output.shift();
      const component = COMPONENT.exec(line);
      if (component) components.push({ name: component[1] as string, ms: Number(component[2]) });
      if (READY.test(line)) readyMs ??= performance.now() - begun;
      apiKey ??= DEMO_KEY.exec(line)?.[1];
      const demo = DEMO_WALLETS.exec(line);
      if (demo) wallets = { source: demo[1] as string, destination: demo[2] as string };
      if (apiKey && wallets) seededMs ??= performance.now() - begun;
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  try {
    while (seededMs === undefined) {
      if (exited) throw new Error(`bench: npm start exited early:\n${output.join("\n")}`);
      if (performance.now() - begun > timeoutMs) {
        throw new Error(`bench: npm start not seeded after ${timeoutMs} ms:\n${output.join("\n")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const sent = performance.now();
    const answer = await fetch(`http://127.0.0.1:${port}/v1/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ ...wallets, amount: 2500, currency: "USD" }),
    });
    const answered = performance.now();
    const text = await answer.text();
    if (answer.status !== 201) throw new Error(`bench: first payment answered ${answer.status}: ${text}`);
    return {
      readyMs: readyMs ?? Number.NaN,
      seededMs,
      firstPaymentMs: answered - begun,
      paymentRoundTripMs: answered - sent,
      components,
    };
  } finally {
    // Its tree, noted before signalling: the stack's children lead process groups of their own.
    const tree = [pid, ...descendants(pid)].map((member) => ({ pid: member, started: startTimeOf(member) }));
    try {
      process.kill(-pid, "SIGINT");
    } catch {
      // Already gone.
    }
    await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const member of tree) {
      // Only the very process noted above (a pid can be reused once its process is gone).
      if (member.started === undefined || startTimeOf(member.pid) !== member.started) continue;
      try {
        process.kill(member.pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (previousStackFile !== undefined) writeFileSync(STACK_FILE, previousStackFile);
  }
}
