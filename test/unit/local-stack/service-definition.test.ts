import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tableInput } from "../../../scripts/local/resources.js";
import { rateMilliseconds, scheduledEvent } from "../../../scripts/local/scheduler-tick.js";
import { loadServiceDefinition } from "../../../scripts/local/service-definition.js";

const dir = mkdtempSync(join(tmpdir(), "payrail-sls-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function definitionOf(yaml: string, stage = "qa") {
  const path = join(dir, "serverless.yml");
  writeFileSync(path, yaml);
  return loadServiceDefinition({ stage, path });
}

describe("loadServiceDefinition", () => {
  it("resolves self, sls, opt, param and env variables for the stage", () => {
    const definition = definitionOf(`
service: svc
params:
  qa: { size: 7 }
provider:
  stage: \${opt:stage, 'dev'}
  environment:
    TABLE: \${self:service}-\${sls:stage}
    SIZE: \${param:size, 1}
    OTHER: \${param:missing, 'fallback'}
    FROM_ENV: \${env:PAYRAIL_TEST_UNSET_VARIABLE, 'none'}
functions: {}
`);
    expect(definition.environment).toEqual({
      TABLE: "svc-qa",
      SIZE: "7",
      OTHER: "fallback",
      FROM_ENV: "none",
    });
  });

  it("binds sqs events to queue names through Fn::GetAtt and reads schedules", () => {
    const definition = definitionOf(`
service: svc
functions:
  consume:
    handler: f.handler
    events:
      - sqs: { arn: { "Fn::GetAtt": [WorkQueue, Arn] }, batchSize: 5, functionResponseType: ReportBatchItemFailures }
  tick:
    handler: t.handler
    events:
      - schedule: rate(5 minutes)
      - schedule: { rate: rate(1 hour), enabled: false }
resources:
  Resources:
    WorkQueue: { Type: AWS::SQS::Queue, Properties: { QueueName: "\${self:service}-\${sls:stage}-work" } }
    Alarm: { Type: AWS::CloudWatch::Alarm, Properties: { AlarmName: "\${cf:unsupported.value}" } }
`);
    expect(definition.functions).toEqual([
      {
        key: "consume",
        name: "svc-qa-consume",
        sqs: [
          {
            queueLogicalId: "WorkQueue",
            queueName: "svc-qa-work",
            batchSize: 5,
            maximumBatchingWindow: 0,
            reportBatchItemFailures: true,
          },
        ],
        streams: [],
        schedules: [],
      },
      {
        key: "tick",
        name: "svc-qa-tick",
        sqs: [],
        streams: [],
        schedules: [{ rate: "rate(5 minutes)", input: undefined }],
      },
    ]);
    expect(Object.keys(definition.resources)).toEqual(["WorkQueue"]); // alarms exist only in AWS
  });

  it("reads a stream mapping's bisect, retry limit and on-failure queue", () => {
    const definition = definitionOf(`
service: svc
functions:
  fanout:
    handler: f.handler
    events:
      - stream:
          type: dynamodb
          arn: { "Fn::GetAtt": [Table, StreamArn] }
          bisectBatchOnFunctionError: true
          maximumRetryAttempts: 10
          destinations: { onFailure: { arn: { "Fn::GetAtt": [Failed, Arn] }, type: sqs } }
resources:
  Resources:
    Table: { Type: AWS::DynamoDB::Table, Properties: { TableName: "\${self:service}-\${sls:stage}-t" } }
    Failed: { Type: AWS::SQS::Queue, Properties: { QueueName: "\${self:service}-\${sls:stage}-failed" } }
`);
    expect(definition.functions[0]?.streams).toEqual([
      {
        tableName: "svc-qa-t",
        batchSize: 100,
        filterPatterns: [],
        bisect: true,
        maximumRetryAttempts: 10,
        onFailureQueue: "svc-qa-failed",
      },
    ]);
  });

  it("rejects a variable source it cannot resolve locally with one line", () => {
    expect(() =>
      definitionOf(`
service: svc
functions:
  f: { handler: f.handler, name: "\${ssm:/some/param}" }
`),
    ).toThrow(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message quotes a serverless variable
      "payrail: serverless.yml variable ${ssm:/some/param} is not supported locally",
    );
  });
});

describe("tableInput", () => {
  it("turns CloudFormation table properties into CreateTable input", () => {
    expect(
      tableInput({
        TableName: "t",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    ).toEqual({
      TableName: "t",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    });
  });
});

describe("scheduler tick", () => {
  it("reads rate expressions", () => {
    expect(rateMilliseconds("rate(1 minute)")).toBe(60_000);
    expect(rateMilliseconds("rate(5 minutes)")).toBe(300_000);
    expect(rateMilliseconds("rate(2 hours)")).toBe(7_200_000);
    expect(rateMilliseconds("cron(0 9 * * ? *)")).toBeUndefined();
  });

  it("builds EventBridge's Scheduled Event", () => {
    const event = scheduledEvent({
      functionName: "payrail-local-scheduler",
      region: "us-east-1",
      time: new Date("2026-12-01T09:00:00.123Z"),
    });
    expect(event).toEqual({
      version: "0",
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: "000000000000",
      time: "2026-12-01T09:00:00Z",
      region: "us-east-1",
      resources: ["arn:aws:events:us-east-1:000000000000:rule/payrail-local-scheduler-schedule"],
      detail: {},
    });
  });
});
