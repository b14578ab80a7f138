// Writes RELIABILITY.md from the figures the reliability scenarios recorded in .local/reliability/
// (run by `npm run soak`, or after `npm test`).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOCAL_DIR, PROJECT_ROOT } from "./local/project.js";

interface Recorded {
  scenario: string;
  mode: string;
  at: string;
  figures: Record<string, number | string>;
}

const TITLES: Record<string, string> = {
  "bank-workload": "1. Bank workload (Jepsen-style): concurrent clients, timeouts, retries, duplicates",
  faults: "2. Fault injection: DynamoDB throttles, conflicts and lost answers; consumer crashes; silent rail",
  restart: "3. Restart mid-batch: the whole stack stopped under a 5,000-item batch (on-disk emulators)",
  "bad-input": "5. Bad input, property-based (fast-check)",
  security: "6. Security: keys and tenants",
};

const dir = join(LOCAL_DIR, "reliability");
const recorded = readdirSync(dir)
  .filter((file) => file.endsWith(".json"))
  .map((file) => JSON.parse(readFileSync(join(dir, file), "utf8")) as Recorded)
  .sort((a, b) => (TITLES[a.scenario] ?? a.scenario).localeCompare(TITLES[b.scenario] ?? b.scenario));

const sections = recorded.map((r) =>
  [
    `### ${TITLES[r.scenario] ?? r.scenario}`,
    "",
    `Mode: \`${r.mode}\`, run ${r.at}.`,
    "",
    "| figure | value |",
    "| --- | --- |",
    ...Object.entries(r.figures).map(
      ([name, value]) =>
        `| ${name} | ${typeof value === "number" ? value.toLocaleString("en-US") : `\`${value}\``} |`,
    ),
    "",
  ].join("\n"),
);

const template = readFileSync(join(PROJECT_ROOT, "scripts", "reliability-notes.md"), "utf8");
writeFileSync(
  join(PROJECT_ROOT, "RELIABILITY.md"),
  template.replace("<!-- figures -->", sections.join("\n")),
);
process.stdout.write(`wrote RELIABILITY.md from ${recorded.length} scenarios\n`);
