import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Payrail } from "../../client/index.js";
import { newMerchant, type TestMerchant } from "../support/fixtures.js";
import { command, consumerProject, pack, repoRoot } from "../support/packages.js";
import { stackContext } from "../support/stack-context.js";

// @payrail/client and @payrail/cli as a user gets them: packed with `npm pack`, installed from the
// tarballs into a project outside the repository, used from plain ESM, CommonJS, TypeScript and the
// `payrail` command against the local stack.

let merchant: TestMerchant;
let project: string;
let tarballs: { client: string; cli: string };
let env: Record<string, string>;

beforeAll(async () => {
  merchant = await newMerchant("packages");
  env = { PAYRAIL_URL: stackContext().httpUrl, PAYRAIL_API_KEY: merchant.apiKey };
  const packs = mkdtempSync(join(tmpdir(), "payrail-packs-"));
  tarballs = { client: await pack("client", packs), cli: await pack("cli", packs) };
  project = await consumerProject([tarballs.client, tarballs.cli], join(repoRoot, "test/fixtures/consumer"));
}, 240_000);

async function runNode(file: string) {
  return command(process.execPath, [file], { cwd: project, env });
}

describe("@payrail/client from its tarball", () => {
  it("holds built JavaScript and declarations only, and depends on nothing", async () => {
    const listed = await command("tar", ["-tzf", tarballs.client], { cwd: project });
    const files = listed.stdout.trim().split("\n").sort();
    expect(files).toContain("package/dist/esm/index.js");
    expect(files).toContain("package/dist/esm/index.d.ts");
    expect(files).toContain("package/dist/cjs/index.js");
    expect(files).toContain("package/dist/cjs/index.d.ts");
    expect(files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
    const manifest = JSON.parse(
      readFileSync(join(project, "node_modules/@payrail/client/package.json"), "utf8"),
    );
    expect(manifest.dependencies).toBeUndefined();
    const declarations = files.filter((file) => file.endsWith(".d.ts"));
    const imports = declarations.flatMap((file) =>
      [
        ...readFileSync(
          join(project, "node_modules/@payrail/client", file.slice("package/".length)),
          "utf8",
        ).matchAll(/from\s+"([^"]+)"/g),
      ].map((match) => match[1]),
    );
    expect(imports.filter((specifier) => !specifier?.startsWith("./"))).toEqual([]);
  });

  it("works from a plain Node ESM script", async () => {
    const ran = await runNode("esm.mjs");
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual({
      status: "succeeded",
      replayKey: "string",
      balance: 7_500,
      declined: "insufficient_funds",
      declinedPayment: "failed",
      listed: 2,
      firstListed: true,
    });
  });

  it("works from a plain CommonJS script", async () => {
    const ran = await runNode("cjs.cjs");
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual({ currency: "EUR", balance: 4_200, missing: 404 });
  });

  it("compiles TypeScript (ESM and CommonJS) without @types/node, and the output runs", async () => {
    const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
    const checked = await command(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project });
    expect(checked.stdout).toBe("");
    expect(checked.code).toBe(0);

    const esm = await runNode("out/app.mjs");
    expect(JSON.parse(esm.stdout)).toEqual({ status: "completed", amount: 1_200, items: ["succeeded"] });
    const cjs = await runNode("out/app.cjs");
    expect(JSON.parse(cjs.stdout)).toEqual({ currency: "JPY", newest: true });
  }, 180_000);

  it("rejects a program that misuses its types (the declarations are not `any`)", async () => {
    const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
    const checked = await command(
      process.execPath,
      [tsc, "--noEmit", "--strict", "--module", "nodenext", "--lib", "es2022,dom", "wrong.mts"],
      { cwd: project },
    );
    expect(checked.code).toBe(2);
    expect(checked.stdout).toContain(
      "wrong.mts(5,74): error TS2322: Type 'string' is not assignable to type 'number'.",
    );
    expect(checked.stdout).toContain(
      "wrong.mts(6,7): error TS2322: Type 'number' is not assignable to type 'string'.",
    );
  }, 120_000);
});

describe("@payrail/cli from its tarball", () => {
  it("runs as `npx payrail` from the project: submits a CSV payroll and reports it", async () => {
    const payrail = new Payrail({ apiKey: merchant.apiKey, baseUrl: env.PAYRAIL_URL! });
    const source = await payrail.accounts.create({ currency: "USD" });
    const payee = await payrail.accounts.create({ currency: "USD" });
    await payrail.topups.create({ account: source.id, amount: 10_000, currency: "USD" });
    writeFileSync(
      join(project, "payroll.csv"),
      `id,destination,amount,description\nemp-1,${payee.id},2500,December\nemp-2,${payee.id},1500,December\n`,
    );

    const help = await command("npx", ["payrail", "--help"], { cwd: project, env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("payrail batch submit <file>");
    expect(help.stderr).toBe("");

    const submitted = await command(
      "npx",
      ["payrail", "batch", "submit", "payroll.csv", "--source", source.id, "--currency", "USD"],
      { cwd: project, env },
    );
    expect(submitted.code).toBe(0);
    expect(submitted.stderr).toContain("payroll.csv: 2 items, USD 40.00, 1 batch");
    expect(submitted.stdout).toMatch(/^bat_[0-9A-Z]{26}\tcompleted\t2 succeeded \(USD 40\.00\)\t0 failed\n$/);
    expect((await payrail.accounts.retrieve(source.id)).balance).toBe(6_000);

    const batchId = submitted.stdout.split("\t")[0]!;
    const report = await command("npx", ["payrail", "batch", "report", batchId], {
      cwd: project,
      env,
    });
    expect(report.code).toBe(0);
    expect(
      report.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",").slice(0, 4).join(",")),
    ).toEqual([`emp-1,${payee.id},2500,succeeded`, `emp-2,${payee.id},1500,succeeded`]);
  }, 180_000);
});
