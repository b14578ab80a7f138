// A Serverless plugin: the operational parts that exist once per function, added to the compiled
// template after `resources` are merged (so functions added later get them without anyone
// remembering to): an Errors alarm and a Throttles alarm per function, notifying AlarmTopic, and
// every log group kept when the stack is removed. Before packaging, it refuses a live-mode stage
// without a rail endpoint, so a prod deploy cannot ship functions that refuse to start.
"use strict";

const RETAIN = { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" };

class Operations {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      "before:package:initialize": () => this.checkLiveRail(),
      // Runs after aws:package:finalize:mergeCustomProviderResources, before the template is saved.
      "before:aws:package:finalize:saveServiceState": () => this.addOperations(),
    };
  }

  checkLiveRail() {
    const env = this.serverless.service.provider.environment ?? {};
    if (env.PAYRAIL_LIVE_RAIL === "sandbox")
      throw new Error(
        "payrail: liveRail=sandbox refused: live mode cannot run on the sandbox rail; use http or none",
      );
    if (env.PAYRAIL_LIVE_RAIL === "http" && !/^https:\/\//.test(String(env.PAYRAIL_RAIL_URL ?? "")))
      throw new Error(
        `payrail: stage ${this.serverless.service.provider.stage} has liveRail=http and needs --param="railUrl=https://…" (the bank rail's endpoint)`,
      );
  }

  addOperations() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const resources = template.Resources;
    const service = this.serverless.service.service;
    const stage = this.serverless.service.provider.stage;
    for (const resource of Object.values(resources)) {
      if (resource.Type === "AWS::Logs::LogGroup") Object.assign(resource, RETAIN);
    }
    if (!resources.AlarmTopic) return;
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.Type !== "AWS::Lambda::Function") continue;
      const prefix = id.replace(/LambdaFunction$/, "");
      const name = resource.Properties.FunctionName;
      for (const [metric, what] of [
        ["Errors", "threw or timed out"],
        ["Throttles", "was throttled (concurrency limit)"],
      ]) {
        resources[`${prefix}${metric}Alarm`] = {
          Type: "AWS::CloudWatch::Alarm",
          Properties: {
            AlarmName: `${service}-${stage}-${prefix.charAt(0).toLowerCase()}${prefix.slice(1)}-${metric.toLowerCase()}`,
            AlarmDescription: `The ${name} function ${what}.`,
            Namespace: "AWS/Lambda",
            MetricName: metric,
            Dimensions: [{ Name: "FunctionName", Value: { Ref: id } }],
            Statistic: "Sum",
            Period: 60,
            EvaluationPeriods: 1,
            Threshold: 0,
            ComparisonOperator: "GreaterThanThreshold",
            TreatMissingData: "notBreaching",
            AlarmActions: [{ Ref: "AlarmTopic" }],
            OKActions: [{ Ref: "AlarmTopic" }],
          },
        };
      }
    }
  }
}

module.exports = Operations;
