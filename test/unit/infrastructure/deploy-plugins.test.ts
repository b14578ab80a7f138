import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT } from "../../../scripts/local/project.js";

// The deploy-time plugins (scripts/deploy/) on real `serverless package` runs of variants of
// serverless.yml: without esbuild (the functions' code is beside the point, and packaging stays
// fast), and with one change each. The main template test (template.test.ts) shows the role dropped
// and the per-function alarms added on the real package.

const run = promisify(execFile);
const written: string[] = [];

/** Packages serverless.yml changed by `change`; resolves with the template, rejects with the output. */
async function packageVariant(
  name: string,
  stage: string,
  change: (config: any) => void,
  params: string[] = [],
) {
  const config = parse(readFileSync(join(PROJECT_ROOT, "serverless.yml"), "utf8"));
  config.plugins = config.plugins.filter(
    (plugin: string) =>
      plugin.startsWith("./scripts/deploy/") || plugin === "serverless-iam-roles-per-function",
  );
  config.package = { individually: true, patterns: ["!**", "functions/**"] };
  change(config);
  const file = `serverless.${name}-${process.pid}.yml`;
  writeFileSync(join(PROJECT_ROOT, file), stringify(config));
  written.push(join(PROJECT_ROOT, file));
  const dir = mkdtempSync(join(tmpdir(), `payrail-variant-${name}-`));
  written.push(dir);
  await run(
    "npx",
    ["serverless", "package", "--config", file, "--stage", stage, "--package", dir, ...params],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CI: "1", SLS_TELEMETRY_DISABLED: "1" },
      timeout: 900_000,
    },
  );
  return JSON.parse(readFileSync(join(dir, "cloudformation-template-update-stack.json"), "utf8"));
}

afterAll(() => {
  for (const path of written) rmSync(path, { recursive: true, force: true });
});

describe("dropping the framework's unused default role", () => {
  it.concurrent("keeps the role when serverless.yml's resources refer to it (the drop runs after they are merged)", async () => {
    const template = await packageVariant("role-ref", "test", (config) => {
      config.resources.Outputs.DefaultRoleArn = {
        Value: { "Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"] },
      };
    });
    expect(template.Resources.IamRoleLambdaExecution?.Type).toBe("AWS::IAM::Role");
    expect(template.Outputs.DefaultRoleArn.Value).toEqual({
      "Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"],
    });
  }, 920_000);
});

describe("live rail check", () => {
  it.concurrent("refuses to package a live-mode stage without the rail's endpoint", async () => {
    await expect(packageVariant("no-rail", "prod", () => {})).rejects.toMatchObject({
      stdout: expect.stringContaining('needs --param="railUrl=https://…"'),
    });
  }, 920_000);

  it.concurrent("refuses to package a stage whose live rail is the sandbox", async () => {
    await expect(
      packageVariant("sandbox-rail", "test", () => {}, ["--param=liveRail=sandbox"]),
    ).rejects.toMatchObject({ stdout: expect.stringContaining("liveRail=sandbox refused") });
  }, 920_000);
});
