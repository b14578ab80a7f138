import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/payrail.js";
import { constructEvent, WebhookSignatureError } from "../../client/webhooks.js";
import { awaitBatch, poll, runScheduler } from "../support/batches.js";
import { allEvents } from "../support/events.js";
import { newMerchant, openBankAccount, openWallet, type TestMerchant } from "../support/fixtures.js";
import { type Receiver, startReceiver } from "../support/webhook-receiver.js";

let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

async function endpoint(merchant: TestMerchant, path: string, events: string[] = ["*"]) {
  const created = await merchant.http.post("/v1/webhook_endpoints", { url: receiver.url(path), events });
  expect(created.status, created.text).toBe(201);
  return created.body as { id: string; secret: string };
}

describe("webhook deliveries to a real receiver", () => {
  it("delivers every event type, signed, with Payrail-Event-Id, as GET /v1/events/{id} answers it", async () => {
    const merchant = await newMerchant("webhooks-all");
    const { secret } = await endpoint(merchant, "/ok/all");
    const source = await openWallet(merchant, "USD", 20_000);
    const dollars = await openWallet(merchant, "USD");
    const euros = await openWallet(merchant, "EUR");
    const bank = await openBankAccount(merchant, "000123450001");
    await merchant.http.post("/v1/payments", { source, destination: dollars, amount: 100, currency: "USD" });
    await merchant.http.post("/v1/payments", {
      source,
      destination: dollars,
      amount: 10 ** 9,
      currency: "USD",
    });
    await merchant.http.post("/v1/payments", { source, destination: bank, amount: 100, currency: "USD" });
    const batch = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [
        { id: "ok", destination: dollars, amount: 100 },
        { id: "bad", destination: euros, amount: 100 },
      ],
    });
    await awaitBatch(merchant, batch.body.id);
    const scheduled = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
      items: [{ id: "later", destination: dollars, amount: 100 }],
    });
    await merchant.http.post(`/v1/batches/${scheduled.body.id}/cancel`);
    // Unfunded batches paid now are refused at POST; a scheduled one fails at release (batch.failed).
    const unfunded = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
      items: [{ id: "big", destination: dollars, amount: 10 ** 9 }],
    });
    expect(unfunded.status).toBe(202);
    await runScheduler(new Date(Date.now() + 7_200_000));
    await awaitBatch(merchant, unfunded.body.id);

    const types = [
      "topup.succeeded",
      "payment.succeeded",
      "payment.failed",
      "payment.processing",
      "batch.created",
      "batch.released",
      "batch.item.failed",
      "batch.completed",
      "batch.canceled",
      "batch.failed",
    ];
    const received = await poll(
      async () => receiver.to("/ok/all"),
      (got) => types.every((type) => got.some((d) => d.event.type === type)),
      150_000,
    ).catch((error: Error) => {
      const seen = new Set(receiver.to("/ok/all").map((d) => d.event.type));
      throw new Error(
        `missing ${types.filter((type) => !seen.has(type)).join(", ")}: ${error.message.slice(0, 200)}`,
      );
    });
    for (const delivery of received) {
      const header = String(delivery.headers["payrail-signature"]);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const event = constructEvent(delivery.rawBody, header, secret);
      expect(delivery.headers["payrail-event-id"]).toBe(event.id);
      expect(delivery.headers["content-type"]).toBe("application/json; charset=utf-8");
    }
    const one = received.find((d) => d.event.type === "batch.item.failed") as (typeof received)[number];
    const read = await merchant.http.get(`/v1/events/${one.event.id}`);
    expect(JSON.parse(one.rawBody)).toEqual(read.body);
    // Each event was delivered (at least) once, and nothing arrived that the log does not hold.
    const listed = await poll(
      () => allEvents(merchant),
      (events) => new Set(received.map((d) => d.event.id)).size <= events.length,
    );
    const listedIds = new Set(listed.map((event) => event.id));
    for (const delivery of received) expect(listedIds.has(delivery.event.id)).toBe(true);
  });

  it("refuses a forged, tampered or replayed delivery in constructEvent", async () => {
    const merchant = await newMerchant("webhooks-forged");
    const { secret } = await endpoint(merchant, "/ok/forged", ["topup.succeeded"]);
    await openWallet(merchant, "USD", 500);
    const [delivery] = await poll(
      async () => receiver.to("/ok/forged"),
      (got) => got.length > 0,
    );
    const { rawBody, headers } = delivery as NonNullable<typeof delivery>;
    const header = String(headers["payrail-signature"]);
    const t = Number(/t=(\d+)/.exec(header)?.[1]);
    expect(constructEvent(rawBody, header, secret, 300, t + 300).type).toBe("topup.succeeded");
    expect(() => constructEvent(rawBody, header, "whsec_not-the-secret")).toThrow(WebhookSignatureError);
    expect(() => constructEvent(rawBody.replace('"amount":500', '"amount":900'), header, secret)).toThrow(
      WebhookSignatureError,
    );
    expect(() => constructEvent(rawBody, header, secret, 300, t + 301)).toThrow(/tolerance/);
    expect(() => constructEvent(rawBody, header.replace(/t=\d+/, `t=${t + 1}`), secret)).toThrow(
      WebhookSignatureError,
    );
    expect(() => constructEvent(rawBody, undefined, secret)).toThrow(WebhookSignatureError);
  });

  it("retries a receiver that answers 500 three times, delivering on the 4th attempt, and logs every attempt", async () => {
    const merchant = await newMerchant("webhooks-flaky");
    const hook = await endpoint(merchant, "/flaky/one", ["topup.succeeded"]);
    await openWallet(merchant, "USD", 700);
    const got = await poll(
      async () => receiver.to("/flaky/one"),
      (deliveries) => deliveries.some((d) => d.answered === 200),
    );
    expect(got.map((d) => d.answered)).toEqual([500, 500, 500, 200]);
    expect(new Set(got.map((d) => d.event.id)).size).toBe(1);
    // Backoff doubles (1 s, 2 s, 4 s in tests; 1 min, 2 min, 4 min… by default).
    const gaps = got.slice(1).map((d, i) => d.receivedAtMs - (got[i] as (typeof got)[number]).receivedAtMs);
    expect(gaps[1] as number).toBeGreaterThan((gaps[0] as number) * 1.2);
    const log = await poll(
      () => merchant.http.get(`/v1/webhook_endpoints/${hook.id}/deliveries`),
      (answer) => answer.body.data.length === 4,
    );
    expect(log.body.data.map((a: { attempt: number }) => a.attempt)).toEqual([4, 3, 2, 1]);
    expect(log.body.data.map((a: { status_code: number }) => a.status_code)).toEqual([200, 500, 500, 500]);
    expect(log.body.data.map((a: { status: string }) => a.status)).toEqual([
      "succeeded",
      "failed",
      "failed",
      "failed",
    ]);
    expect(log.body.data[0]).toMatchObject({
      object: "webhook_delivery",
      endpoint: hook.id,
      event: got[0]?.event.id,
      event_type: "topup.succeeded",
      error: null,
      next_retry_at: null,
    });
    for (const failed of log.body.data.slice(1)) {
      expect(failed.next_retry_at).toBeGreaterThanOrEqual(failed.created_at + 1);
      expect(failed.duration_ms).toBeGreaterThanOrEqual(0);
    }
    const endpointNow = await merchant.http.get(`/v1/webhook_endpoints/${hook.id}`);
    expect(endpointNow.body).toMatchObject({ status: "enabled", disabled_reason: null });
  });

  it("retries a receiver that never answers, logs the timeouts, then disables the endpoint with an event", async () => {
    const merchant = await newMerchant("webhooks-hang");
    const hook = await endpoint(merchant, "/hang/one", ["topup.succeeded"]);
    await openWallet(merchant, "USD", 300);
    const disabled = await poll(
      () => merchant.http.get(`/v1/webhook_endpoints/${hook.id}`),
      (answer) => answer.body.status === "disabled",
      150_000,
    );
    expect(disabled.body).toMatchObject({ status: "disabled", disabled_reason: "failing" });
    // Every POST the receiver saw is in the log (an attempt already on its way when the endpoint
    // was disabled is logged when its timeout ends).
    const log = await poll(
      () => merchant.http.get(`/v1/webhook_endpoints/${hook.id}/deliveries?limit=100`),
      (answer) => answer.body.data.length === receiver.to("/hang/one").length,
    );
    expect(log.body.data.length).toBeGreaterThanOrEqual(3);
    for (const attempt of log.body.data) {
      expect(attempt).toMatchObject({
        status: "failed",
        status_code: null,
        error: "timed out after 1500 ms",
      });
    }
    const events = await poll(
      () => allEvents(merchant, { type: "webhook_endpoint.disabled" }),
      (found) => found.length === 1,
    );
    expect(events[0]?.data.object).toMatchObject({
      id: hook.id,
      status: "disabled",
      disabled_reason: "failing",
    });
    expect(events[0]?.data.object).not.toHaveProperty("secret");
  }, 240_000);

  it("redelivers an event on request and signs with both secrets during a rotation", async () => {
    const merchant = await newMerchant("webhooks-redeliver");
    const hook = await endpoint(merchant, "/ok/redeliver", ["topup.succeeded"]);
    await openWallet(merchant, "USD", 400);
    const [first] = await poll(
      async () => receiver.to("/ok/redeliver"),
      (got) => got.length === 1,
    );
    const eventId = first?.event.id as string;
    const rotated = await merchant.http.post(`/v1/webhook_endpoints/${hook.id}/rotate_secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    const again = await merchant.http.post(`/v1/events/${eventId}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({
      object: "redelivery",
      livemode: false,
      event: eventId,
      endpoints: [hook.id],
    });
    const got = await poll(
      async () => receiver.to("/ok/redeliver"),
      (deliveries) => deliveries.length === 2,
    );
    const second = got[1] as (typeof got)[number];
    expect(second.event.id).toBe(eventId);
    const header = String(second.headers["payrail-signature"]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(constructEvent(second.rawBody, header, rotated.body.secret).id).toBe(eventId);
    expect(constructEvent(second.rawBody, header, hook.secret).id).toBe(eventId);
    expect((await merchant.http.post("/v1/events/evt_01JF0000000000000000000000/redeliver")).status).toBe(
      404,
    );
  });
});

