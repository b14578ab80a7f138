// Owns the three phases of an API call reported in Server-Timing and logs:
// request (parse, auth, validation), channel (the work in lib/), response (shaping the answer).
import { performance } from "node:perf_hooks";

export class PhaseTimer {
  private readonly start = performance.now();
  private channelStart: number | undefined;
  private channelEnd: number | undefined;

  /** Runs the call's main work and records it as the channel phase. */
  async channel<T>(work: () => Promise<T>): Promise<T> {
    this.channelStart = performance.now();
    try {
      return await work();
    } finally {
      this.channelEnd = performance.now();
    }
  }

  /** Milliseconds per phase; a call that never reached its work has an empty channel phase. */
  phases(now = performance.now()): { request: number; channel: number; response: number } {
    const channelStart = this.channelStart ?? now;
    const channelEnd = this.channelEnd ?? channelStart;
    return {
      request: channelStart - this.start,
      channel: channelEnd - channelStart,
      response: now - channelEnd,
    };
  }

  header(): string {
    const p = this.phases();
    return `request;dur=${p.request.toFixed(2)}, channel;dur=${p.channel.toFixed(2)}, response;dur=${p.response.toFixed(2)}`;
  }
}
