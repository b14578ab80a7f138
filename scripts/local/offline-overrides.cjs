// Owns the places where serverless-offline 14 differs from API Gateway + Lambda in ways payrail
// depends on. A Serverless plugin (listed in serverless.yml after serverless-offline); it does
// nothing outside `serverless offline`, so deploys are unaffected.
//
// 1. Request ids. For payload 2.0 events serverless-offline 14 sets requestContext.requestId to the
//    constant "offlineContext_resourceId"; API Gateway gives every request its own id, and payrail
//    puts it in every error body and log line. Each event gets a fresh one here.
// 2. Oversized bodies. serverless-offline accepts request bodies up to 10 MB (hapi maxBytes, like
//    API Gateway's 10 MB limit), and payrail's own body middleware answers 413 `body_too_large` for
//    anything over Lambda's 6 MB. Above 10 MB hapi answers its own 413 page before any handler runs;
//    this rewrites that into payrail's error shape so clients see one contract. The same goes for
//    hapi's own 400 for a URL it cannot decode (a path id or query with invalid percent-encoding,
//    such as `%80`): it answers in payrail's shape as an invalid parameter, never as hapi's page.
// 3. Schedules. serverless-offline runs `schedule` events itself on a wall-clock cron. The local
//    stack drives them instead (scripts/local/scheduler-tick.ts, which tests can call with their own
//    clock), so when PAYRAIL_LOCAL_SCHEDULER=external the schedule events are dropped from this
//    process's in-memory copy of the service before serverless-offline reads them.
// 4. Test runs: with PAYRAIL_ESBUILD_WATCH=0, serverless-esbuild's file watcher is off, so source
//    edits made while a suite runs do not swap the bundles under test, and once the bundles are
//    built esbuild's service process is stopped: nothing will be built again, and it kept 0.5–0.9
//    GiB resident for the life of the stack. `npm start` keeps watching, for live reload.
"use strict";

const { randomUUID } = require("node:crypto");
const { dirname, join } = require("node:path");
const { pathToFileURL } = require("node:url");

class PayrailOfflineOverrides {
  constructor(serverless) {
    this.serverless = serverless;
    // Before any hook: serverless-esbuild reads custom.esbuild in its `initialize` hook.
    if (process.env.PAYRAIL_ESBUILD_WATCH === "0") {
      serverless.service.custom = serverless.service.custom ?? {};
      const custom = serverless.service.custom;
      custom.esbuild = { ...custom.esbuild, watch: { ...custom.esbuild?.watch, pattern: [] } };
    }
    this.hooks = {
      "before:offline:start:init": async () => {
        this.dropSchedules();
        await this.uniqueRequestIds();
      },
      "after:offline:start:init": async () => {
        this.shapeOversizedBodyErrors();
        await this.stopBundlerIfDone();
      },
    };
  }

  dropSchedules() {
    if (process.env.PAYRAIL_LOCAL_SCHEDULER !== "external") return;
    const service = this.serverless.service;
    for (const key of service.getAllFunctions()) {
      const fn = service.getFunction(key);
      fn.events = (fn.events ?? []).filter((event) => !event.schedule);
    }
  }

  async uniqueRequestIds() {
    // The same module instance serverless-offline imports (ESM caches by URL), so patching its
    // prototype changes the events it builds.
    const entry = require.resolve("serverless-offline", {
      paths: [this.serverless.serviceDir ?? process.cwd()],
    });
    const file = join(dirname(entry), "events/http/lambda-events/LambdaProxyIntegrationEventV2.js");
    const { default: EventV2 } = await import(pathToFileURL(file).href);
    const create = EventV2.prototype.create;
    EventV2.prototype.create = function createWithRequestId(...args) {
      const event = create.apply(this, args);
      // API Gateway's ids look like "JKJaXmPLvHcESHA=": 10 random bytes, base64. Taken from
      // randomUUID, which draws on a cached entropy pool (randomBytes called into OpenSSL per request).
      if (event?.requestContext) {
        const hex = randomUUID().replaceAll("-", "").slice(0, 20);
        event.requestContext.requestId = Buffer.from(hex, "hex").toString("base64");
      }
      return event;
    };
  }

  async stopBundlerIfDone() {
    if (process.env.PAYRAIL_ESBUILD_WATCH !== "0") return;
    // The esbuild module serverless-esbuild bundled with (resolved from the service, as it does).
    const esbuild = require(
      require.resolve("esbuild", { paths: [this.serverless.serviceDir ?? process.cwd()] }),
    );
    await esbuild.stop();
  }

  shapeOversizedBodyErrors() {
    const offline = this.serverless.pluginManager.plugins.find(
      (plugin) => plugin.constructor && plugin.constructor.name === "ServerlessOffline",
    );
    // internals() is serverless-offline's own (test) accessor for its hapi server.
    const server = offline?.internals?.().getApiGatewayServer?.();
    if (!server) return;
    const shaped = {
      413: {
        code: "body_too_large",
        message: "The request body exceeds the 6 MB synchronous payload limit.",
      },
      400: {
        code: "parameter_invalid",
        message: "The request URL could not be decoded (invalid percent-encoding).",
        param: "path",
      },
    };
    server.ext("onPreResponse", (request, h) => {
      const response = request.response;
      const status = response?.isBoom ? response.output.statusCode : 0;
      const shape = shaped[status];
      if (!shape) return h.continue;
      const body = {
        error: {
          type: "invalid_request_error",
          ...shape,
          request_id: `req_${randomUUID().replaceAll("-", "")}`,
        },
      };
      return h.response(JSON.stringify(body)).code(status).type("application/json");
    });
  }
}

module.exports = PayrailOfflineOverrides;
