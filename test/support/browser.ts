// Owns the real browser of the dashboard tests: Debian's Chromium (/usr/bin/chromium, installed by
// .ci/run when missing) driven by playwright-core, headless, with a fresh profile per run that is
// removed afterwards. Screenshots go to .local/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { LOCAL_DIR } from "../../scripts/local/project.js";

export const CHROMIUM = process.env.PAYRAIL_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = join(LOCAL_DIR, "screenshots");

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `payrail: Chromium is not at ${CHROMIUM}; install it with \`apt-get install -y chromium\` (.ci/run does this as root)`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "payrail-chromium-"));
  // launchPersistentContext passes the fresh profile as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
