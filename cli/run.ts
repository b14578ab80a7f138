// The `payrail` command's entry: runs the CLI with this process's arguments, environment and
// streams. The package build (cli/build.mjs) bundles it into dist/payrail.js; in the repository,
// cli/bin.js runs it through tsx.
import { main } from "./payrail.js";

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
