import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ledgerOwner } from "../../lib/domain/modes.js";
import { newTopup } from "../../lib/domain/topups.js";
import { recordInboundCredit } from "../../lib/ledger/topups.js";
import { PROJECT_ROOT } from "../../scripts/local/project.js";
import { ledgerStore, newMerchant, openWallet, type TestMerchant } from "../support/fixtures.js";
import { HttpCaller } from "../support/http.js";
import { stackContext } from "../support/stack-context.js";

// Test mode and live mode (Stripe's convention): a key per mode, objects invisible across modes,
// `livemode` on every resource, top-ups only in test mode, live money only from inbound credits.

/** Each admin command is a fresh `tsx` process: seconds on a quiet machine, far more on a busy one. */
const ADMIN_TEST_TIMEOUT_MS = 600_000;

/** Funds a live wallet the way the operator command does (lib call, no process). */
async function creditLive(merchant: TestMerchant, wallet: string, amount: number, reference: string) {
  const topup = newTopup(
    ledgerOwner(merchant.merchantId, "live"),
    { account: wallet, amount, currency: "USD" },
    Date.now(),
  );
  return recordInboundCredit(ledgerStore(), topup, reference);
}

/** Runs `npm run admin -- …` (scripts/admin.ts) against the test stack's table. */
async function admin(...args: string[]): Promise<any> {
  const stack = stackContext();
  const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/admin.ts", ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      ...stack.env,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
      AWS_REGION: stack.region,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    },
    timeout: 250_000, // over 80 s each measured at load average 33
  });
  return JSON.parse(stdout.trim().split("\n").pop() as string);
}

let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("modes");
});

describe("test and live modes", () => {
  it("keeps test objects invisible to the live key and live objects invisible to the test key (404)", async () => {
    const testWallet = await merchant.http.post("/v1/accounts", { currency: "USD", name: "test side" });
    const liveWallet = await merchant.live.post("/v1/accounts", { currency: "USD", name: "live side" });
    expect(testWallet.status).toBe(201);
    expect(liveWallet.status).toBe(201);
    expect(testWallet.body.livemode).toBe(false);
    expect(liveWallet.body.livemode).toBe(true);

    const crossRead = await merchant.live.get(`/v1/accounts/${testWallet.body.id}`);
    expect(crossRead.status).toBe(404);
    expect(crossRead.body.error).toMatchObject({ code: "resource_missing", param: "id" });
    expect((await merchant.http.get(`/v1/accounts/${liveWallet.body.id}`)).status).toBe(404);

    const liveList = await merchant.live.get("/v1/accounts?limit=100");
    expect(liveList.body.data.map((a: any) => a.id)).toEqual([liveWallet.body.id]);
    const testList = await merchant.http.get("/v1/accounts?limit=100");
    expect(testList.body.data.map((a: any) => a.id)).toEqual([testWallet.body.id]);
  });

  it("refuses a payment between modes as if the other mode's account did not exist, writing nothing", async () => {
    const testWallet = await openWallet(merchant, "USD", 5_000);
    const liveWallet = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id as string;
    const answer = await merchant.live.post("/v1/payments", {
      source: testWallet,
      destination: liveWallet,
      amount: 100,
      currency: "USD",
    });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: "resource_missing", param: "source" });
    expect((await merchant.http.get(`/v1/accounts/${testWallet}`)).body.balance).toBe(5_000);
    expect((await merchant.live.get("/v1/payments")).body.data).toEqual([]);
  });

  it("answers a live-key top-up with 403 test_mode_only and writes nothing", async () => {
    const liveWallet = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id as string;
    const answer = await merchant.live.post("/v1/topups", {
      account: liveWallet,
      amount: 1_000,
      currency: "USD",
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ type: "invalid_request_error", code: "test_mode_only" });
    expect((await merchant.live.get(`/v1/accounts/${liveWallet}`)).body.balance).toBe(0);
  });

  it("keeps an Idempotency-Key of one mode from replaying in the other", async () => {
    const headers = { "idempotency-key": `both-modes-${Date.now()}` };
    const testAnswer = await merchant.http.post("/v1/accounts", { currency: "EUR" }, { headers });
    const liveAnswer = await merchant.live.post("/v1/accounts", { currency: "EUR" }, { headers });
    expect(testAnswer.status).toBe(201);
    expect(liveAnswer.status).toBe(201);
    expect(liveAnswer.headers.get("idempotent-replayed")).toBeNull();
    expect(liveAnswer.body.id).not.toBe(testAnswer.body.id);
    expect(liveAnswer.body.livemode).toBe(true);
  });

  it(
    "funds a live wallet only through an inbound credit the rail reported, credited once per rail reference",
    async () => {
      const liveWallet = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id as string;
      const reference = `rail-credit-${Date.now()}`;
      const first = await admin(
        "record-inbound-credit",
        merchant.merchantId,
        liveWallet,
        "25000",
        "usd",
        reference,
      );
      expect(first).toMatchObject({
        credited: true,
        topup: { object: "topup", livemode: true, account: liveWallet, amount: 25_000, currency: "USD" },
      });
      const again = await admin(
        "record-inbound-credit",
        merchant.merchantId,
        liveWallet,
        "25000",
        "usd",
        reference,
      );
      expect(again).toEqual({ credited: false, reason: "already_credited" });
      expect((await merchant.live.get(`/v1/accounts/${liveWallet}`)).body.balance).toBe(25_000);
      const topup = await merchant.live.get(`/v1/topups/${first.topup.id}`);
      expect(topup.body).toEqual(first.topup);
      // A test wallet is not a live wallet: the credit is refused as an unknown account.
      const testWallet = await openWallet(merchant, "USD");
      await expect(creditLive(merchant, testWallet, 100, `${reference}-t`)).rejects.toMatchObject({
        code: "resource_missing",
      });
      expect((await merchant.http.get(`/v1/accounts/${testWallet}`)).body.balance).toBe(0);
    },
    ADMIN_TEST_TIMEOUT_MS,
  );

  it(
    "carries livemode on payments, batches and batch items",
    async () => {
      const source = await merchant.live.post("/v1/accounts", { currency: "USD" });
      const payee = await merchant.live.post("/v1/accounts", { currency: "USD" });
      await admin(
        "record-inbound-credit",
        merchant.merchantId,
        source.body.id,
        "1000",
        "USD",
        `fund-${Date.now()}`,
      );
      const paid = await merchant.live.post("/v1/payments", {
        source: source.body.id,
        destination: payee.body.id,
        amount: 400,
        currency: "USD",
      });
      expect(paid.status).toBe(201);
      expect(paid.body).toMatchObject({
        object: "payment",
        livemode: true,
        status: "succeeded",
        amount: 400,
      });
      const batch = await merchant.live.post("/v1/batches", {
        source: source.body.id,
        currency: "USD",
        items: [{ id: "i-1", destination: payee.body.id, amount: 100 }],
      });
      expect(batch.status).toBe(202);
      expect(batch.body).toMatchObject({ object: "batch", livemode: true });
      const items = await merchant.live.get(`/v1/batches/${batch.body.id}/items`);
      expect(items.body.data[0]).toMatchObject({ object: "batch_item", livemode: true, id: "i-1" });
    },
    ADMIN_TEST_TIMEOUT_MS,
  );
});

