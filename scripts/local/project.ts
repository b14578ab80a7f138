// Owns where the project lives on disk, for scripts that run from any working directory.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SERVERLESS_YML = join(PROJECT_ROOT, "serverless.yml");
/** Scratch space of the local stack (logs, persistent data for `npm start`); gitignored. */
export const LOCAL_DIR = join(PROJECT_ROOT, ".local");
