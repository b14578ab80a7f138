import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assetPathOf, DASHBOARD_CSP, dashboardAssets } from "../../../lib/dashboard/static-assets.js";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "payrail-dashboard-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>payrail</title>");
  writeFileSync(join(dir, "assets", "index-abc.js"), "console.log(1)");
  writeFileSync(join(dir, "secret.env"), "KEY=1");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dashboard assets", () => {
  it("maps the page and its built files, and nothing outside them", () => {
    expect(assetPathOf("/dashboard")).toBe("index.html");
    expect(assetPathOf("/dashboard/")).toBe("index.html");
    expect(assetPathOf("/dashboard/assets/index-abc.js")).toBe("assets/index-abc.js");
    expect(assetPathOf("/dashboard/favicon.svg")).toBe("favicon.svg");
    for (const path of [
      "/dashboard/../serverless.yml",
      "/dashboard/assets/../../x.js",
      "/dashboard/%2e%2e/x.js",
      "/dashboard/.env",
      "/dashboard/secret.env",
      "/dashboard//etc/passwd.js",
      "/dashboardx/index.html",
      "/v1/accounts",
    ]) {
      expect(assetPathOf(path), path).toBeUndefined();
    }
  });

  it("answers the page with a strict CSP and no caching, and hashed assets as immutable", () => {
    const serve = dashboardAssets(dir);
    const page = serve("/dashboard/");
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe("<!doctype html><title>payrail</title>");
    expect(page.headers).toMatchObject({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-security-policy":
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    });
    expect(page.headers["content-security-policy"]).toBe(DASHBOARD_CSP);
    const script = serve("/dashboard/assets/index-abc.js");
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("answers 404 for unknown files and files of other kinds, 503 when the dashboard is not built", () => {
    const serve = dashboardAssets(dir);
    expect(serve("/dashboard/assets/missing.js").statusCode).toBe(404);
    expect(serve("/dashboard/secret.env")).toMatchObject({ statusCode: 404, body: "Not found\n" });
    const unbuilt = dashboardAssets(join(dir, "nowhere"))("/dashboard/");
    expect(unbuilt.statusCode).toBe(503);
    expect(unbuilt.body).toBe("The dashboard is not built: run `npm run dashboard:build`.\n");
    expect(unbuilt.headers["content-security-policy"]).toBe(DASHBOARD_CSP);
  });
});
