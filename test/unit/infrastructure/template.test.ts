import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Packages the service exactly as `npx serverless package` does (offline: no AWS account needed)
// for a test stage and a prod stage, reads the generated CloudFormation templates, and lints them
// with cfn-lint (AWS's CloudFormation linter).

type Resource = {
  Type: string;
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Condition?: string;
};
type Template = {
  Resources: Record<string, Resource>;
  Parameters?: Record<string, any>;
  Outputs?: Record<string, any>;
};

const run = promisify(execFile);
// Minutes on a quiet machine; over 10 on one shared by parallel suites (measured at load 33).
const PACKAGE_TIMEOUT_MS = 1_500_000;
/** The prod stage's live rail endpoint, as a deployer passes it. */
const RAIL_URL = "https://rail.example.com";

async function packageStage(
  stage: string,
  params: string[] = [],
): Promise<{ dir: string; template: Template }> {
  const dir = mkdtempSync(join(tmpdir(), `payrail-package-${stage}-`));
  await run("npx", ["serverless", "package", "--stage", stage, "--package", dir, ...params], {
    env: { ...process.env, CI: "1", SLS_TELEMETRY_DISABLED: "1" },
    timeout: PACKAGE_TIMEOUT_MS,
  });
  const template = JSON.parse(readFileSync(join(dir, "cloudformation-template-update-stack.json"), "utf8"));
  return { dir, template };
}

let prod: { dir: string; template: Template };
let testStage: { dir: string; template: Template };
let resources: Record<string, Resource>;
let artifacts: string[];

beforeAll(
  async () => {
    // One after the other: both build the dashboard into dashboard/dist, and Vite refuses a second
    // build of the same project while one runs ("Found another Vite build process").
    prod = await packageStage("prod", [`--param=railUrl=${RAIL_URL}`]);
    testStage = await packageStage("test");
    resources = prod.template.Resources;
    artifacts = readdirSync(prod.dir);
  },
  2 * PACKAGE_TIMEOUT_MS + 30_000,
);

