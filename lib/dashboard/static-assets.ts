// Owns serving the dashboard's built files (dashboard/dist): which file a URL path names, its
// content type and cache policy, and the security headers every answer carries. The Content-Security-
// Policy allows scripts, styles, images and API calls from this origin only: no inline script, no
// eval, no third party, no framing.
import { readFileSync } from "node:fs";
import { extname, join } from "node:path";

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": DASHBOARD_CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

/** Only text assets are served (the build has no others), so every body is a UTF-8 string. */
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

export interface AssetAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** `/dashboard`, `/dashboard/` → index.html; `/dashboard/assets/x.js` → assets/x.js; else undefined. */
export function assetPathOf(urlPath: string): string | undefined {
  if (urlPath === "/dashboard" || urlPath === "/dashboard/") return "index.html";
  const relative = urlPath.startsWith("/dashboard/") ? urlPath.slice("/dashboard/".length) : undefined;
  // Plain names only: no "..", no hidden files, no encoded separators.
  if (!relative || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(relative))
    return undefined;
  if (relative.split("/").some((segment) => segment === ".." || segment === ".")) return undefined;
  return CONTENT_TYPES[extname(relative)] ? relative : undefined;
}

function text(statusCode: number, body: string): AssetAnswer {
  return {
    statusCode,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    },
    body,
  };
}

/** Serves files from `dir`, each read once per container. */
export function dashboardAssets(dir: string): (urlPath: string) => AssetAnswer {
  const cache = new Map<string, string | null>();
  const read = (path: string): string | null => {
    if (!cache.has(path)) {
      try {
        cache.set(path, readFileSync(join(dir, path), "utf8"));
      } catch {
        cache.set(path, null);
      }
    }
    return cache.get(path) ?? null;
  };
  return (urlPath) => {
    const path = assetPathOf(urlPath);
    if (!path) return text(404, "Not found\n");
    const body = read(path);
    if (body === null) {
      return path === "index.html"
        ? text(503, "The dashboard is not built: run `npm run dashboard:build`.\n")
        : text(404, "Not found\n");
    }
    return {
      statusCode: 200,
      headers: {
        ...SECURITY_HEADERS,
        "content-type": CONTENT_TYPES[extname(path)]!,
        // Built assets are named by their content hash; the page itself must always be fresh.
        "cache-control": path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      },
      body,
    };
  };
}
