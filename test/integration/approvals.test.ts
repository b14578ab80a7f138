import { describe, expect, it } from "vitest";
import { isIdOf } from "../../lib/domain/ids.js";
import { ROUTE_PERMISSIONS, ROUTES } from "../../lib/http/routes.js";
import { rotateKey } from "../../lib/ledger/merchants.js";
import { ADMIN_TEST_TIMEOUT_MS, runAdmin } from "../support/admin.js";
import { awaitBatch, poll, runScheduler } from "../support/batches.js";
import { allEvents, awaitEvents } from "../support/events.js";
import { ledgerStore, newMerchant, openWallet, type TestMerchant } from "../support/fixtures.js";
import type { HttpCaller } from "../support/http.js";

// Maker-checker through HTTP: keys with roles, the approval policy, and batches that wait for a
// second key before any money is reserved.

interface Keys {
  merchant: TestMerchant;
  admin: HttpCaller;
  payer: HttpCaller;
  approver: HttpCaller;
  readOnly: HttpCaller;
  ids: { admin: string; payer: string; approver: string; readOnly: string };
}

async function issueKey(merchant: TestMerchant, role: string, name: string) {
  const created = await merchant.http.post("/v1/api_keys", { role, name });
  expect(created.status, created.text).toBe(201);
  return { key: created.body.secret as string, id: created.body.id as string };
}

async function adminKeyId(merchant: TestMerchant): Promise<string> {
  const list = await merchant.http.get("/v1/api_keys");
  expect(list.status, list.text).toBe(200);
  return list.body.data.find((key: { redacted: string }) => key.redacted.endsWith(merchant.apiKey.slice(-4)))
    .id as string;
}

async function merchantWithKeys(name: string): Promise<Keys> {
  const merchant = await newMerchant(name);
  const [payer, approver, readOnly] = await Promise.all([
    issueKey(merchant, "payer", "Payroll bot"),
    issueKey(merchant, "approver", "Finance"),
    issueKey(merchant, "read_only", "Auditor"),
  ]);
  return {
    merchant,
    admin: merchant.http,
    payer: merchant.http.withKey(payer.key),
    approver: merchant.http.withKey(approver.key),
    readOnly: merchant.http.withKey(readOnly.key),
    ids: { admin: await adminKeyId(merchant), payer: payer.id, approver: approver.id, readOnly: readOnly.id },
  };
}

async function setPolicy(keys: Keys, policy: Record<string, unknown>) {
  const set = await keys.admin.post("/v1/approval_policy", policy);
  expect(set.status, set.text).toBe(200);
  return set.body;
}

