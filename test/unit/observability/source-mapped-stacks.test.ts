// A deployed function's stack traces read in the sources' files, lines and names, although Node
// runs without --enable-source-maps (serverless.yml: nodeOptions). The fixture is bundled with the
// esbuild options serverless.yml asks for, the injected prelude included, and run in a fresh node.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionBuildOptions, serverlessConfig, serverlessEsbuild } from "../../support/function-bundle.js";

const fixture = "test/unit/observability/fixtures/failing-transfer.ts";

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "payrail-stacks-"));
  // Three folders deep, as a function's bundle sits in its artifact (functions/http/x.cjs), so
  // the map's sources start with ../ and are read relative to the bundle.
  bundle = join(dir, "a", "b", "failing-transfer.cjs");
  await build({
    ...functionBuildOptions(fixture),
    outfile: bundle,
    sourcemap: serverlessEsbuild.sourcemap,
    sourcesContent: serverlessEsbuild.sourcesContent,
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bundle in a fresh node with the deployed NODE_OPTIONS; what it prints is the stack. */
function stackOf(nodeOptions: string): string[] {
  const out = execFileSync(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? "", NODE_OPTIONS: nodeOptions },
  });
  return out.toString("utf8").split("\n");
}

describe("source-mapped stack traces in the bundles", () => {
  it("deploys without --enable-source-maps and injects the mapping prelude into every bundle", () => {
    expect(serverlessConfig.params.default.nodeOptions).toBe("");
    expect(serverlessEsbuild.inject).toEqual(["./lib/observability/bundle-prelude.ts"]);
  });

  it("names the source file, line, column and function of the throw, not the minified bundle's", () => {
    const [headline, first] = stackOf("");
    expect(headline).toBe("Error: cannot settle 5");
    expect(first).toMatch(
      /^ {4}at settleTransfer \(.*test\/unit\/observability\/fixtures\/failing-transfer\.ts:4:25\)$/,
    );
    expect(first).not.toContain(".cjs");
  });

  it("leaves the frames as generated when the bundle has no map beside it", () => {
    rmSync(`${bundle}.map`);
    const [headline, first] = stackOf("");
    expect(headline).toBe("Error: cannot settle 5");
    expect(first).toContain(`${bundle}:`);
  });
});
