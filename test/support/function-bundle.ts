// The esbuild options serverless.yml gives every function (custom.esbuild), read from it, so tests
// that bundle a handler or a fixture build it as `serverless package` does and cannot drift apart.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";
import { parse } from "yaml";

export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/** serverless.yml as parsed (its `${…}` variables left unresolved). */
export const serverlessConfig = parse(readFileSync(`${projectRoot}serverless.yml`, "utf8"));

export const serverlessEsbuild = serverlessConfig.custom.esbuild as BuildOptions & {
  inject: string[];
  alias: Record<string, string>;
  mainFields: string[];
};

/** `entry` (a path from the project's root) bundled with the functions' own options. */
export function functionBuildOptions(entry: string): BuildOptions {
  const { format, platform, target, minify, mainFields, alias, inject } = serverlessEsbuild;
  return {
    entryPoints: [`${projectRoot}${entry}`],
    absWorkingDir: projectRoot,
    bundle: true,
    format,
    platform,
    target,
    minify,
    mainFields,
    alias,
    inject,
    logLevel: "silent",
  };
}
