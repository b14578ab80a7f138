// Writes openapi.json at the repository root from lib/openapi, and the client's types generated
// from it (npm run openapi). CI checks both committed files equal fresh ones
// (test/unit/openapi.test.ts, test/unit/client/types.test.ts).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serializeOpenApiDocument } from "../lib/openapi/index.js";
import { CLIENT_TYPES_PATH, clientTypesSource } from "./client-types.js";

const root = new URL("../", import.meta.url);
const document = serializeOpenApiDocument();
for (const [path, text] of [
  ["openapi.json", document],
  [CLIENT_TYPES_PATH, await clientTypesSource(document)],
] as const) {
  const target = fileURLToPath(new URL(path, root));
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
// The Postman collection is generated from the same document (test/integration/postman.test.ts).
await import("./postman.js");
