// Owns the two places where serverless-offline 14 differs from API Gateway + Lambda in ways payrail
// depends on. A Serverless plugin (listed in serverless.yml after serverless-offline); it does
// nothing outside `serverless offline`, so deploys are unaffected.
//
// 1. Oversized bodies. serverless-offline accepts request bodies up to 10 MB (hapi maxBytes, like
//    API Gateway's 10 MB limit), and payrail's own body middleware answers 413 `body_too_large` for
//    anything over Lambda's 6 MB. Above 10 MB hapi answers its own 413 page before any handler runs;
//    this rewrites that into payrail's error shape so clients see one contract.
// 2. Schedules. serverless-offline runs `schedule` events itself on a wall-clock cron. The local
//    stack drives them instead (scripts/local/scheduler-tick.ts, which tests can call with their own
//    clock), so when PAYRAIL_LOCAL_SCHEDULER=external the schedule events are dropped from this
//    process's in-memory copy of the service before serverless-offline reads them.
"use strict";

const { randomUUID } = require("node:crypto");

class PayrailOfflineOverrides {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      "before:offline:start:init": () => this.dropSchedules(),
      "after:offline:start:init": () => this.shapeOversizedBodyErrors(),
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

  shapeOversizedBodyErrors() {
    const offline = this.serverless.pluginManager.plugins.find(
      (plugin) => plugin.constructor && plugin.constructor.name === "ServerlessOffline",
    );
    // internals() is serverless-offline's own (test) accessor for its hapi server.
    const server = offline?.internals?.().getApiGatewayServer?.();
    if (!server) return;
    server.ext("onPreResponse", (request, h) => {
      const response = request.response;
      if (!response || !response.isBoom || response.output.statusCode !== 413) return h.continue;
      const body = {
        error: {
          type: "invalid_request_error",
          code: "body_too_large",
          message: "The request body exceeds the 6 MB synchronous payload limit.",
          request_id: `req_${randomUUID().replaceAll("-", "")}`,
        },
      };
      return h.response(JSON.stringify(body)).code(413).type("application/json");
    });
  }
}

module.exports = PayrailOfflineOverrides;
