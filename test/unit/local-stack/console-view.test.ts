import { describe, expect, it } from "vitest";
import { conciseLine } from "../../../scripts/local/console-view.js";
import { nodeVersionProblem } from "../../../scripts/local/node-version.js";

describe("npm start's terminal view", () => {
  it("turns the handlers' request log line into method, route, status, duration and request id", () => {
    const line = JSON.stringify({
      level: "INFO",
      message: "request",
      service: "payrail",
      timestamp: "2026-12-02T18:00:00.000Z",
      requestId: "KxN2cF0Yq1g8Ag==",
      merchantId: "mer_01JD8X3V9Q0000000000000001",
      route: "POST /v1/payments",
      status: 201,
      resourceId: "pay_01JD8X3V9Q0000000000000001",
      timing: { request: 3.2, channel: 17.6, response: 0.4 },
    });
    expect(conciseLine(line)).toBe(`POST /v1/payments${" ".repeat(15)} 201     21 ms  KxN2cF0Yq1g8Ag==`);
  });

  it("shows a handler error in one line and leaves everything else in the log file", () => {
    const error = JSON.stringify({
      level: "ERROR",
      message: "unhandled error",
      requestId: "abc=",
      error: { name: "TypeError", message: "x is undefined" },
    });
    expect(conciseLine(error)).toBe("error: unhandled error: x is undefined  abc=");
    const emf = JSON.stringify({ _aws: { Timestamp: 1, CloudWatchMetrics: [] }, PaymentLatency: 3 });
    expect(conciseLine(emf)).toBeUndefined();
    expect(conciseLine(JSON.stringify({ level: "INFO", message: "chunk paid" }))).toBeUndefined();
    expect(conciseLine("│   POST | http://127.0.0.1:3000/v1/payments   │")).toBeUndefined();
    expect(conciseLine("Server ready: http://127.0.0.1:3000 🚀")).toBeUndefined();
  });
});

describe("the local stack's Node check", () => {
  it("accepts Node 22.5 and later, and names the fix for older ones in one line", () => {
    expect(nodeVersionProblem("24.21.0")).toBeUndefined();
    expect(nodeVersionProblem("22.5.0")).toBeUndefined();
    expect(nodeVersionProblem("20.20.2")).toBe(
      "payrail: the local stack needs Node 22.5+ and this is Node 20.20.2; run it with `npm start` (or `npm run …`), which uses the project's own Node 24 from node_modules",
    );
    expect(nodeVersionProblem("22.4.1")).toMatch(
      /^payrail: the local stack needs Node 22\.5\+ and this is Node 22\.4\.1;/,
    );
  });
});
