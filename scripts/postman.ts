// `npm run postman`: writes postman/payrail.postman_collection.json from openapi.json (see
// scripts/postman/collection.ts). Run `npm run openapi` first when the API changed.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./local/project.js";
import { buildCollection, type OpenApiDocument } from "./postman/collection.js";

export const COLLECTION_PATH = join(PROJECT_ROOT, "postman", "payrail.postman_collection.json");

const doc = JSON.parse(readFileSync(join(PROJECT_ROOT, "openapi.json"), "utf8")) as OpenApiDocument;
mkdirSync(join(PROJECT_ROOT, "postman"), { recursive: true });
writeFileSync(COLLECTION_PATH, `${JSON.stringify(buildCollection(doc), null, 2)}\n`);
process.stdout.write(`payrail: wrote ${COLLECTION_PATH}\n`);
