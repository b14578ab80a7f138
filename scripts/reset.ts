// `npm run reset`: forget the local stack's data (DynamoDB Local and SQS files, the demo merchant)
// and .local/demo.env, so the next `npm start` begins empty with a new demo merchant. Refuses while
// `npm start` is running on that data (stop it first), with one line.
import { rmSync } from "node:fs";
import { readStackFile } from "./local/stack-file.js";
import { startPaths } from "./local/start-paths.js";

const paths = startPaths();
const running = readStackFile(paths.stackFile);
if (running) {
  process.stderr.write(
    `payrail: npm start is running (pid ${running.pid}, ${running.httpUrl}); stop it with Ctrl-C, then run npm run reset\n`,
  );
  process.exit(1);
}
rmSync(paths.dataDir, { recursive: true, force: true });
rmSync(paths.demoEnv, { force: true });
process.stdout.write(
  `payrail: removed ${paths.dataDir} and ${paths.demoEnv}; the next npm start begins fresh\n`,
);
