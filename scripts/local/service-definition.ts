// Owns reading serverless.yml for the local stack: the one source of truth for resources, queue
// bindings and schedules. Resolves the variables serverless.yml uses (`${self:...}`, `${sls:stage}`,
// `${opt:stage, 'dev'}`, `${env:NAME, 'fallback'}`) for a given stage; anything else is an error
// rather than a silently wrong local copy of the infrastructure.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ServiceDefinitionError } from "./errors.js";
import { SERVERLESS_YML } from "./project.js";

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface SqsEventBinding {
  /** CloudFormation logical id of the queue (`Fn::GetAtt [ItemsQueue, Arn]`), if given that way. */
  queueLogicalId?: string;
  /** The queue's name, resolved for the stage. */
  queueName: string;
  batchSize: number;
  maximumBatchingWindow: number;
  reportBatchItemFailures: boolean;
}

export interface StreamEventBinding {
  /** The table whose stream feeds the function (`Fn::GetAtt [LedgerTable, StreamArn]`). */
  tableName: string;
  batchSize: number;
  /** Lambda event filter patterns, as in serverless.yml (matched by stream-poller.ts). */
  filterPatterns: unknown[];
  bisect: boolean;
  maximumRetryAttempts: number | undefined;
  /** The queue (name) of `destinations.onFailure`, when it names a queue of resources. */
  onFailureQueue: string | undefined;
}

export interface ScheduleBinding {
  /** `rate(1 minute)`, `rate(5 minutes)`, ... */
  rate: string;
  input?: unknown;
}

export interface FunctionDefinition {
  /** Key in serverless.yml (`itemConsume`). */
  key: string;
  /** Deployed name, `<service>-<stage>-<key>`, which serverless-offline's Invoke API expects. */
  name: string;
  sqs: SqsEventBinding[];
  streams: StreamEventBinding[];
  schedules: ScheduleBinding[];
}

export interface ServiceDefinition {
  service: string;
  stage: string;
  region: string;
  /** provider.environment, resolved: what every handler is given. */
  environment: Record<string, string>;
  resources: Record<string, CfnResource>;
  functions: FunctionDefinition[];
}

type Yaml = Record<string, unknown>;

/** The resource types the local stack creates; the rest (alarms, API stages) exist only in AWS. */
export const LOCAL_RESOURCE_TYPES = new Set(["AWS::DynamoDB::Table", "AWS::SQS::Queue"]);

const VARIABLE = /\$\{([^{}]+)\}/g;

function unquote(fallback: string): string {
  const trimmed = fallback.trim();
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  return quoted ? (quoted[2] ?? "") : trimmed;
}

function lookup(root: Yaml, path: string): unknown {
  let node: unknown = root;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Yaml)[part];
  }
  return node;
}

/** Resolves every `${...}` in `value` (recursively through objects and arrays). */
function resolveVariables(value: unknown, root: Yaml, options: { stage: string; region: string }): unknown {
  if (typeof value === "string") {
    const resolveOne = (expression: string): unknown => {
      const [source = "", ...fallbackParts] = expression.split(",");
      const fallback = fallbackParts.length > 0 ? unquote(fallbackParts.join(",")) : undefined;
      const [kind, path = ""] = source.trim().split(/:(.*)/s);
      let resolved: unknown;
      if (kind === "self") resolved = resolveVariables(lookup(root, path), root, options);
      else if (kind === "sls" && path === "stage") resolved = options.stage;
      else if (kind === "opt" && path === "stage") resolved = options.stage;
      else if (kind === "opt" && path === "region") resolved = options.region;
      else if (kind === "opt") resolved = undefined;
      else if (kind === "env") resolved = process.env[path];
      else if (kind === "param")
        resolved = resolveVariables(
          lookup(root, `params.${options.stage}.${path}`) ?? lookup(root, `params.default.${path}`),
          root,
          options,
        );
      else if (kind === "aws" && path === "region") resolved = options.region;
      else if (kind === "aws" && path === "accountId") resolved = "000000000000";
      else
        throw new ServiceDefinitionError(
          `payrail: serverless.yml variable \${${expression}} is not supported locally`,
        );
      if (resolved === undefined || resolved === null) {
        if (fallback === undefined) {
          throw new ServiceDefinitionError(`payrail: serverless.yml variable \${${expression}} has no value`);
        }
        return fallback;
      }
      return resolved;
    };
    const whole = /^\$\{([^{}]+)\}$/.exec(value);
    if (whole?.[1]) return resolveOne(whole[1]); // keeps non-string values (numbers, objects)
    return value.replace(VARIABLE, (_, expression: string) => String(resolveOne(expression)));
  }
  if (Array.isArray(value)) return value.map((item) => resolveVariables(item, root, options));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveVariables(item, root, options)]),
    );
  }
  return value;
}

