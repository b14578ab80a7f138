// Owns packing the repository's npm packages (client/, cli/) and installing the tarballs into a
// directory outside the repository, the way a user's project gets them.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws for a non-zero exit (the outcome carries it). */
export async function command(
  file: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** `npm pack` of one package directory (its prepack builds it); the tarball's path. */
export async function pack(packageDir: string, destination: string): Promise<string> {
  const packed = await command("npm", ["pack", "--json", "--pack-destination", destination], {
    cwd: join(repoRoot, packageDir),
  });
  if (packed.code !== 0) throw new Error(`npm pack ${packageDir} failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  return join(destination, info.filename);
}

/** A new project in the temp directory with the tarballs installed, and `fixtures` copied in. */
export async function consumerProject(tarballs: string[], fixtures: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "payrail-consumer-"));
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "consumer", private: true })}\n`);
  cpSync(fixtures, dir, { recursive: true });
  const installed = await command(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs],
    { cwd: dir },
  );
  if (installed.code !== 0) throw new Error(`npm install failed:\n${installed.stderr}`);
  return dir;
}
