// Records what a reliability scenario did (operations, faults, bad inputs, what was lost) into
// .local/reliability/<scenario>.json; scripts/reliability-report.ts turns them into RELIABILITY.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOCAL_DIR } from "../../scripts/local/project.js";

export const FIGURES_DIR = join(LOCAL_DIR, "reliability");

export type Figures = Record<string, number | string>;

export function recordFigures(scenario: string, figures: Figures): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const mode = process.env.PAYRAIL_SOAK === "1" ? "soak" : "test";
  writeFileSync(
    join(FIGURES_DIR, `${scenario}.json`),
    `${JSON.stringify({ scenario, mode, at: new Date().toISOString(), figures }, null, 2)}\n`,
  );
}