describe("payrail listen", () => {
  it("forwards new events, signed with the session secret, to a local server, one line each", async () => {
    const merchant = await newMerchant("webhooks-listen");
    await openWallet(merchant, "USD", 100); // before listen: not forwarded
    const lines: string[] = [];
    const secret = "whsec_listen_session";
    const listening = main(
      [
        "listen",
        "--forward-to",
        receiver.url("/ok/listen"),
        "--events",
        "topup.succeeded",
        "--secret",
        secret,
        "--max-events",
        "1",
      ],
      {
        env: { PAYRAIL_URL: merchant.http.baseUrl, PAYRAIL_API_KEY: merchant.apiKey },
        stdout: { write: (text: string) => lines.push(text) } as never,
        stderr: { write: (text: string) => lines.push(text) } as never,
        pollIntervalMs: 250,
      },
    );
    await poll(
      async () => lines.join(""),
      (text) => text.includes("Ready."),
    );
    const wallet = await openWallet(merchant, "USD", 250);
    expect(await listening).toBe(0);
    const [forwarded] = receiver.to("/ok/listen");
    const event = constructEvent(
      (forwarded as NonNullable<typeof forwarded>).rawBody,
      String(forwarded?.headers["payrail-signature"]),
      secret,
    );
    expect(event).toMatchObject({
      type: "topup.succeeded",
      data: { object: { account: wallet, amount: 250 } },
    });
    expect(lines.join("")).toContain(`topup.succeeded            ${event.id}  -> 200`);
  }, 120_000);
});

