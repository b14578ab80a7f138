import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../lib/aws/config.js";

const SECRET = "s".repeat(32);

describe("live rail configuration", () => {
  it("runs no live mode unless a live rail is configured", () => {
    expect(loadConfig({}).liveRail).toBe("none");
    expect(loadConfig({}).rail).toBeUndefined();
  });

  it("refuses to start live mode on the sandbox rail, in one line", () => {
    expect(() => loadConfig({ PAYRAIL_LIVE_RAIL: "sandbox" })).toThrow(ConfigError);
    expect(() => loadConfig({ PAYRAIL_LIVE_RAIL: "sandbox" })).toThrow(
      /^payrail: PAYRAIL_LIVE_RAIL=sandbox refused/,
    );
  });

  it("needs an endpoint and a signing secret of at least 32 characters for the HTTP rail", () => {
    expect(() => loadConfig({ PAYRAIL_LIVE_RAIL: "http", PAYRAIL_RAIL_SIGNING_SECRET: SECRET })).toThrow(
      /needs PAYRAIL_RAIL_URL/,
    );
    expect(() =>
      loadConfig({
        PAYRAIL_LIVE_RAIL: "http",
        PAYRAIL_RAIL_URL: "https://rail",
        PAYRAIL_RAIL_SIGNING_SECRET: "short",
      }),
    ).toThrow(/at least 32 characters/);
    expect(
      loadConfig({
        PAYRAIL_LIVE_RAIL: "http",
        PAYRAIL_RAIL_URL: "https://rail.example.com/",
        PAYRAIL_RAIL_SIGNING_SECRET: SECRET,
      }),
    ).toMatchObject({
      liveRail: "http",
      rail: { url: "https://rail.example.com", signingSecret: SECRET, timeoutMs: 3_000 },
    });
  });

  it("refuses an unknown rail name", () => {
    expect(() => loadConfig({ PAYRAIL_LIVE_RAIL: "carrier-pigeon" })).toThrow(/must be none or http/);
  });
});
