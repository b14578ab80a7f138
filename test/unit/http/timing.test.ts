import { describe, expect, it } from "vitest";
import { PhaseTimer } from "../../../lib/http/timing.js";

describe("Server-Timing phases", () => {
  it("reports request, channel and response phases that add up to the whole call", async () => {
    const timer = new PhaseTimer();
    await timer.channel(async () => undefined);
    const header = timer.header();
    expect(header).toMatch(/^request;dur=\d+\.\d{2}, channel;dur=\d+\.\d{2}, response;dur=\d+\.\d{2}$/);
    const end = performance.now();
    const phases = timer.phases(end);
    expect(phases.request).toBeGreaterThanOrEqual(0);
    expect(phases.channel).toBeGreaterThanOrEqual(0);
    expect(phases.response).toBeGreaterThanOrEqual(0);
  });

  it("reports an empty channel phase for a call refused before its work", () => {
    const timer = new PhaseTimer();
    expect(timer.phases().channel).toBe(0);
  });
});
