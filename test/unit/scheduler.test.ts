import { describe, expect, it } from "vitest";
import { runSweeps, SweepsFailedError } from "../../lib/scheduler.js";

const silent = { error() {} };

describe("the scheduler's sweeps", () => {
  it("runs every sweep and merges their reports", async () => {
    const report = await runSweeps(
      {
        releases: async () => ({ released: 2 }),
        active: async () => ({ completed: 1, redispatched: 0 }),
        payments: async () => ({ settled: 3 }),
      },
      silent,
    );
    expect(report).toEqual({ released: 2, completed: 1, redispatched: 0, settled: 3 });
  });

  it("still runs the active-batch sweep and the payment recovery when the release sweep fails", async () => {
    const ran: string[] = [];
    const logged: unknown[] = [];
    const outcome = runSweeps(
      {
        releases: async () => {
          ran.push("releases");
          throw new Error("ThrottlingException");
        },
        active: async () => {
          ran.push("active");
          return { completed: 1 };
        },
        payments: async () => {
          ran.push("payments");
          return { settled: 1, reversed: 2 };
        },
      },
      { error: (_message: string, ...details: unknown[]) => logged.push(...details) },
    );
    await expect(outcome).rejects.toBeInstanceOf(SweepsFailedError);
    await expect(outcome).rejects.toMatchObject({
      failed: ["releases"],
      report: { completed: 1, settled: 1, reversed: 2 },
    });
    expect(ran).toEqual(["releases", "active", "payments"]);
    expect(logged).toEqual([{ sweep: "releases", error: new Error("ThrottlingException") }]);
  });

  it("reports every failed sweep, not only the first", async () => {
    const outcome = runSweeps(
      {
        releases: async () => Promise.reject(new Error("a")),
        active: async () => Promise.reject(new Error("b")),
        payments: async () => ({ settled: 0 }),
      },
      silent,
    );
    await expect(outcome).rejects.toMatchObject({ failed: ["releases", "active"], report: { settled: 0 } });
  });
});