describe("keys", () => {
  it(
    "create-merchant prints a test key and a live key, each working in its own mode",
    async () => {
      const issued = await admin("create-merchant", "Admin-made Ltd");
      expect(issued).toEqual({
        merchantId: expect.stringMatching(/^mer_[0-9A-Z]{26}$/),
        apiKey: expect.stringMatching(/^sk_test_[A-Za-z0-9_-]{32}$/),
        liveApiKey: expect.stringMatching(/^sk_live_[A-Za-z0-9_-]{32}$/),
      });
      const url = stackContext().httpUrl;
      const testSide = await new HttpCaller(url, issued.apiKey).post("/v1/accounts", { currency: "USD" });
      const liveSide = await new HttpCaller(url, issued.liveApiKey).post("/v1/accounts", { currency: "USD" });
      expect([testSide.body.livemode, liveSide.body.livemode]).toEqual([false, true]);
    },
    ADMIN_TEST_TIMEOUT_MS,
  );

  it(
    "rotate-key issues a new key of the same mode and lets the old one work for the grace period only",
    async () => {
      const wallet = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id as string;
      const rotated = await admin("rotate-key", merchant.liveApiKey, "--grace", "20s");
      expect(rotated).toEqual({
        merchantId: merchant.merchantId,
        mode: "live",
        apiKey: expect.stringMatching(/^sk_live_/),
        oldKeyExpiresAt: expect.any(String),
      });
      const fresh = new HttpCaller(stackContext().httpUrl, rotated.apiKey);
      // Same merchant, same mode: the new key sees what the old one made.
      expect((await fresh.get(`/v1/accounts/${wallet}`)).status).toBe(200);
      expect((await merchant.live.get(`/v1/accounts/${wallet}`)).status).toBe(200);
      const endsAt = Date.parse(rotated.oldKeyExpiresAt);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt - Date.now()) + 1_100));
      const expired = await merchant.live.get(`/v1/accounts/${wallet}`);
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe("api_key_invalid");
      expect((await fresh.get(`/v1/accounts/${wallet}`)).status).toBe(200);
      // A key that no longer works cannot be rotated again.
      await expect(admin("rotate-key", merchant.liveApiKey, "--grace", "1h")).rejects.toThrow(
        /no such active key/,
      );
    },
    ADMIN_TEST_TIMEOUT_MS,
  );
});
