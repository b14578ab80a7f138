// Owns payrail's business and latency metrics, written as CloudWatch Embedded Metric Format lines
// by Powertools Metrics (no PutMetricData calls on the hot path; CloudWatch extracts them from logs).
// The namespace names the stage (`payrail/prod`), so stages sharing an account never mix, and the
// alarms in serverless.yml read exactly these names: BatchItemsProcessingError, StuckPaymentsDeferred.
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Payment } from "../domain/payments.js";

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

export class PayrailMetrics {
  private readonly metrics: Metrics;

  constructor(namespace = "payrail") {
    this.metrics = new Metrics({ namespace, serviceName: "payrail" });
  }

  /** Emits one EMF line: the values share the dimensions. Synchronous, so emissions never interleave. */
  private emit(dimensions: Record<string, string>, values: [string, Unit, number][]): void {
    this.metrics.addDimensions(dimensions);
    for (const [name, unit, value] of values) this.metrics.addMetric(name, unit, value);
    this.metrics.publishStoredMetrics();
  }

  /** A payment reached a recorded state: counted by channel and outcome (status or failure code). */
  paymentFinished(payment: Payment): void {
    const outcome = payment.status === "failed" ? (payment.failureCode ?? "unknown") : payment.status;
    this.emit({ channel: payment.channel ?? "none", outcome }, [
      ["Payments", MetricUnit.Count, 1],
      ["PaymentAmount", MetricUnit.Count, payment.amount],
    ]);
  }

  /** Batch items a consumer finished, by outcome. */
  batchItemsProcessed(succeeded: number, failed: number): void {
    this.emit({}, [
      ["BatchItemsSucceeded", MetricUnit.Count, succeeded],
      ["BatchItemsFailed", MetricUnit.Count, failed],
    ]);
  }

  /** Batch items the dead-letter drain failed with processing_error (money someone expected). */
  batchItemsProcessingError(count: number): void {
    this.emit({}, [["BatchItemsProcessingError", MetricUnit.Count, count]]);
  }

  /** Bank payouts still `processing` after a recovery run because the rail could not be asked. */
  stuckPaymentsDeferred(count: number): void {
    this.emit({}, [["StuckPaymentsDeferred", MetricUnit.Count, count]]);
  }

  /** One API call's latency per Server-Timing phase. */
  apiCall(
    route: string,
    status: number,
    phases: { request: number; channel: number; response: number },
  ): void {
    this.emit({ route, status: String(status) }, [
      ["LatencyRequest", MetricUnit.Milliseconds, phases.request],
      ["LatencyChannel", MetricUnit.Milliseconds, phases.channel],
      ["LatencyResponse", MetricUnit.Milliseconds, phases.response],
    ]);
  }
}
