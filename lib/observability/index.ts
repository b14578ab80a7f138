// Owns the container's logger and metrics, built once. Apart from the composition root
// (lib/runtime.ts) so that functions that never touch the ledger (openapi, fallback) log and measure
// the same way without loading the AWS SDK.
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { loadConfig } from "../aws/config.js";
import { PayrailMetrics } from "./metrics.js";

export interface Observability {
  logger: Logger;
  metrics: PayrailMetrics;
}

let current: Observability | undefined;

export function observability(): Observability {
  current ??= {
    logger: new Logger({ serviceName: "payrail" }),
    metrics: new PayrailMetrics(loadConfig().metricsNamespace),
  };
  return current;
}

/**
 * Wraps a Lambda handler so every log line of the invocation carries the Lambda context (request
 * id, function name and version, cold start), as Powertools' injectLambdaContext does for middy.
 */
export function withLambdaContext<E, R>(
  logger: Logger,
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  return (event, context) => {
    if (context) logger.addContext(context);
    return handler(event, context);
  };
}
