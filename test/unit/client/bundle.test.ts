import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

describe("client bundle", () => {
  it("carries no runtime code from lib/ or zod (type-only imports)", async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL("../../../client/index.ts", import.meta.url))],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.every((path) => path.startsWith("client/"))).toBe(true);
    expect(inputs.sort()).toEqual([
      "client/errors.ts",
      "client/index.ts",
      "client/lists.ts",
      "client/resources.ts",
      "client/transport.ts",
      "client/webhooks.ts",
    ]);
  });
});
