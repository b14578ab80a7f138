// Builds the @payrail/cli package: one ESM file, dist/payrail.js, with the CLI and the pure parts of
// lib/ it uses (money, ids, batch limits) bundled in. The typed client and the file parsers stay
// real dependencies (@payrail/client, csv-parse, fast-xml-parser, cli-progress), installed by npm.
// Runs on `npm run build` and before `npm pack`.
import { rmSync } from "node:fs";
import { build } from "esbuild";

/** The repository imports the client's sources; the package imports the published client. */
const publishedClient = {
  name: "published-client",
  setup(b) {
    b.onResolve({ filter: /\/client\/index\.js$/ }, () => ({ path: "@payrail/client", external: true }));
  },
};

rmSync(new URL("dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: [new URL("run.ts", import.meta.url).pathname],
  outfile: new URL("dist/payrail.js", import.meta.url).pathname,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  plugins: [publishedClient],
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