afterAll(() => {
  for (const packaged of [prod, testStage])
    if (packaged) rmSync(packaged.dir, { recursive: true, force: true });
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe("deployable package", () => {
  it("bundles every function separately on Node.js 24", () => {
    const functions = ofType("AWS::Lambda::Function");
    expect(functions.map(([name]) => name).sort()).toEqual(
      [
        "AccessLambdaFunction",
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
    // One role per function, however many functions there are.
    expect(roleNames.size).toBe(ofType("AWS::Lambda::Function").length);
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
    const zip = await JSZip.loadAsync(readFileSync(join(prod.dir, "dashboard.zip")));
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

  it("has the items DLQ with a redrive policy and an alarm on what a redrive moves (the drain's receives)", () => {
    const items = resources.ItemsQueue!.Properties;
    expect(items.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": ["ItemsDeadLetterQueue", "Arn"] },
      maxReceiveCount: 5,
    });
    const alarm = resources.ItemsDeadLetterAlarm!.Properties;
    expect(alarm).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "NumberOfMessagesReceived",
      Statistic: "Sum",
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

  it("gives the events stream mapping bounded retries and an on-failure queue its function may write", () => {
    const [stream] = ofType("AWS::Lambda::EventSourceMapping")
      .map(([, m]) => m.Properties)
      .filter((m) => JSON.stringify(m.EventSourceArn).includes("StreamArn"));
    expect(stream).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": ["EventsFanoutFailedQueue", "Arn"] } } },
    });
    const role = JSON.stringify(
      ofType("AWS::IAM::Role").find(([id]) => id.toLowerCase().includes("eventsfanout"))?.[1],
    );
    expect(role).toContain('"sqs:SendMessage"');
    expect(role).toContain('{"Fn::GetAtt":["EventsFanoutFailedQueue","Arn"]}');
    expect(resources.EventsFanoutFailedAlarm!.Properties).toMatchObject({
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 0,
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": ["EventsFanoutFailedQueue", "QueueName"] } }],
    });
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

describe("an operator's stack (prod stage)", () => {
  const alarms = () => Object.entries(resources).filter(([, r]) => r.Type === "AWS::CloudWatch::Alarm");

  it("keeps the ledger table through stack removal and replacement, with deletion protection", () => {
    const table = resources.LedgerTable!;
    expect(table.DeletionPolicy).toBe("Retain");
    expect(table.UpdateReplacePolicy).toBe("Retain");
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it("retains every queue and every log group, with their retention stated", () => {
    const queues = Object.entries(resources).filter(([, r]) => r.Type === "AWS::SQS::Queue");
    expect(queues.map(([id]) => id).sort()).toEqual(
      [
        "EventsFanoutFailedQueue",
        "ItemsDeadLetterQueue",
        "ItemsQueue",
        "ReleaseDeadLetterQueue",
        "ReleaseQueue",
        "WebhooksDeadLetterQueue",
        "WebhooksQueue",
      ].sort(),
    );
    for (const [id, queue] of queues) {
      expect([id, queue.DeletionPolicy, queue.UpdateReplacePolicy]).toEqual([id, "Retain", "Retain"]);
      expect(queue.Properties.MessageRetentionPeriod, id).toBe(
        // Queues nothing consumes keep what lands there for the operator as long as SQS can.
        id.includes("DeadLetter") || id === "EventsFanoutFailedQueue" ? 1_209_600 : 345_600,
      );
    }
    const logGroups = Object.entries(resources).filter(([, r]) => r.Type === "AWS::Logs::LogGroup");
    const functionCount = Object.values(resources).filter((r) => r.Type === "AWS::Lambda::Function").length;
    expect(logGroups.length).toBe(functionCount + 1); // one per function and the API's access log
    for (const [id, group] of logGroups) {
      expect([id, group.DeletionPolicy, group.UpdateReplacePolicy]).toEqual([id, "Retain", "Retain"]);
      expect(group.Properties.RetentionInDays, id).toBe(365);
    }
  });

  it("sends every alarm to the one alarm topic, which an email parameter subscribes to", () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms()) {
      expect([id, alarm.Properties.AlarmActions]).toEqual([id, [{ Ref: "AlarmTopic" }]]);
      expect([id, alarm.Properties.OKActions]).toEqual([id, [{ Ref: "AlarmTopic" }]]);
    }
    expect(resources.AlarmTopic!.Type).toBe("AWS::SNS::Topic");
    expect(resources.AlarmEmailSubscription).toMatchObject({
      Type: "AWS::SNS::Subscription",
      Condition: "HasAlarmEmail",
      Properties: { TopicArn: { Ref: "AlarmTopic" }, Protocol: "email", Endpoint: { Ref: "AlarmEmail" } },
    });
    expect(prod.template.Parameters?.AlarmEmail).toMatchObject({ Type: "String", Default: "" });
  });

  it("alarms on errors and throttles of every function", () => {
    const functions = Object.entries(resources).filter(([, r]) => r.Type === "AWS::Lambda::Function");
    for (const [fn] of functions) {
      for (const metric of ["Errors", "Throttles"]) {
        const watching = alarms().filter(
          ([, a]) =>
            a.Properties.Namespace === "AWS/Lambda" &&
            a.Properties.MetricName === metric &&
            JSON.stringify(a.Properties.Dimensions) ===
              JSON.stringify([{ Name: "FunctionName", Value: { Ref: fn } }]),
        );
        expect([fn, metric, watching.length]).toEqual([fn, metric, 1]);
      }
    }
  });

  it("alarms on the API's 5xx and p99 latency, queue age, DynamoDB throttles and system errors", () => {
    const props = (id: string) => resources[id]!.Properties;
    expect(props("Api5xxAlarm")).toMatchObject({
      Namespace: "AWS/ApiGateway",
      MetricName: "5xx",
      Threshold: 1,
    });
    expect(props("Api5xxAlarm").Dimensions).toEqual([{ Name: "ApiId", Value: { Ref: "HttpApi" } }]);
    expect(props("ApiLatencyAlarm")).toMatchObject({
      MetricName: "Latency",
      ExtendedStatistic: "p99",
      Threshold: 1000,
    });
    for (const [id, queue] of [
      ["ItemsQueueAgeAlarm", "ItemsQueue"],
      ["ReleaseQueueAgeAlarm", "ReleaseQueue"],
    ] as const) {
      expect(props(id)).toMatchObject({ MetricName: "ApproximateAgeOfOldestMessage", Threshold: 120 });
      expect(props(id).Dimensions[0].Value).toEqual({ "Fn::GetAtt": [queue, "QueueName"] });
    }
    const metricNames = (id: string) =>
      props(id)
        .Metrics.filter((m: any) => m.MetricStat)
        .map(
          (m: any) =>
            `${m.MetricStat.Metric.MetricName}:${m.MetricStat.Metric.Dimensions.map((d: any) => (d.Value?.Ref ? "table" : d.Value)).join("/")}`,
        )
        .sort();
    expect(metricNames("LedgerThrottleAlarm")).toEqual(
      [
        "ReadThrottleEvents:table",
        "ReadThrottleEvents:table/gsi1",
        "ReadThrottleEvents:table/gsi2",
        "WriteThrottleEvents:table",
        "WriteThrottleEvents:table/gsi1",
        "WriteThrottleEvents:table/gsi2",
      ].sort(),
    );
    // The list-filter indexes need an alarm of their own: metric math takes at most 10 metrics.
    expect(metricNames("LedgerListIndexThrottleAlarm")).toEqual(
      ["gsi3", "gsi4", "gsi5", "gsi6"]
        .flatMap((index) => [`ReadThrottleEvents:table/${index}`, `WriteThrottleEvents:table/${index}`])
        .sort(),
    );
    for (const id of ["LedgerThrottleAlarm", "LedgerListIndexThrottleAlarm"])
      expect(props(id).Metrics.length, id).toBeLessThanOrEqual(10);
    expect(props("WebhooksDeadLetterAlarm")).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
    expect(props("WebhooksDeadLetterAlarm").Dimensions[0].Value).toEqual({
      "Fn::GetAtt": ["WebhooksDeadLetterQueue", "QueueName"],
    });
    expect(metricNames("LedgerSystemErrorsAlarm")).toEqual(
      ["BatchGetItem", "BatchWriteItem", "GetItem", "PutItem", "Query", "TransactWriteItems", "UpdateItem"]
        .map((op) => `SystemErrors:table/${op}`)
        .sort(),
    );
  });

  it("alarms when the scheduler has not run for 3 minutes", () => {
    expect(resources.SchedulerSilentAlarm!.Properties).toMatchObject({
      Namespace: "AWS/Lambda",
      MetricName: "Invocations",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: "SchedulerLambdaFunction" } }],
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 1,
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
  });

  it("alarms on payouts stuck in processing and batch items failed with processing_error, in the stage's namespace", () => {
    expect(resources.StuckPaymentsAlarm!.Properties).toMatchObject({
      Namespace: "payrail/prod",
      MetricName: "StuckPaymentsDeferred",
      Dimensions: [{ Name: "service", Value: "payrail" }],
    });
    expect(resources.BatchItemsProcessingErrorAlarm!.Properties).toMatchObject({
      Namespace: "payrail/prod",
      MetricName: "BatchItemsProcessingError",
    });
  });

  it("names metrics by stage, logs API access, has a tracing switch and per-stage parameters", () => {
    const fns = Object.values(resources).filter((r) => r.Type === "AWS::Lambda::Function");
    const testFns = Object.values(testStage.template.Resources).filter(
      (r) => r.Type === "AWS::Lambda::Function",
    );
    for (const fn of fns) {
      expect(fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe("payrail/prod");
      expect(fn.Properties.TracingConfig).toEqual({ Mode: "PassThrough" });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        PAYRAIL_LIVE_RAIL: "http",
        PAYRAIL_RAIL_URL: RAIL_URL,
        PAYRAIL_RAIL_SIGNING_SECRET:
          "{{resolve:secretsmanager:payrail-prod/rail:SecretString:signing_secret}}",
      });
    }
    for (const fn of testFns) {
      expect(fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe("payrail/test");
      // A test stage has no live mode: its live keys are refused and no rail secret is needed.
      expect(fn.Properties.Environment.Variables.PAYRAIL_LIVE_RAIL).toBe("none");
    }
    expect(resources.HttpApiStage!.Properties.AccessLogSettings).toMatchObject({
      DestinationArn: { "Fn::GetAtt": ["HttpApiLogGroup", "Arn"] },
    });
    expect(resources.HttpApiStage!.Properties.AccessLogSettings.Format).toContain("$context.requestId");
    expect(testStage.template.Resources.TopupsLogGroup!.Properties.RetentionInDays).toBe(30);
  });

  it("bounds every function's SDK calls inside its timeout", () => {
    for (const fn of Object.values(resources).filter((r) => r.Type === "AWS::Lambda::Function")) {
      // lib/aws/clients.ts: 3 attempts x (1 s connect + 3 s request) = 12 s at most per call.
      expect(fn.Properties.Timeout).toBeGreaterThanOrEqual(29);
    }
  });
});

/**
 * cfn-lint warnings the framework's own output produces, each explained. Anything else fails.
 * W3005: the framework writes DependsOn for resources a Ref or GetAtt already depends on (each
 * function on its role, routes on their integration, the API stage on its access log group);
 * redundant, harmless, and not ours to remove from generated resources.
 */
const EXPLAINED_WARNINGS: Record<string, RegExp> = {
  W3005: /dependency already enforced by a '(GetAtt|Ref)'/,
};

async function cfnLint(templateFile: string): Promise<{ rule: string; line: string }[]> {
  try {
    await run("cfn-lint", ["--version"]);
  } catch {
    throw new Error(
      "cfn-lint is not installed: the CI machines have AWS's cfn-lint (1.51.0) on PATH; Debian 12 does not package it, so install it from PyPI where PyPI is reachable (pip install cfn-lint)",
    );
  }
  try {
    await run("cfn-lint", ["--format", "parseable", templateFile], { maxBuffer: 16 * 1024 * 1024 });
    return [];
  } catch (error) {
    const stdout = String((error as { stdout?: string }).stdout ?? "");
    if (!stdout) throw error;
    return stdout
      .trim()
      .split("\n")
      .map((line) => ({ rule: line.split(":")[5] ?? "", line }));
  }
}

describe("cfn-lint", () => {
  for (const stage of ["test", "prod"] as const) {
    it(`finds no error and no unexplained warning in the ${stage} stage's template`, async () => {
      const dir = stage === "prod" ? prod.dir : testStage.dir;
      const findings = await cfnLint(join(dir, "cloudformation-template-update-stack.json"));
      const unexplained = findings.filter(({ rule, line }) => !EXPLAINED_WARNINGS[rule]?.test(line));
      expect(unexplained).toEqual([]);
      expect(findings.filter(({ rule }) => rule.startsWith("E"))).toEqual([]);
    }, 120_000);
  }
});
