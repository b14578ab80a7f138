#!/usr/bin/env node
// Entry of `npx payrail` inside the repository: loads the TypeScript CLI through tsx, in this
// process. The published @payrail/cli package runs its bundled dist/payrail.js instead.
import { register } from "tsx/esm/api";

register();
await import("./run.ts");
