// Owns invoking a function through serverless-offline's Lambda Invoke API (the same endpoint the
// AWS SDK's Lambda client calls), as the SQS and EventBridge integrations do in AWS.

/** What an invocation answered: the function's return value, or the error it threw. */
export type InvokeOutcome = { ok: true; result: unknown } | { ok: false; error: string };

/** Invokes a function by its deployed name (`payrail-local-itemConsume`) with an event. */
export type InvokeFunction = (
  functionName: string,
  event: unknown,
  signal?: AbortSignal,
) => Promise<InvokeOutcome>;

export function lambdaInvoker(lambdaUrl: string): InvokeFunction {
  return async (functionName, event, signal) => {
    let answer: Response;
    try {
      answer = await fetch(
        `${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
        {
          method: "POST",
          headers: { "x-amz-invocation-type": "RequestResponse" },
          body: JSON.stringify(event),
          signal,
        },
      );
    } catch (error) {
      return { ok: false, error: `invoke failed: ${(error as Error).message}` };
    }
    const text = await answer.text();
    // serverless-offline answers 200 with X-Amz-Function-Error when the handler threw, as AWS does.
    if (answer.status !== 200 || answer.headers.get("x-amz-function-error")) {
      return {
        ok: false,
        error: `${answer.status} ${answer.headers.get("x-amz-function-error") ?? ""} ${text}`.trim(),
      };
    }
    if (text === "") return { ok: true, result: undefined };
    try {
      return { ok: true, result: JSON.parse(text) };
    } catch {
      return { ok: true, result: text }; // not JSON: reported as is, judged by the caller
    }
  };
}
