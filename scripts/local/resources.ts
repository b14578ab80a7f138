// Owns creating the DynamoDB tables and SQS queues of serverless.yml's `resources` on the local
// emulators. Nothing is hand-copied: table keys, indexes, TTL, queue attributes and redrive policies
// all come from the CloudFormation properties. Creation is idempotent, so a restart on a persistent
// data directory finds its tables and queues again.
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { ServiceDefinitionError } from "./errors.js";
import { localDynamo, localSqs } from "./local-clients.js";
import { type CfnResource, getAttLogicalId, type ServiceDefinition } from "./service-definition.js";

export interface ResourceOverrides {
  /** Test-only: replaces every queue's VisibilityTimeout (seconds), so redelivery is observable in
   *  a test instead of after serverless.yml's 6 minutes. */
  visibilityTimeoutSeconds?: number;
  /** Test-only: replaces every RedrivePolicy's maxReceiveCount. */
  maxReceiveCount?: number;
}

export interface CreatedResources {
  tables: Record<string, string>; // logical id -> table name
  queues: Record<string, { name: string; url: string; arn: string }>; // logical id -> queue
}

export interface Endpoints {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  region: string;
}

type Props = Record<string, unknown>;

export function tableInput(properties: Props): CreateTableCommandInput {
  const billingMode = (properties.BillingMode as string | undefined) ?? "PROVISIONED";
  const input: Props = {
    TableName: properties.TableName,
    AttributeDefinitions: properties.AttributeDefinitions,
    KeySchema: properties.KeySchema,
    BillingMode: billingMode,
  };
  for (const key of ["GlobalSecondaryIndexes", "LocalSecondaryIndexes", "ProvisionedThroughput"]) {
    if (properties[key] !== undefined) input[key] = properties[key];
  }
  const stream = properties.StreamSpecification as Props | undefined;
  if (stream) input.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType };
  // PointInTimeRecoverySpecification, SSE and tags have no local meaning and are left out.
  return input as unknown as CreateTableCommandInput;
}

async function createTable(dynamo: DynamoDBClient, properties: Props): Promise<string> {
  const input = tableInput(properties);
  try {
    await dynamo.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error; // already there (persistent data dir)
    await addMissingIndexes(dynamo, input);
  }
  const ttl = properties.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  if (ttl?.Enabled && ttl.AttributeName) {
    try {
      await dynamo.send(
        new UpdateTimeToLiveCommand({
          TableName: input.TableName,
          TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
        }),
      );
    } catch (error) {
      // Enabling TTL twice is a ValidationException ("TimeToLive is already enabled").
      if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
    }
  }
  return String(input.TableName);
}

/**
 * A table kept in `.local/` from an older checkout lacks the indexes added since: create them (one
 * per UpdateTable, as DynamoDB requires) and wait until each is active and backfilled.
 */
async function addMissingIndexes(dynamo: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  const wanted = input.GlobalSecondaryIndexes ?? [];
  const describe = () => dynamo.send(new DescribeTableCommand({ TableName: input.TableName }));
  const existing = new Set(((await describe()).Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of wanted) {
    if (existing.has(index.IndexName)) continue;
    await dynamo.send(
      new UpdateTableCommand({
        TableName: input.TableName,
        AttributeDefinitions: input.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.IndexName,
              KeySchema: index.KeySchema,
              Projection: index.Projection,
              ...(index.ProvisionedThroughput ? { ProvisionedThroughput: index.ProvisionedThroughput } : {}),
            },
          },
        ],
      }),
    );
    for (let waited = 0; waited < 600; waited++) {
      const found = (await describe()).Table?.GlobalSecondaryIndexes?.find(
        (i) => i.IndexName === index.IndexName,
      );
      if (found?.IndexStatus === "ACTIVE") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Queue logical ids ordered so that every dead-letter queue precedes the queues that target it. */
function queueCreationOrder(resources: Record<string, CfnResource>): string[] {
  const queues = Object.keys(resources).filter((id) => resources[id]?.Type === "AWS::SQS::Queue");
  const ordered: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (ordered.includes(id)) return;
    if (path.includes(id))
      throw new ServiceDefinitionError(`payrail: redrive cycle ${[...path, id].join(" -> ")}`);
    const redrive = resources[id]?.Properties?.RedrivePolicy as Props | undefined;
    const target = getAttLogicalId(redrive?.deadLetterTargetArn);
    if (target) {
      if (resources[target]?.Type !== "AWS::SQS::Queue") {
        throw new ServiceDefinitionError(
          `payrail: ${id}'s dead-letter queue ${target} is not a queue in resources`,
        );
      }
      visit(target, [...path, id]);
    }
    ordered.push(id);
  };
  for (const id of queues) visit(id, []);
  return ordered;
}