async function balanceOf(caller: HttpCaller, account: string): Promise<number> {
  const answer = await caller.get(`/v1/accounts/${account}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.balance as number;
}

function batchBody(
  source: string,
  destination: string,
  amounts: number[],
  extra: Record<string, unknown> = {},
) {
  return {
    source,
    currency: "USD",
    items: amounts.map((amount, i) => ({ id: `item-${i}`, destination, amount })),
    ...extra,
  };
}

async function heldBatch(keys: Keys, source: string, destination: string, amounts: number[]) {
  const created = await keys.payer.post("/v1/batches", batchBody(source, destination, amounts));
  expect(created.status, created.text).toBe(202);
  expect(created.body.status).toBe("requires_approval");
  return created.body.id as string;
}

/** A path with each `{id}` replaced by a well-formed id of the route's kind (nothing need exist). */
function concretePath(route: string): string {
  const path = route.split(" ")[1] as string;
  return path.replace("{id}", () => {
    const collection = path.split("/")[2] ?? "";
    const prefix =
      {
        batches: "bat",
        holds: "hold",
        webhook_endpoints: "we",
        events: "evt",
        api_keys: "key",
      }[collection] ?? "x";
    return `${prefix}_01KAAAAAAAAAAAAAAAAAAAAAAA`;
  });
}

describe("API keys with roles", () => {
  it("creates named keys with a role, lists them without secrets, and revokes them", async () => {
    const merchant = await newMerchant("keys-admin");
    const created = await merchant.http.post("/v1/api_keys", { role: "approver", name: "Finance" });
    expect(created.status, created.text).toBe(201);
    const secret = created.body.secret as string;
    expect(created.body).toEqual({
      id: expect.any(String),
      object: "api_key",
      livemode: false,
      name: "Finance",
      role: "approver",
      status: "active",
      redacted: `sk_test_****${secret.slice(-4)}`,
      created_at: expect.any(Number),
      expires_at: null,
      secret: expect.stringMatching(/^sk_test_/),
    });
    expect(isIdOf("apiKey", created.body.id)).toBe(true);
    // A replay answers the key without its secret: the secret is never stored, not even there.
    const first = await merchant.http.post(
      "/v1/api_keys",
      { name: "Ops" },
      { headers: { "idempotency-key": "key-ops" } },
    );
    const replay = await merchant.http.post(
      "/v1/api_keys",
      { name: "Ops" },
      { headers: { "idempotency-key": "key-ops" } },
    );
    expect(first.body.secret).toMatch(/^sk_test_/);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual({ ...first.body, secret: null });
    // Without a role a key is an admin key.
    const plain = await merchant.http.post("/v1/api_keys", {});
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ role: "admin", name: null });

    const list = await merchant.http.get("/v1/api_keys");
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toContain(merchant.apiKey);
    expect(list.body.data.map((key: { role: string; name: string | null }) => [key.role, key.name])).toEqual([
      ["admin", null],
      ["approver", "Finance"],
      ["admin", "Ops"],
      ["admin", null],
    ]);
    for (const key of list.body.data) expect(Object.keys(key)).not.toContain("secret");
    // The live key is another mode's: listed by live keys only.
    const live = await merchant.live.get("/v1/api_keys");
    expect(live.body.data.map((key: { livemode: boolean }) => key.livemode)).toEqual([true]);

    const approver = merchant.http.withKey(secret);
    expect((await approver.get("/v1/api_keys")).body.error).toMatchObject({
      code: "permission_denied",
      role: "approver",
    });
    const own = await merchant.http.post(`/v1/api_keys/${await adminKeyId(merchant)}/revoke`);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe("cannot_revoke_own_key");
    const revoked = await merchant.http.post(`/v1/api_keys/${created.body.id}/revoke`);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, status: "revoked", role: "approver" });
    // The stack's authentication cache lives 2 s: the revoked key stops working within it.
    await poll(
      () => approver.get("/v1/accounts"),
      (answer) => answer.status === 401,
      10_000,
    );
    const missing = await merchant.http.post("/v1/api_keys/key_01KAAAAAAAAAAAAAAAAAAAAAAA/revoke");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("resource_missing");
  });

  it("answers 403 permission_denied to a read_only key on every POST and DELETE route, and writes nothing", async () => {
    const keys = await merchantWithKeys("keys-read-only");
    const writes = ROUTES.filter((route) => /^(POST|DELETE) /.test(route));
    expect(writes.length).toBeGreaterThan(20);
    expect(writes.every((route) => ROUTE_PERMISSIONS[route] !== "read")).toBe(true);
    for (const route of writes) {
      const method = route.split(" ")[0] as string;
      const answer = await keys.readOnly.call(method, concretePath(route), {
        body: { currency: "USD" },
        headers: { "idempotency-key": `ro-${route.replace(/[^A-Za-z0-9]/g, "-")}` },
      });
      expect(answer.status, `${route}: ${answer.text}`).toBe(403);
      expect(answer.body.error).toMatchObject({
        type: "invalid_request_error",
        code: "permission_denied",
        role: "read_only",
        request_id: expect.any(String),
      });
      expect(answer.body.error.message).toContain("read_only");
    }
    // It reads.
    const accounts = await keys.readOnly.get("/v1/accounts");
    expect(accounts.status).toBe(200);
    expect(accounts.body.data).toEqual([]);
    // A refused call claimed no Idempotency-Key: the admin key uses the same one for another body.
    const reused = await keys.admin.post(
      "/v1/accounts",
      { currency: "EUR" },
      { headers: { "idempotency-key": "ro-POST--v1-accounts" } },
    );
    expect(reused.status, reused.text).toBe(201);
    expect((await keys.readOnly.get("/v1/accounts")).body.data).toHaveLength(1);
    // In the caller's language too.
    const zh = await keys.readOnly.post("/v1/payments", {}, { headers: { "accept-language": "zh-CN" } });
    expect(zh.status).toBe(403);
    expect(zh.body.error.message).toContain("read_only");
    expect(zh.body.error.message).toContain("密钥");
  });

  it("lets a payer move money but not approve, and an approver approve but not pay", async () => {
    const keys = await merchantWithKeys("keys-roles");
    const source = await openWallet(keys.merchant, "USD", 10_000);
    const destination = await openWallet(keys.merchant, "USD");
    const paid = await keys.payer.post("/v1/payments", { source, destination, amount: 100, currency: "USD" });
    expect(paid.status, paid.text).toBe(201);
    const notPaid = await keys.approver.post("/v1/payments", {
      source,
      destination,
      amount: 100,
      currency: "USD",
    });
    expect(notPaid.status).toBe(403);
    expect(notPaid.body.error).toMatchObject({ code: "permission_denied", role: "approver" });
    const noBatch = await keys.approver.post("/v1/batches", batchBody(source, destination, [1]));
    expect(noBatch.status).toBe(403);
    const noPolicy = await keys.payer.post("/v1/approval_policy", { batch_items_at_least: 1 });
    expect(noPolicy.status).toBe(403);
    expect(noPolicy.body.error.role).toBe("payer");
    const noPolicyRead = await keys.approver.get("/v1/approval_policy");
    expect(noPolicyRead.status).toBe(403);
    await setPolicy(keys, { batch_items_at_least: 1 });
    const batch = await heldBatch(keys, source, destination, [100]);
    const payerApproves = await keys.payer.post(`/v1/batches/${batch}/approve`);
    expect(payerApproves.status).toBe(403);
    expect(payerApproves.body.error).toMatchObject({ code: "permission_denied", role: "payer" });
    const payerRejects = await keys.payer.post(`/v1/batches/${batch}/reject`);
    expect(payerRejects.status).toBe(403);
    expect((await keys.approver.get(`/v1/batches/${batch}`)).body.status).toBe("requires_approval");
  });
});

describe("operator key commands", () => {
  it(
    "issues a named approver key with `npm run admin -- create-key`, and a rotated key keeps its role and name",
    async () => {
      const keys = await merchantWithKeys("keys-cli");
      const issued = await runAdmin(
        "create-key",
        keys.merchant.merchantId,
        "--role",
        "approver",
        "--name",
        "Treasury",
      );
      expect(issued).toMatchObject({
        merchantId: keys.merchant.merchantId,
        object: "api_key",
        role: "approver",
        name: "Treasury",
        livemode: false,
        apiKey: expect.stringMatching(/^sk_test_/),
      });
      const listed = await keys.admin.get("/v1/api_keys");
      expect(listed.body.data.find((key: { id: string }) => key.id === issued.id)).toMatchObject({
        role: "approver",
        name: "Treasury",
      });
      // It approves what the payer made, and is recorded as the approver.
      await setPolicy(keys, { batch_items_at_least: 1 });
      const source = await openWallet(keys.merchant, "USD", 1_000);
      const destination = await openWallet(keys.merchant, "USD");
      const id = await heldBatch(keys, source, destination, [10]);
      const treasury = keys.merchant.http.withKey(issued.apiKey);
      const approved = await treasury.post(`/v1/batches/${id}/approve`);
      expect(approved.status, approved.text).toBe(200);
      expect(approved.body.approval.decided_by).toEqual({ api_key: issued.id, name: "Treasury" });
      expect((await treasury.post("/v1/payments", {})).status).toBe(403);

      const rotated = await rotateKey(ledgerStore(), issued.apiKey, 0);
      const after = keys.merchant.http.withKey(rotated?.apiKey as string);
      const refused = await after.post("/v1/accounts", { currency: "USD" });
      expect(refused.status).toBe(403);
      expect(refused.body.error.role).toBe("approver");
      const renamed = (await keys.admin.get("/v1/api_keys")).body.data.at(-1);
      expect(renamed).toMatchObject({ role: "approver", name: "Treasury", status: "active" });

      await expect(runAdmin("create-key", keys.merchant.merchantId, "--role", "owner")).rejects.toThrow(
        /--role must be one of admin, payer, approver, read_only/,
      );
    },
    ADMIN_TEST_TIMEOUT_MS,
  );
});

describe("approval policy", () => {
  it("has no rules until set, is replaced as a whole, and is separate per mode", async () => {
    const keys = await merchantWithKeys("policy");
    const empty = await keys.admin.get("/v1/approval_policy");
    expect(empty.body).toEqual({
      object: "approval_policy",
      livemode: false,
      batch_amount_at_least: {},
      batch_items_at_least: null,
      updated_at: null,
    });
    const set = await setPolicy(keys, {
      batch_amount_at_least: { USD: 100_000, EUR: 50_000 },
      batch_items_at_least: 10,
    });
    expect(set).toEqual({
      object: "approval_policy",
      livemode: false,
      batch_amount_at_least: { USD: 100_000, EUR: 50_000 },
      batch_items_at_least: 10,
      updated_at: expect.any(Number),
    });
    expect((await keys.admin.get("/v1/approval_policy")).body).toEqual(set);
    expect((await keys.merchant.live.get("/v1/approval_policy")).body).toMatchObject({
      livemode: true,
      batch_amount_at_least: {},
      batch_items_at_least: null,
    });
    const replaced = await setPolicy(keys, { batch_items_at_least: 3 });
    expect(replaced).toMatchObject({ batch_amount_at_least: {}, batch_items_at_least: 3 });
    for (const bad of [
      { batch_amount_at_least: { USD: 1.5 } },
      { batch_amount_at_least: { usd: 100 } },
      { batch_amount_at_least: { USD: 0 } },
      { batch_items_at_least: 0 },
      { batch_items_at_least: "10" },
      { other: 1 },
    ]) {
      const refused = await keys.admin.post("/v1/approval_policy", bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.error.type).toBe("invalid_request_error");
    }
    expect((await keys.admin.get("/v1/approval_policy")).body).toEqual(replaced);
  });
});

describe("batch approvals (maker-checker)", () => {
  it("holds a batch at the threshold for approval with nothing reserved, and releases it when another key approves", async () => {
    const keys = await merchantWithKeys("approve");
    await setPolicy(keys, { batch_amount_at_least: { USD: 3_000 } });
    const source = await openWallet(keys.merchant, "USD", 10_000);
    const destination = await openWallet(keys.merchant, "USD");
    // One minor unit below the threshold: paid at once, no approval.
    const below = await keys.payer.post("/v1/batches", batchBody(source, destination, [1_000, 1_999]));
    expect(below.status).toBe(202);
    expect(below.body).toMatchObject({ status: "queued", approval: null });
    expect(below.body.created_by).toEqual({ api_key: keys.ids.payer, name: "Payroll bot" });
    await awaitBatch(keys.merchant, below.body.id);
    expect(await balanceOf(keys.admin, source)).toBe(7_001);

    const created = await keys.payer.post("/v1/batches", batchBody(source, destination, [1_000, 2_000]));
    expect(created.status, created.text).toBe(202);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      status: "requires_approval",
      counts: { total: 2, pending: 2, succeeded: 0, failed: 0, canceled: 0 },
      amounts: { total: 3_000, succeeded: 0 },
      created_by: { api_key: keys.ids.payer, name: "Payroll bot" },
      approval: {
        status: "pending",
        required_because: ["amount"],
        decided_by: null,
        decided_at: null,
        reason: null,
      },
    });
    // Nothing reserved, and the scheduler does not release it.
    await runScheduler(new Date(Date.now() + 3_600_000));
    expect(await balanceOf(keys.admin, source)).toBe(7_001);
    expect((await keys.admin.get(`/v1/batches/${id}`)).body.status).toBe("requires_approval");
    const listed = await keys.readOnly.get("/v1/batches?status=requires_approval");
    expect(listed.body.data.map((b: { id: string }) => b.id)).toEqual([id]);

    // Four eyes: the creating key cannot approve, even as admin it would need another key.
    const self = await keys.payer.post(`/v1/batches/${id}/approve`);
    expect(self.status).toBe(403);
    const adminBatch = await keys.admin.post("/v1/batches", batchBody(source, destination, [3_000]));
    const selfAdmin = await keys.admin.post(`/v1/batches/${adminBatch.body.id}/approve`);
    expect(selfAdmin.status).toBe(403);
    expect(selfAdmin.body.error.code).toBe("approver_is_creator");
    expect((await keys.admin.get(`/v1/batches/${adminBatch.body.id}`)).body.status).toBe("requires_approval");

    const approved = await keys.approver.post(
      `/v1/batches/${id}/approve`,
      {},
      { headers: { "idempotency-key": `approve-${id}` } },
    );
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({
      id,
      status: "queued",
      created_by: { api_key: keys.ids.payer, name: "Payroll bot" },
      approval: {
        status: "approved",
        required_because: ["amount"],
        decided_by: { api_key: keys.ids.approver, name: "Finance" },
        decided_at: expect.any(Number),
        reason: null,
      },
    });
    const replay = await keys.approver.post(
      `/v1/batches/${id}/approve`,
      {},
      { headers: { "idempotency-key": `approve-${id}` } },
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(approved.body);
    const done = await awaitBatch(keys.merchant, id);
    expect(done).toMatchObject({
      status: "completed",
      counts: { succeeded: 2 },
      approval: { status: "approved" },
    });
    expect(await balanceOf(keys.admin, source)).toBe(4_001);
    expect(await balanceOf(keys.admin, destination)).toBe(5_999);

    // Decided once: every further decision is refused with the batch as it is.
    for (const [caller, action] of [
      [keys.approver, "approve"],
      [keys.approver, "reject"],
      [keys.admin, "approve"],
    ] as const) {
      const again = await caller.post(`/v1/batches/${id}/${action}`);
      expect(again.status, action).toBe(409);
      expect(again.body.error.code).toBe("batch_not_awaiting_approval");
      expect(again.body.error.batch).toMatchObject({ id, status: "completed" });
    }
    const events = await awaitEvents(keys.merchant, [
      ["batch.requires_approval", id],
      ["batch.approved", id],
      ["batch.completed", id],
    ]);
    const types = events.filter((e) => e.data.object.id === id).map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      "batch.created",
      "batch.requires_approval",
      "batch.approved",
      "batch.released",
    ]);
    expect(types.filter((t) => t === "batch.approved")).toHaveLength(1);
  });

  it("cancels a rejected batch with its reason; nothing moves and it accepts no other transition", async () => {
    const keys = await merchantWithKeys("reject");
    await setPolicy(keys, { batch_items_at_least: 2 });
    const source = await openWallet(keys.merchant, "USD", 5_000);
    const destination = await openWallet(keys.merchant, "USD");
    const id = await heldBatch(keys, source, destination, [100, 200]);
    const cancel = await keys.payer.post(`/v1/batches/${id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe("batch_not_cancelable");
    const tooLong = await keys.approver.post(`/v1/batches/${id}/reject`, { reason: "x".repeat(501) });
    expect(tooLong.status).toBe(400);
    const unknown = await keys.approver.post(`/v1/batches/${id}/approve`, { note: "ok" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("parameter_unknown");

    const rejected = await keys.approver.post(`/v1/batches/${id}/reject`, { reason: "wrong payroll month" });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({
      status: "canceled",
      counts: { total: 2, pending: 0, canceled: 2, succeeded: 0 },
      amounts: { total: 300, canceled: 300, succeeded: 0 },
      completed_at: expect.any(Number),
      approval: {
        status: "rejected",
        required_because: ["item_count"],
        decided_by: { api_key: keys.ids.approver, name: "Finance" },
        reason: "wrong payroll month",
      },
    });
    expect(await balanceOf(keys.admin, source)).toBe(5_000);
    for (const action of ["approve", "reject", "cancel"]) {
      const again = await keys.admin.post(`/v1/batches/${id}/${action}`);
      expect(again.status, action).toBe(409);
    }
    const items = await keys.admin.get(`/v1/batches/${id}/items`);
    expect(items.body.data.map((item: { status: string }) => item.status)).toEqual(["canceled", "canceled"]);
    await awaitEvents(keys.merchant, [["batch.rejected", id]]);
    const events = await allEvents(keys.merchant);
    expect(events.filter((e) => e.data.object.id === id).map((e) => e.type)).toEqual([
      "batch.created",
      "batch.requires_approval",
      "batch.rejected",
    ]);
    // The creator may withdraw its own batch (rejecting needs an approving role: admin here).
    const own = await keys.admin.post("/v1/batches", batchBody(source, destination, [1, 2]));
    const withdrawn = await keys.admin.post(`/v1/batches/${own.body.id}/reject`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.approval).toMatchObject({ status: "rejected", reason: null });
  });

  it("checks funds at approval: 402 leaves the batch awaiting approval, and after a top-up it is approved and paid", async () => {
    const keys = await merchantWithKeys("approve-unfunded");
    await setPolicy(keys, { batch_amount_at_least: { USD: 1 } });
    const source = await openWallet(keys.merchant, "USD", 1_000);
    const destination = await openWallet(keys.merchant, "USD");
    // Created although the source cannot cover it: the funds check waits for approval.
    const id = await heldBatch(keys, source, destination, [1_500, 500]);
    const refused = await keys.approver.post(`/v1/batches/${id}/approve`);
    expect(refused.status, refused.text).toBe(402);
    expect(refused.body.error).toMatchObject({
      type: "payment_error",
      code: "insufficient_funds",
      param: "source",
    });
    expect(refused.body.error.message).toContain("approve again");
    const still = await keys.admin.get(`/v1/batches/${id}`);
    expect(still.body).toMatchObject({ status: "requires_approval", approval: { status: "pending" } });
    expect(await balanceOf(keys.admin, source)).toBe(1_000);
    const topup = await keys.admin.post("/v1/topups", { account: source, amount: 1_000, currency: "USD" });
    expect(topup.status).toBe(201);
    const approved = await keys.approver.post(`/v1/batches/${id}/approve`);
    expect(approved.status, approved.text).toBe(200);
    expect((await awaitBatch(keys.merchant, id)).status).toBe("completed");
    expect(await balanceOf(keys.admin, source)).toBe(0);
    expect(await balanceOf(keys.admin, destination)).toBe(2_000);
  });

  it("lets exactly one of racing approvals and rejections win", async () => {
    const keys = await merchantWithKeys("approve-race");
    await setPolicy(keys, { batch_items_at_least: 1 });
    const source = await openWallet(keys.merchant, "USD", 100_000);
    const destination = await openWallet(keys.merchant, "USD");
    for (let round = 0; round < 3; round++) {
      const id = await heldBatch(keys, source, destination, [1_000]);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0
            ? keys.approver.post(`/v1/batches/${id}/approve`)
            : keys.admin.post(`/v1/batches/${id}/reject`, { reason: `race ${i}` }),
        ),
      );
      const winners = answers.filter((answer) => answer.status === 200);
      expect(winners, answers.map((a) => `${a.status} ${a.text}`).join("\n")).toHaveLength(1);
      for (const loser of answers.filter((answer) => answer.status !== 200)) {
        expect(loser.status).toBe(409);
        expect(loser.body.error.code).toBe("batch_not_awaiting_approval");
      }
      const winner = winners[0]?.body;
      const final = await awaitBatch(keys.merchant, id);
      expect(final.approval.status).toBe(winner.approval.status);
      expect(final.status).toBe(winner.approval.status === "approved" ? "completed" : "canceled");
      const decision = winner.approval.status === "approved" ? "batch.approved" : "batch.rejected";
      const events = (await awaitEvents(keys.merchant, [[decision, id]])).filter(
        (e) => e.data.object.id === id,
      );
      expect(events.filter((e) => e.type === "batch.approved" || e.type === "batch.rejected")).toHaveLength(
        1,
      );
    }
    const paid = (await keys.admin.get(`/v1/accounts/${destination}`)).body.balance as number;
    expect(await balanceOf(keys.admin, source)).toBe(100_000 - paid);
  });

  it("schedules an approved batch whose time is ahead, and runs at once one whose time passed while it waited", async () => {
    const keys = await merchantWithKeys("approve-scheduled");
    await setPolicy(keys, { batch_items_at_least: 1 });
    const source = await openWallet(keys.merchant, "USD", 10_000);
    const destination = await openWallet(keys.merchant, "USD");
    const later = Math.floor(Date.now() / 1000) + 3_600;
    const ahead = await keys.payer.post(
      "/v1/batches",
      batchBody(source, destination, [700], { scheduled_at: later }),
    );
    expect(ahead.body).toMatchObject({ status: "requires_approval", scheduled_at: later });
    // Its time comes while it waits: it does not run.
    await runScheduler(new Date((later + 60) * 1000));
    expect((await keys.admin.get(`/v1/batches/${ahead.body.id}`)).body.status).toBe("requires_approval");
    const approved = await keys.approver.post(`/v1/batches/${ahead.body.id}/approve`);
    expect(approved.body).toMatchObject({ status: "scheduled", scheduled_at: later });
    expect(await balanceOf(keys.admin, source)).toBe(10_000);
    await runScheduler(new Date((later + 60) * 1000));
    expect((await awaitBatch(keys.merchant, ahead.body.id)).status).toBe("completed");
    expect(await balanceOf(keys.admin, source)).toBe(9_300);

    const soon = Math.floor(Date.now() / 1000) + 2;
    const passed = await keys.payer.post(
      "/v1/batches",
      batchBody(source, destination, [300], { scheduled_at: soon }),
    );
    expect(passed.body.status).toBe("requires_approval");
    await poll(
      async () => Date.now(),
      (now) => now > (soon + 1) * 1000,
      10_000,
    );
    const late = await keys.approver.post(`/v1/batches/${passed.body.id}/approve`);
    expect(late.status, late.text).toBe(200);
    expect(late.body.status).toBe("queued");
    expect((await awaitBatch(keys.merchant, passed.body.id)).status).toBe("completed");
    expect(await balanceOf(keys.admin, source)).toBe(9_000);
  });
});
