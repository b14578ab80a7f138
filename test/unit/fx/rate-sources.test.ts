import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRateSource } from "../../../lib/fx/http-rate-source.js";
import {
  RateUnavailableError,
  TEST_DRIFT_MAX_BASIS_POINTS,
  TEST_DRIFT_PERIOD_MS,
  testDriftBasisPoints,
  testRateSource,
} from "../../../lib/fx/rate-source.js";
import { SUPPORTED_CURRENCIES } from "../../../lib/money/currencies.js";
import { formatRate } from "../../../lib/money/rate.js";

const NOON = Date.UTC(2026, 11, 2, 12, 0, 0);

describe("test-mode rate source", () => {
  it("answers the same rate within a drift period and another one in the next", async () => {
    const rates = testRateSource();
    const first = formatRate(await rates.rate("USD", "EUR", NOON));
    expect(formatRate(await rates.rate("USD", "EUR", NOON + TEST_DRIFT_PERIOD_MS - 1))).toBe(first);
    expect(formatRate(await testRateSource().rate("USD", "EUR", NOON))).toBe(first);
    const later = await Promise.all(
      [1, 2, 3].map(async (n) => formatRate(await rates.rate("USD", "EUR", NOON + n * TEST_DRIFT_PERIOD_MS))),
    );
    expect(later.some((rate) => rate !== first)).toBe(true);
  });

  it("drifts every currency but USD by at most 10 basis points", () => {
    for (let period = 0; period < 50; period++) {
      for (const currency of SUPPORTED_CURRENCIES) {
        const drift = testDriftBasisPoints(currency, NOON + period * TEST_DRIFT_PERIOD_MS);
        expect(Math.abs(drift)).toBeLessThanOrEqual(TEST_DRIFT_MAX_BASIS_POINTS);
        if (currency === "USD") expect(drift).toBe(0);
      }
    }
  });

  it("crosses through USD with 10 significant digits", async () => {
    // In the period starting at 0 ms EUR drifts by testDriftBasisPoints("EUR", 0).
    const drift = testDriftBasisPoints("EUR", 0);
    expect(drift).toBe(3);
    expect(formatRate(await testRateSource().rate("USD", "EUR", 0))).toBe("0.9217764500");
  });
});

describe("live rate source over HTTP", () => {
  let server: Server;
  let url: string;
  const requests: IncomingMessage[] = [];
  let answer: { status: number; body: string } = { status: 200, body: "" };

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request);
      response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rates`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  const source = (cacheSeconds = 30) =>
    httpRateSource({ url, token: "rates-token", cacheSeconds, timeoutMs: 2_000 });

  it("reads JSON numbers from their digits, not through a float, and crosses pairs", async () => {
    // As a float 0.92150000019999999999 is 0.9215000002; its own first 10 digits are 0.9215000001.
    answer = {
      status: 200,
      body: '{"base":"USD","rates":{"EUR":0.92150000019999999999,"JPY":"149.85","GBP":0.7893}}',
    };
    requests.length = 0;
    const rates = source();
    expect(formatRate(await rates.rate("USD", "EUR", NOON))).toBe("0.9215000001");
    expect(formatRate(await rates.rate("EUR", "JPY", NOON))).toBe("162.6153011");
    expect(formatRate(await rates.rate("GBP", "USD", NOON))).toBe("1.266945394");
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.authorization).toBe("Bearer rates-token");
  });

  it("fetches again once the cache has aged", async () => {
    answer = { status: 200, body: '{"base":"USD","rates":{"EUR":"0.9"}}' };
    requests.length = 0;
    const rates = source(30);
    expect(formatRate(await rates.rate("USD", "EUR", NOON))).toBe("0.9000000000");
    answer = { status: 200, body: '{"base":"USD","rates":{"EUR":"0.8"}}' };
    expect(formatRate(await rates.rate("USD", "EUR", NOON + 29_999))).toBe("0.9000000000");
    expect(formatRate(await rates.rate("USD", "EUR", NOON + 30_000))).toBe("0.8000000000");
    expect(requests).toHaveLength(2);
  });

  it("is unavailable when the provider fails, lacks a currency or answers garbage", async () => {
    answer = { status: 503, body: "{}" };
    await expect(source().rate("USD", "EUR", NOON)).rejects.toThrow(RateUnavailableError);
    answer = { status: 200, body: '{"base":"USD","rates":{"EUR":"0.9"}}' };
    await expect(source().rate("USD", "MXN", NOON)).rejects.toThrow(/no rate for MXN/);
    answer = { status: 200, body: "not json" };
    await expect(source().rate("USD", "EUR", NOON)).rejects.toThrow(RateUnavailableError);
    answer = { status: 200, body: '{"base":"USD","rates":{"EUR":"-0.9"}}' };
    await expect(source().rate("USD", "EUR", NOON)).rejects.toThrow(/no rate for EUR/);
  });

  it("is unavailable when nothing listens", async () => {
    const closed = httpRateSource({ url: "http://127.0.0.1:9/rates", cacheSeconds: 30, timeoutMs: 500 });
    await expect(closed.rate("USD", "EUR", NOON)).rejects.toThrow(RateUnavailableError);
  });
});