function queueAttributes(
  id: string,
  properties: Props,
  created: CreatedResources["queues"],
  overrides: ResourceOverrides,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (key === "QueueName" || key === "Tags" || value === undefined) continue;
    if (key === "RedrivePolicy" || key === "RedriveAllowPolicy") {
      const policy = { ...(value as Props) };
      const target = getAttLogicalId(policy.deadLetterTargetArn);
      if (target) {
        const dlq = created[target];
        if (!dlq)
          throw new ServiceDefinitionError(`payrail: ${id}'s dead-letter queue ${target} was not created`);
        policy.deadLetterTargetArn = dlq.arn;
      }
      if (key === "RedrivePolicy" && overrides.maxReceiveCount !== undefined) {
        policy.maxReceiveCount = overrides.maxReceiveCount;
      }
      attributes[key] = JSON.stringify(policy);
      continue;
    }
    attributes[key] = String(value);
  }
  if (overrides.visibilityTimeoutSeconds !== undefined) {
    attributes.VisibilityTimeout = String(overrides.visibilityTimeoutSeconds);
  }
  return attributes;
}

/** Every table of serverless.yml (with its TTL); returns their names by logical id. */
export async function createTables(
  dynamo: DynamoDBClient,
  definition: ServiceDefinition,
): Promise<Record<string, string>> {
  const tables = Object.entries(definition.resources).filter(([, r]) => r.Type === "AWS::DynamoDB::Table");
  const names = await Promise.all(
    tables.map(([, resource]) => createTable(dynamo, resource.Properties ?? {})),
  );
  return Object.fromEntries(tables.map(([id], i) => [id, names[i] as string]));
}

export async function createResources(
  definition: ServiceDefinition,
  endpoints: Endpoints,
  overrides: ResourceOverrides = {},
): Promise<CreatedResources> {
  const dynamo = localDynamo(endpoints.dynamoEndpoint, { region: endpoints.region });
  const sqs = localSqs(endpoints.sqsEndpoint, { region: endpoints.region });
  const created: CreatedResources = { tables: {}, queues: {} };
  try {
    created.tables = await createTables(dynamo, definition);
    for (const id of queueCreationOrder(definition.resources)) {
      const properties = definition.resources[id]?.Properties ?? {};
      const name = String(properties.QueueName ?? `${definition.service}-${definition.stage}-${id}`);
      const attributes = queueAttributes(id, properties, created.queues, overrides);
      let url: string;
      try {
        url =
          (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ??
          "";
      } catch (error) {
        if (!(error instanceof QueueNameExists)) throw error;
        // Persisted from a run with other attributes (e.g. test overrides): make it match this run.
        url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? "";
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
      }
      const arn = (
        await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))
      ).Attributes?.QueueArn;
      if (!arn) throw new ServiceDefinitionError(`payrail: the SQS emulator gave queue ${name} no ARN`);
      created.queues[id] = { name, url, arn };
    }
  } finally {
    dynamo.destroy();
    sqs.destroy();
  }
  return created;
}