/** The logical id in `{ "Fn::GetAtt": [Id, Arn] }`, or undefined for anything else. */
export function getAttLogicalId(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const getAtt = (value as Yaml)["Fn::GetAtt"];
  if (Array.isArray(getAtt) && typeof getAtt[0] === "string") return getAtt[0];
  if (typeof getAtt === "string") return getAtt.split(".")[0];
  return undefined;
}

function queueBinding(fnKey: string, event: Yaml, resources: Record<string, CfnResource>): SqsEventBinding {
  const arn = typeof event === "string" ? event : event.arn;
  const logicalId = getAttLogicalId(arn);
  let queueName: string | undefined;
  if (logicalId) {
    const queueName_ = resources[logicalId]?.Properties?.QueueName;
    if (typeof queueName_ === "string") queueName = queueName_;
  } else if (typeof arn === "string") {
    queueName = arn.split(":").pop();
  }
  if (!queueName) {
    throw new ServiceDefinitionError(`payrail: cannot resolve the queue of ${fnKey}'s sqs event`);
  }
  return {
    queueLogicalId: logicalId,
    queueName,
    batchSize: typeof event.batchSize === "number" ? event.batchSize : 10,
    maximumBatchingWindow: typeof event.maximumBatchingWindow === "number" ? event.maximumBatchingWindow : 0,
    reportBatchItemFailures: event.functionResponseType === "ReportBatchItemFailures",
  };
}

function streamBinding(
  fnKey: string,
  event: Yaml,
  resources: Record<string, CfnResource>,
): StreamEventBinding {
  const logicalId = getAttLogicalId(event.arn);
  const tableName = logicalId ? resources[logicalId]?.Properties?.TableName : undefined;
  if (event.type !== "dynamodb" || typeof tableName !== "string") {
    throw new ServiceDefinitionError(`payrail: ${fnKey}'s stream event must name a table of resources`);
  }
  const onFailure = (event.destinations as Yaml | undefined)?.onFailure as Yaml | undefined;
  const failureQueueId = getAttLogicalId(onFailure?.arn ?? onFailure);
  const onFailureQueue = failureQueueId ? resources[failureQueueId]?.Properties?.QueueName : undefined;
  return {
    tableName,
    batchSize: typeof event.batchSize === "number" ? event.batchSize : 100,
    filterPatterns: Array.isArray(event.filterPatterns) ? event.filterPatterns : [],
    bisect: event.bisectBatchOnFunctionError === true,
    maximumRetryAttempts:
      typeof event.maximumRetryAttempts === "number" ? event.maximumRetryAttempts : undefined,
    onFailureQueue: typeof onFailureQueue === "string" ? onFailureQueue : undefined,
  };
}

function scheduleBindings(event: unknown): ScheduleBinding[] {
  if (typeof event === "string") return [{ rate: event }];
  const definition = event as Yaml;
  if (definition.enabled === false) return [];
  const rates = Array.isArray(definition.rate) ? definition.rate : [definition.rate];
  return rates.map((rate) => ({ rate: String(rate), input: definition.input }));
}

export function loadServiceDefinition(
  options: { stage?: string; region?: string; path?: string } = {},
): ServiceDefinition {
  const stage = options.stage ?? "local";
  const region = options.region ?? "us-east-1";
  const raw = parse(readFileSync(options.path ?? SERVERLESS_YML, "utf8")) as Yaml;
  // Only the parts the local stack uses are resolved, so deploy-only settings (IAM, throttling,
  // alarms) may use variable sources we do not emulate.
  const resolve = (value: unknown) => resolveVariables(value, raw, { stage, region });
  const service = String(resolve(raw.service));
  const resources = Object.fromEntries(
    Object.entries(((raw.resources as Yaml | undefined)?.Resources ?? {}) as Record<string, CfnResource>)
      .filter(([, resource]) => LOCAL_RESOURCE_TYPES.has(resource.Type))
      .map(([id, resource]) => [id, resolve(resource) as CfnResource]),
  );
  const functions = Object.entries((raw.functions ?? {}) as Record<string, Yaml>).map(([key, declared]) => {
    const fn = { name: resolve(declared.name), events: resolve(declared.events) } as Yaml;
    const events = (fn.events ?? []) as Yaml[];
    return {
      key,
      name: typeof fn.name === "string" ? fn.name : `${service}-${stage}-${key}`,
      sqs: events
        .filter((event) => event.sqs)
        .map((event) => queueBinding(key, event.sqs as Yaml, resources)),
      streams: events
        .filter((event) => event.stream)
        .map((event) => streamBinding(key, event.stream as Yaml, resources)),
      schedules: events
        .filter((event) => event.schedule)
        .flatMap((event) => scheduleBindings(event.schedule)),
    };
  });
  const provider = (raw.provider ?? {}) as Yaml;
  const environment = Object.fromEntries(
    Object.entries((resolve(provider.environment) ?? {}) as Yaml).map(([name, value]) => [
      name,
      String(value),
    ]),
  );
  return { service, stage, region, environment, resources, functions };
}
