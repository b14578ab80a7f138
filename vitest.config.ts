// Two projects: `unit` (test/unit, no network, runs in parallel) and `integration` (test/integration,
// through HTTP against one local stack started by test/support/global-setup.ts). Integration files
// run one at a time: they share the stack, and the machine has 2 cores.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    teardownTimeout: 60_000, // stopping the integration stack (offline, JVM) is not instant
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          fileParallelism: false,
          hookTimeout: 360_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
