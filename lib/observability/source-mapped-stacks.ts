// Owns stack traces in the sources' lines for the minified bundles, paid for only when a trace is
// formatted. Node's --enable-source-maps reads and parses every bundle's source map when the bundle
// loads, on every cold start (a fifth of a function's module load, measured in BENCHMARKS.md),
// whether or not anything ever fails. Here the map beside a bundle (`<bundle>.map`, which the
// artifact carries) is read the first time a stack through that bundle is formatted, once per
// container, and frames are written as the sources' files, lines and names. That first trace costs
// about 60 ms (batches' 768 KiB map: 5 ms to read and parse, 55 to decode); Node's own mapping
// decodes at the first trace too (about 45 ms measured), so what leaves every cold start is
// the work Node does at load (11 ms of ping's 74, BENCHMARKS.md).
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";

let installed = false;

/** Per generated file: its source map, or null when it has none (node's own files, tests' sources). */
const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map !== undefined) return map;
  map = null;
  if (/\.[cm]?js$/.test(file)) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
    } catch {
      // No map beside it, or one that cannot be read: the frame stays as generated.
    }
  }
  maps.set(file, map);
  return map;
}

/** `../../../../lib/http/x.ts` (relative to the bundle's folder) → `lib/http/x.ts`. */
const sourcePath = (source: string) => source.replace(/^(\.\.\/|\.\/|webpack:\/\/\/?)+/, "");

/** The original name at a generated place in `map`, if the map names one there. */
function nameAt(map: SourceMap, line: number | null, column: number | null): string | undefined {
  if (line === null || column === null) return undefined;
  const entry = map.findEntry(line - 1, column - 1);
  return "name" in entry && typeof entry.name === "string" && entry.name ? entry.name : undefined;
}

/**
 * One frame: V8's own text for it, with the generated place and name replaced by the original's.
 * The name is the enclosing function's in the map, else the one the caller's frame calls it by (as
 * node names frames under --enable-source-maps: minifiers often map a function's name, not its start).
 */
function frameText(site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string {
  const text = site.toString();
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!file || line === null || column === null) return text;
  const map = mapOf(file);
  if (!map) return text;
  const at = map.findEntry(line - 1, column - 1);
  if (!("originalSource" in at) || !at.originalSource) return text;
  const place = `${sourcePath(at.originalSource)}:${at.originalLine + 1}:${at.originalColumn + 1}`;
  const name =
    nameAt(map, site.getEnclosingLineNumber(), site.getEnclosingColumnNumber()) ??
    (caller?.getFileName() === file
      ? nameAt(map, caller.getLineNumber(), caller.getColumnNumber())
      : undefined);
  const generated = `${file}:${line}:${column}`;
  if (!text.includes(generated)) return `${name ?? "<anonymous>"} (${place})`;
  const mapped = text.replace(generated, place);
  const fn = site.getFunctionName();
  if (!name || !fn || fn === name) return mapped;
  // The minified name as a whole word ("Object.Ii [as handler]"), not inside another one.
  const escaped = fn.replace(/[$]/g, "\\$");
  return mapped.replace(new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`), name);
}

function headline(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return "Error";
  }
}

/**
 * Formats stack traces through the bundles' source maps from now on. Does nothing when node already
 * maps them (--enable-source-maps, e.g. a stage deployed with that in nodeOptions) or when called
 * again.
 */
export function installSourceMappedStacks(): void {
  if (process.sourceMapsEnabled || installed) return;
  installed = true;
  Error.prepareStackTrace = (error, sites) =>
    [headline(error), ...sites.map((site, i) => `    at ${frameText(site, sites[i + 1])}`)].join("\n");
}
