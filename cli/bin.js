#!/usr/bin/env node
// Entry of `npx payrail`: loads the TypeScript CLI through tsx, in this process.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./payrail.ts");
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
