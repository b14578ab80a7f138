// What a function's bundle holds decides its cold start (Node compiles all of it at load; measured
// in BENCHMARKS.md, "Module load time per function"). These check the two leaks found there, on the
// same esbuild bundling serverless.yml asks for.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/** The source files that put code into the handler's bundle. */
async function bundledInputs(handler: string): Promise<string[]> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../../../${handler}`, import.meta.url))],
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    target: "node24",
    minify: true,
    metafile: true,
    logLevel: "silent",
  });
  // The output's inputs with bytes in it: metafile.inputs also lists files read and then shaken out.
  const [output] = Object.values(result.metafile.outputs);
  return Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
}

describe("function bundles", () => {
  it("leaves the AWS SDK out of the functions that never call AWS (fallback, openapi)", async () => {
    for (const handler of ["functions/http/fallback.ts", "functions/http/openapi.ts"]) {
      const sdk = (await bundledInputs(handler)).filter((path) =>
        /node_modules\/@(aws-sdk|smithy)\//.test(path),
      );
      expect({ handler, sdk }).toEqual({ handler, sdk: [] });
    }
  });

  it("bundles only the two zod locales payrail speaks (en, zh-CN), not all of zod's", async () => {
    const locales = (await bundledInputs("functions/http/accounts.ts"))
      .filter((path) => path.includes("node_modules/zod/v4/locales/"))
      .map((path) => path.split("/").pop())
      .sort();
    expect(locales).toEqual(["en.js", "zh-CN.js"]);
  });
});
