// Loaded into serverless-offline by the benchmark (NODE_OPTIONS=--require, see run.ts): appends one
// line per garbage-collection pause of that process to $PAYRAIL_GC_LOG, "<epoch ms> <pause ms>
// <kind>", so the report can say how long the handlers' process stood still during each run. Every
// invocation in flight waits out a pause, which is how one process serving 16 concurrent requests
// differs from 16 Lambda containers.
const { appendFileSync } = require("node:fs");
const { PerformanceObserver, performance } = require("node:perf_hooks");

const file = process.env.PAYRAIL_GC_LOG;
if (file) {
  new PerformanceObserver((list) => {
    const lines = list
      .getEntries()
      .map(
        (entry) =>
          `${(performance.timeOrigin + entry.startTime).toFixed(1)} ${entry.duration.toFixed(3)} ${entry.detail?.kind ?? 0}\n`,
      );
    try {
      appendFileSync(file, lines.join(""));
    } catch {
      // A diagnostic must never take the handlers' process down.
    }
  }).observe({ entryTypes: ["gc"] });
}
