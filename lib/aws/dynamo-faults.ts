// Owns the DynamoDB side of the test-only fault seam: an SDK middleware, inside the SDK's retry
// loop, that makes requests fail the way DynamoDB does under load. Added only when faults are on.

import { Logger } from "@aws-lambda-powertools/logger";
import { type DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { type FaultPoint, type Faults, requestLosesWriteAnswer } from "../faults.js";

// Each firing is logged, so a fault run can prove its faults fired (the SDK hides retried ones).
const logger = new Logger({ serviceName: "payrail" });
const fired = (point: FaultPoint, faults: Faults) => {
  if (!faults.fires(point)) return false;
  logger.warn("injected fault", { point });
  return true;
};

class InjectedThrottle extends Error {
  override name = "ThrottlingException";
  readonly $metadata = { httpStatusCode: 400 };
  readonly $retryable = { throttling: true };
  readonly $fault = "client";
}

function operationOf(args: unknown): string {
  const target = (args as { request?: { headers?: Record<string, string> } }).request?.headers?.[
    "x-amz-target"
  ];
  return target?.split(".").pop() ?? "";
}

export function addDynamoFaults(client: DynamoDBClient, faults: Faults): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      if (fired("dynamo.throttle", faults))
        throw new InjectedThrottle("injected: rate of requests exceeds the allowed throughput");
      const operation = operationOf(args);
      if (operation === "TransactWriteItems" && fired("dynamo.conflict", faults)) {
        throw new TransactionCanceledException({
          message: "injected: transaction cancelled by a conflicting transaction",
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [{ Code: "TransactionConflict" }],
        });
      }
      const result = await next(args);
      // Executed, answer lost: the worst case for exactly-once, since a retry finds its own write.
      const lost =
        (operation === "TransactWriteItems" && requestLosesWriteAnswer()) ||
        fired("dynamo.lost-response", faults);
      if (lost) throw new InjectedThrottle("injected: response lost after execution");
      return result;
    },
    // finalizeRequest + low priority: inside the retry middleware, so the SDK retries as it would in AWS.
    { step: "finalizeRequest", priority: "low", name: "payrailDynamoFaults" },
  );
}
