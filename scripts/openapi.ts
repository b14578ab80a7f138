// Writes openapi.json at the repository root from lib/openapi (npm run openapi). CI checks the
// committed file equals a fresh one (test/unit/openapi.test.ts).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serializeOpenApiDocument } from "../lib/openapi/index.js";

const target = fileURLToPath(new URL("../openapi.json", import.meta.url));
writeFileSync(target, serializeOpenApiDocument());
console.log(`wrote ${target}`);
