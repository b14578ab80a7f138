// Owns where `npm start` and `npm run reset` keep their files: .local/ by default, or
// PAYRAIL_LOCAL_DIR (tests start a stack the way npm start does without touching a developer's).
import { join } from "node:path";
import { LOCAL_DIR } from "./project.js";
import { STACK_FILE } from "./stack-file.js";

export function startPaths(env: NodeJS.ProcessEnv = process.env) {
  const home = env.PAYRAIL_LOCAL_DIR ?? LOCAL_DIR;
  return {
    home,
    /** DynamoDB Local's and the SQS emulator's files, and the demo merchant (demo.json). */
    dataDir: env.PAYRAIL_DATA_DIR ?? join(home, "data"),
    /** `source .local/demo.env` */
    demoEnv: join(home, "demo.env"),
    /** Everything the stack printed, when not --verbose. */
    logFile: join(home, "logs", "start.log"),
    stackFile: env.PAYRAIL_LOCAL_DIR ? join(home, "stack.json") : STACK_FILE,
  };
}
