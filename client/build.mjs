// Builds the package with the TypeScript compiler: dist/esm (import) and dist/cjs (require), each
// with its declarations, so Node ESM, CommonJS and TypeScript users all get code and types. Runs on
// `npm run build` and before `npm pack`; the repository's own code imports the .ts sources.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(new URL("dist", import.meta.url), { recursive: true, force: true });
for (const config of ["tsconfig.esm.json", "tsconfig.cjs.json"]) {
  execFileSync(process.execPath, [tsc, "-p", config], { cwd: here, stdio: "inherit" });
}
// The package is "type": "module"; this marker makes Node and TypeScript read dist/cjs as CommonJS.
mkdirSync(new URL("dist/cjs", import.meta.url), { recursive: true });
writeFileSync(new URL("dist/cjs/package.json", import.meta.url), '{ "type": "commonjs" }\n');