describe("webhook endpoints API", () => {
  it("creates with the secret shown once, reads, lists, disables, enables and deletes, merchant-scoped", async () => {
    const merchant = await newMerchant("webhooks-crud");
    const other = await newMerchant("webhooks-crud-other");
    const created = await merchant.http.post("/v1/webhook_endpoints", {
      url: receiver.url("/ok/crud"),
      events: ["payment.*", "batch.completed"],
      description: "ERP",
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^we_[0-9A-Z]{26}$/),
      object: "webhook_endpoint",
      url: receiver.url("/ok/crud"),
      events: ["payment.*", "batch.completed"],
      description: "ERP",
      status: "enabled",
      disabled_reason: null,
      livemode: false,
      created_at: expect.any(Number),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{32}$/),
    });
    const { secret, ...shown } = created.body;
    const id = created.body.id as string;
    expect((await merchant.http.get(`/v1/webhook_endpoints/${id}`)).body).toEqual(shown);
    expect((await merchant.http.get("/v1/webhook_endpoints")).body).toEqual({
      object: "list",
      url: "/v1/webhook_endpoints",
      data: [shown],
      has_more: false,
    });
    expect((await other.http.get(`/v1/webhook_endpoints/${id}`)).status).toBe(404);
    expect((await other.http.post(`/v1/webhook_endpoints/${id}/disable`)).status).toBe(404);
    expect((await other.http.call("DELETE", `/v1/webhook_endpoints/${id}`)).status).toBe(404);
    expect((await merchant.http.post(`/v1/webhook_endpoints/${id}/disable`)).body).toEqual({
      ...shown,
      status: "disabled",
      disabled_reason: "merchant",
    });
    expect((await merchant.http.post(`/v1/webhook_endpoints/${id}/enable`)).body).toEqual(shown);
    const deleted = await merchant.http.call("DELETE", `/v1/webhook_endpoints/${id}`);
    expect(deleted.body).toEqual({ id, object: "webhook_endpoint", deleted: true });
    expect((await merchant.http.get(`/v1/webhook_endpoints/${id}`)).status).toBe(404);
    expect(secret).toBeTruthy();
  });

  it("refuses bad input with 400 naming the field and stores nothing", async () => {
    const merchant = await newMerchant("webhooks-bad");
    const cases: [unknown, string][] = [
      [{ url: "ftp://example.com/hook", events: ["*"] }, "url"],
      [{ url: "not a url", events: ["*"] }, "url"],
      [{ url: "https://example.com/hook", events: ["payment.done"] }, "events[0]"],
      [{ url: "https://example.com/hook", events: [] }, "events"],
      [{ events: ["*"] }, "url"],
      [{ url: "https://example.com/hook", events: ["*"], secret: "mine" }, "secret"],
    ];
    for (const [body, param] of cases) {
      const answer = await merchant.http.post("/v1/webhook_endpoints", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.param, JSON.stringify(body)).toBe(param);
    }
    expect((await merchant.http.get("/v1/webhook_endpoints")).body.data).toEqual([]);
    expect((await merchant.http.get("/v1/webhook_endpoints/we_123/deliveries")).status).toBe(404);
  });
});
