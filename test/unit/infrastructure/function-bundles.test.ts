// What a function's bundle holds decides its cold start (Node compiles all of it at load; measured
// in BENCHMARKS.md, "Module load time per function"). These check the leaks found there, on the
// esbuild options serverless.yml asks for (read from it, so the two cannot drift apart).
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { functionBuildOptions } from "../../support/function-bundle.js";

/** The handler bundled in memory as serverless.yml asks, with its metafile. */
function bundle(handler: string) {
  return build({ ...functionBuildOptions(handler), write: false, metafile: true });
}

/** The source files that put code into the handler's bundle. */
async function bundledInputs(handler: string): Promise<string[]> {
  const result = await bundle(handler);
  // The output's inputs with bytes in it: metafile.inputs also lists files read and then shaken out.
  const [output] = Object.values(result.metafile.outputs);
  return Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
}

/** The handler's bundle, as text. */
async function bundleText(handler: string): Promise<string> {
  return (await bundle(handler)).outputFiles[0]?.text ?? "";
}

/** The OpenAPI ids (`.meta({ id })`) of the schemas a bundle builds at load. */
const schemaIds = (text: string) => [...text.matchAll(/\bid:"([A-Z][A-Za-z]+)"/g)].map((m) => m[1]).sort();

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

  it("takes credentials from the environment only: no SSO, ini, STS or metadata providers, no nested clients", async () => {
    for (const handler of [
      "functions/http/accounts.ts",
      "functions/http/payments.ts",
      "functions/item-consume.ts",
    ]) {
      const chain = (await bundledInputs(handler)).filter((path) =>
        /node_modules\/@aws-sdk\/(credential-provider-(?!env)|nested-clients)/.test(path),
      );
      expect({ handler, chain }).toEqual({ handler, chain: [] });
    }
  });

  it("bundles the SDK's ES module builds, so the DynamoDB client's unused operations are shaken out", async () => {
    const inputs = await bundledInputs("functions/http/accounts.ts");
    expect(inputs.some((path) => path.includes("node_modules/@aws-sdk/client-dynamodb/dist-es/"))).toBe(true);
    expect(inputs.filter((path) => path.includes("/dist-cjs/"))).toEqual([]);
    // Of DynamoDB's 62 commands, the ones the ledger sends (and the SDK's endpoint discovery).
    const commands = inputs
      .filter((path) => path.includes("client-dynamodb/dist-es/commands/"))
      .map((path) => path.split("/").pop())
      .sort();
    expect(commands).toEqual([
      "BatchGetItemCommand.js",
      "DescribeEndpointsCommand.js",
      "GetItemCommand.js",
      "PutItemCommand.js",
      "QueryCommand.js",
      "ScanCommand.js",
      "TransactWriteItemsCommand.js",
      "UpdateItemCommand.js",
    ]);
  });

  it("leaves zod out of ping, which validates nothing: reading risk rules needs no request schema", async () => {
    // Building the schemas is most of a function's load after the SDK (BENCHMARKS.md): a constant
    // imported from lib/schemas once pulled zod and every risk schema into the ping function.
    const inputs = await bundledInputs("functions/http/ping.ts");
    expect(
      inputs.filter((path) => path.includes("node_modules/zod/") || path.includes("lib/schemas/")),
    ).toEqual([]);
  });

  it("builds only the request schemas a function validates with: no response shapes, no other routes' requests", async () => {
    // The response shapes exist for types and the OpenAPI document; the other schemas are pulled in
    // by modules imported for a constant (lib/schemas/common.ts says how they are kept out).
    expect(schemaIds(await bundleText("functions/http/batches.ts"))).toEqual([
      "ApproveBatchRequest",
      "CreateBatchRequest",
      "RejectBatchRequest",
    ]);
    expect(schemaIds(await bundleText("functions/http/payments.ts"))).toEqual([
      "CaptureHoldRequest",
      "CreateFxQuoteRequest",
      "CreateHoldRequest",
      "CreatePaymentRequest",
      "CreateRefundRequest",
      "CreateRiskRuleRequest",
    ]);
    expect(schemaIds(await bundleText("functions/dlq-drain.ts"))).toEqual([]);
  });
});
