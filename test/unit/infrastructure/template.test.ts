import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Packages the service exactly as `npx serverless package` does (offline: no AWS account needed)
// and reads the generated CloudFormation template.

type Resource = { Type: string; Properties: Record<string, any> };
let dir: string;
let resources: Record<string, Resource>;
let artifacts: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "payrail-package-"));
  await promisify(execFile)("npx", ["serverless", "package", "--stage", "prod", "--package", dir], {
    env: { ...process.env, CI: "1", SLS_TELEMETRY_DISABLED: "1" },
    timeout: 400_000, // bundles every function and builds the dashboard; minutes on a busy machine
  });
  const template = JSON.parse(readFileSync(join(dir, "cloudformation-template-update-stack.json"), "utf8"));
  resources = template.Resources;
  artifacts = readdirSync(dir);
}, 420_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe("deployable package", () => {
  it("bundles every function separately on Node.js 24", () => {
    const functions = ofType("AWS::Lambda::Function");
    expect(functions.map(([name]) => name).sort()).toEqual(
      [
        "AccountsLambdaFunction",
        "BatchSplitLambdaFunction",
        "BatchesLambdaFunction",
        "DashboardLambdaFunction",
        "DlqDrainLambdaFunction",
        "EventsFanoutLambdaFunction",
        "EventsLambdaFunction",
        "FallbackLambdaFunction",
        "ItemConsumeLambdaFunction",
        "OpenapiLambdaFunction",
        "PaymentsLambdaFunction",
        "PingLambdaFunction",
        "SchedulerLambdaFunction",
        "TopupsLambdaFunction",
        "WebhookDeliverLambdaFunction",
        "WebhookEndpointsLambdaFunction",
      ].sort(),
    );
    for (const [, fn] of functions) expect(fn.Properties.Runtime).toBe("nodejs24.x");
    expect(artifacts).toContain("payments.zip");
    expect(artifacts).toContain("itemConsume.zip");
  });

  it("gives each function its own role with no wildcard action or resource", () => {
    const roleNames = new Set<string>();
    for (const [name, fn] of ofType("AWS::Lambda::Function")) {
      const role = fn.Properties.Role["Fn::GetAtt"][0] as string;
      expect(role, name).not.toBe("IamRoleLambdaExecution");
      roleNames.add(role);
    }
    expect(roleNames.size).toBe(16);
    // The framework's default role is compiled first; with every function on its own role it is
    // dropped (scripts/deploy/drop-unused-default-role.cjs), so no unused role is deployed.
    expect(resources.IamRoleLambdaExecution).toBeUndefined();
    expect(
      ofType("AWS::IAM::Role")
        .map(([name]) => name)
        .sort(),
    ).toEqual([...roleNames].sort());
    for (const role of roleNames) {
      for (const policy of resources[role]!.Properties.Policies) {
        for (const statement of policy.PolicyDocument.Statement) {
          for (const action of statement.Action as string[]) {
            expect(action, role).not.toMatch(/\*/);
          }
          for (const resource of statement.Resource as unknown[]) {
            // Log streams are only known at run time; everything else is named exactly.
            const text = JSON.stringify(resource);
            if (text.includes("log-group:/aws/lambda/")) continue;
            expect(text, role).not.toMatch(/\*/);
          }
        }
      }
    }
  });

  it("packages the dashboard's built assets with the dashboard function, served on GET /dashboard", async () => {
    const zip = await JSZip.loadAsync(readFileSync(join(dir, "dashboard.zip")));
    const files = Object.keys(zip.files);
    expect(files).toContain("functions/http/dashboard.cjs");
    expect(files).toContain("dashboard/dist/index.html");
    const html = await zip.file("dashboard/dist/index.html")!.async("string");
    const script = /<script type="module" crossorigin src="\/dashboard\/(assets\/index-[\w-]+\.js)">/.exec(
      html,
    );
    expect(script).not.toBeNull();
    expect(files).toContain(`dashboard/dist/${script![1]}`);
    const routes = ofType("AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties.RouteKey as string);
    expect(routes).toEqual(expect.arrayContaining(["GET /dashboard", "GET /dashboard/{proxy+}"]));
  });

  it("lets the payments function touch only the ledger table, and not SQS", () => {
    const statements = resources.PaymentsIamRoleLambdaExecution!.Properties.Policies.flatMap(
      (p: any) => p.PolicyDocument.Statement,
    );
    const actions = statements.flatMap((s: any) => s.Action as string[]).sort();
    expect(actions).toEqual(
      [
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ].sort(),
    );
  });

  it("has the items DLQ with a redrive policy and an alarm on its depth", () => {
    const items = resources.ItemsQueue!.Properties;
    expect(items.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": ["ItemsDeadLetterQueue", "Arn"] },
      maxReceiveCount: 5,
    });
    const alarm = resources.ItemsDeadLetterAlarm!.Properties;
    expect(alarm).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
    expect(alarm.Dimensions[0].Value).toEqual({ "Fn::GetAtt": ["ItemsDeadLetterQueue", "QueueName"] });
  });

  it("maps the SQS consumers with partial batch responses", () => {
    const mappings = ofType("AWS::Lambda::EventSourceMapping").map(([, m]) => m.Properties);
    // Four queues (release, items, items DLQ, webhooks) and the table's stream (events fan-out).
    expect(mappings).toHaveLength(5);
    const fromQueues = mappings.filter((m) => !JSON.stringify(m.EventSourceArn).includes("StreamArn"));
    expect(fromQueues).toHaveLength(4);
    for (const mapping of fromQueues)
      expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
  });

  it("enables point-in-time recovery and TTL on the table", () => {
    const table = resources.LedgerTable!.Properties;
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: "expires_at", Enabled: true });
    expect(table.BillingMode).toBe("PAY_PER_REQUEST");
  });

  it("throttles the HTTP API", () => {
    expect(resources.HttpApiStage!.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 500,
      ThrottlingBurstLimit: 1000,
    });
  });

  it("caps the item consumer's concurrency (maximumConcurrency on its event source mapping)", () => {
    const mappings = ofType("AWS::Lambda::EventSourceMapping").map(([, m]) => m.Properties);
    const consumer = mappings.find((m) =>
      JSON.stringify(m.FunctionName).includes("ItemConsumeLambdaFunction"),
    );
    expect(consumer?.ScalingConfig).toEqual({ MaximumConcurrency: 50 });
  });

  it("lets batchSplit shorten the visibility of the release messages it retries (the SQS calls its retry makes)", () => {
    const statements = resources.BatchSplitIamRoleLambdaExecution!.Properties.Policies.flatMap(
      (p: any) => p.PolicyDocument.Statement,
    );
    const onRelease = statements
      .filter((s: any) => JSON.stringify(s.Resource).includes('"ReleaseQueue"'))
      .flatMap((s: any) => s.Action as string[])
      .sort();
    // Besides what the event source mapping itself needs (receive, delete, attributes).
    expect(onRelease).toEqual(expect.arrayContaining(["sqs:ChangeMessageVisibility", "sqs:GetQueueUrl"]));
  });

  it("schedules the scheduler every minute", () => {
    const rules = ofType("AWS::Events::Rule").map(([, r]) => r.Properties.ScheduleExpression);
    expect(rules).toEqual(["rate(1 minute)"]);
  });
});
