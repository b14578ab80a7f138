import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Payrail } from "../../client/index.js";
import { newMerchant, type TestMerchant } from "../support/fixtures.js";
import { command, repoRoot } from "../support/packages.js";
import { stackContext } from "../support/stack-context.js";

// The README's walkthrough, run as a reader runs it: the block as written, in bash, against the
// local stack. The only changes are the ones the reader makes by hand: the environment comes from
// the test instead of .local/demo.env, each `NAME=acct_...` line takes the id the previous call
// answered, and the scheduled batch is scheduled for tomorrow (the README's date will pass).

const MARKER = "The walkthrough below runs top to bottom as written";

export function walkthroughBlock(readme: string): string {
  const from = readme.indexOf(MARKER);
  if (from < 0) throw new Error("README: walkthrough marker not found");
  const open = readme.indexOf("```sh\n", from) + "```sh\n".length;
  return readme.slice(open, readme.indexOf("```\n", open));
}

/** The block as a script: answers and statuses recorded in `dir`, ids filled in as a reader would. */
export function walkthroughScript(block: string, dir: string, scheduledAt: string): string {
  const body = block
    .split("\n")
    .filter((line) => !line.startsWith("source .local/demo.env"))
    .map((line) => line.replace(/^([A-Z_]+)=[a-z]+_\.\.\.$/, "$1=$(last_id)"))
    .join("\n")
    .replace(/"scheduled_at":"[^"]+"/g, `"scheduled_at":"${scheduledAt}"`);
  return [
    "set -euo pipefail",
    `dir='${dir}'`,
    "n=0",
    // Every curl of the block records its answer and status; `set -e` stops at anything else failing.
    'curl() { n=$((n+1)); command curl -sS -o "$dir/$n.json" -w "%{http_code}\\n" "$@" >> "$dir/statuses"; }',
    `last_id() { grep -o '"id":"[a-z]*_[0-9A-Z]*"' "$dir/$n.json" | head -1 | cut -d'"' -f4; }`,
    body,
  ].join("\n");
}

let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("readme");
});

describe("README walkthrough", () => {
  it("runs top to bottom against the local stack with the documented answers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "payrail-readme-"));
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    const block = walkthroughBlock(readFileSync(join(repoRoot, "README.md"), "utf8"));
    const ran = await command("bash", ["-c", walkthroughScript(block, dir, tomorrow)], {
      cwd: repoRoot,
      env: { PAYRAIL_URL: stackContext().httpUrl, PAYRAIL_API_KEY: merchant.apiKey },
    });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const statuses = readFileSync(join(dir, "statuses"), "utf8").trim().split("\n");
    expect(statuses).toEqual([
      ...["201", "201", "201", "201", "200", "200"], // four accounts, retrieve, list
      ...["201", "200"], // top-up
      ...["201", "200", "200"], // payment
      ...["201", "200", "200"], // refund
      ...["202", "200", "200"], // batch now
      ...["202", "200", "200"], // scheduled batch, list, cancel
    ]);
    // The CLI's refund line printed the second refund.
    expect(ran.stdout).toMatch(/^re_[0-9A-Z]{26}\tsucceeded\tUSD 5\.00\tpay_[0-9A-Z]{26}\n$/m);

    const answer = (n: number) => JSON.parse(readFileSync(join(dir, `${n}.json`), "utf8"));
    expect(answer(18)).toMatchObject({ object: "batch", status: "scheduled" });
    expect(answer(20)).toMatchObject({ object: "batch", status: "canceled" });

    // The money adds up: 10,000.00 in, 25.00 paid, 2 x 5.00 refunded, 5,600.00 paid out by the batch.
    const payrail = new Payrail({ apiKey: merchant.apiKey, baseUrl: stackContext().httpUrl });
    const wallet = answer(1).id as string;
    const batchId = answer(15).id as string;
    for (let i = 0; i < 300; i++) {
      if ((await payrail.batches.retrieve(batchId)).status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await payrail.batches.retrieve(batchId)).toMatchObject({
      status: "completed",
      counts: { total: 2, succeeded: 2, failed: 0 },
    });
    expect((await payrail.accounts.retrieve(wallet)).balance).toBe(1_000_000 - 2_500 + 1_000 - 560_000);
    expect((await payrail.accounts.retrieve(answer(2).id)).balance).toBe(2_500 - 1_000);
  }, 180_000);
});
