import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { command, repoRoot } from "../support/packages.js";
import { npmStart, type StartedProcess } from "../support/start-process.js";

// `npm start` as a newcomer sees it: started the way they start it (npm start, Ctrl-C) on an
// ephemeral port, its files in a temporary directory instead of the repository's .local/.

const home = mkdtempSync(join(tmpdir(), "payrail-start-"));
const env = { PAYRAIL_LOCAL_DIR: home };
const STARTED = /Ctrl-C stops\.\n/;
const START_TIMEOUT_MS = 300_000;
let running: StartedProcess | undefined;

afterAll(async () => {
  await running?.interrupt();
}, 60_000);

/** The exported variables of demo.env, as `source` would set them. */
function demoEnv(): Record<string, string> {
  const text = readFileSync(join(home, "demo.env"), "utf8");
  return Object.fromEntries([...text.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

/** The README's way: `source demo.env`, then curl with the variables it set. */
async function curlWithDemoEnv(script: string) {
  return command("bash", ["-c", `source "${join(home, "demo.env")}" && ${script}`], { cwd: home });
}

describe("npm start", () => {
  let first: { url: string; key: string; wallet: string };

  it(
    "prints a short start, the demo block last, writes demo.env, then one line per request",
    async () => {
      running = npmStart([], env);
      await running.waitFor(STARTED, START_TIMEOUT_MS);
      const out = running.stdout();
      const vars = demoEnv();
      first = { url: vars.PAYRAIL_URL!, key: vars.PAYRAIL_API_KEY!, wallet: vars.PAYRAIL_DEMO_WALLET! };
      expect(Object.keys(vars)).toEqual([
        "PAYRAIL_URL",
        "PAYRAIL_API_KEY",
        "PAYRAIL_DEMO_MERCHANT",
        "PAYRAIL_DEMO_WALLET",
        "PAYRAIL_DEMO_PAYEE",
      ]);
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.key).toMatch(/^sk_test_/);

      // No route box, no metric lines, no startup 404, no per-component chatter: a dozen lines.
      expect(out).not.toContain("│");
      expect(out).not.toContain("_aws");
      expect(out).not.toContain("404");
      expect(out).not.toContain("Server ready");
      expect(out.trim().split("\n").length).toBeLessThanOrEqual(20);
      const block = out.slice(out.indexOf("payrail API on"));
      expect(block).toContain(`  PAYRAIL_URL=${first.url}\n`);
      expect(block).toContain(`  PAYRAIL_API_KEY=${first.key}\n`);
      expect(block).toContain(`  PAYRAIL_DEMO_WALLET=${first.wallet}   (USD 10,000.00)\n`);
      expect(block).toContain(`  PAYRAIL_DEMO_PAYEE=${vars.PAYRAIL_DEMO_PAYEE}\n`);
      expect(block).toContain(`  source ${join(home, "demo.env")}\n`);
      expect(block).toContain("data kept in .local/; `npm run reset` starts fresh.\n");
      expect(out.trimEnd().endsWith("Ctrl-C stops.")).toBe(true);

      const paid = await curlWithDemoEnv(
        `curl -s -i $PAYRAIL_URL/v1/payments -H "Authorization: Bearer $PAYRAIL_API_KEY" ` +
          `-d '{"source":"'$PAYRAIL_DEMO_WALLET'","destination":"'$PAYRAIL_DEMO_PAYEE'","amount":2500,"currency":"USD"}'`,
      );
      expect(paid.stdout).toMatch(/^HTTP\/1\.1 201/);
      const requestId = /^request-id: (.+?)\r?$/im.exec(paid.stdout)?.[1];
      expect(requestId).toBeDefined();
      const line = await running.waitFor(new RegExp(`^(.*)${escapeRegExp(requestId!)}$`, "m"), 30_000);
      expect(line[1]).toMatch(/^POST \/v1\/payments +201 +\d+ ms +$/);
      expect(running.stdout().split(requestId!).length - 1).toBe(1);
    },
    START_TIMEOUT_MS + 60_000,
  );

  it("refuses npm run reset while it runs", async () => {
    const reset = await command("npm", ["run", "--silent", "reset"], { cwd: repoRoot, env });
    expect(reset.code).toBe(1);
    expect(reset.stderr).toMatch(
      /^payrail: npm start is running \(pid \d+, http:\/\/127\.0\.0\.1:\d+\); stop it with Ctrl-C, then run npm run reset\n$/,
    );
    expect(existsSync(join(home, "data"))).toBe(true);
  });

  it(
    "stops on Ctrl-C and keeps the demo merchant, key and balance on restart; --verbose shows full logs",
    async () => {
      // npm itself ends on the signal; start.ts goes on stopping the stack, then removes stack.json.
      expect([130, "SIGINT"]).toContain(await running!.interrupt());
      await until(() => !existsSync(join(home, "stack.json")), 60_000);

      running = npmStart(["--verbose"], env);
      await running.waitFor(STARTED, START_TIMEOUT_MS);
      const out = running.stdout();
      const vars = demoEnv();
      expect(vars.PAYRAIL_API_KEY).toBe(first.key);
      expect(vars.PAYRAIL_DEMO_WALLET).toBe(first.wallet);
      expect(out).toContain(`  PAYRAIL_API_KEY=${first.key}   (demo merchant kept from the last run)\n`);
      expect(out).toContain(`  PAYRAIL_DEMO_WALLET=${first.wallet}   (USD 9,975.00)\n`);
      // The full output is back: serverless-offline's route box and each component's start.
      expect(out).toContain("│");
      expect(out).toMatch(/payrail: DynamoDB Local +up in/);
      const seen = await curlWithDemoEnv(
        `curl -s -o /dev/null -w '%{http_code}' $PAYRAIL_URL/v1/payments -H "Authorization: Bearer $PAYRAIL_API_KEY"`,
      );
      expect(seen.stdout).toBe("200");
    },
    START_TIMEOUT_MS + 60_000,
  );

  it("stops cleanly on a Ctrl-C it cannot answer at once; npm run reset then removes the data and demo.env", {
    timeout: 120_000,
  }, async () => {
    // tsx's CLI relays Ctrl-C to its child and SIGKILLs it if the child has not acknowledged within
    // 2 x 30 ms, which a loaded machine easily misses: the stack's JVM was left running and
    // stack.json behind. start.ts runs in npm's own node process now (node --import tsx).
    const { pid } = JSON.parse(readFileSync(join(home, "stack.json"), "utf8")) as { pid: number };
    expect([130, "SIGINT"]).toContain(await running!.interruptWhileBusy(pid, 500));
    running = undefined;
    await until(() => !existsSync(join(home, "stack.json")), 60_000);
    await until(() => !alive(pid), 10_000);
    const reset = await command("npm", ["run", "--silent", "reset"], { cwd: repoRoot, env });
    expect(reset.code).toBe(0);
    expect(existsSync(join(home, "data"))).toBe(false);
    expect(existsSync(join(home, "demo.env"))).toBe(false);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
