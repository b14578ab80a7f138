import { beforeAll, describe, expect, it } from "vitest";
import { newMerchant, openWallet, type TestMerchant } from "../support/fixtures.js";

let merchant: TestMerchant;
let other: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("accounts");
  other = await newMerchant("accounts-other");
});

describe("accounts", () => {
  it("opens a wallet with a zero balance and answers it on GET", async () => {
    const created = await merchant.http.post("/v1/accounts", {
      currency: "eur",
      name: "Payroll",
      metadata: { team: "ops" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^acct_[0-9A-Z]{26}$/),
      object: "account",
      livemode: false,
      type: "wallet",
      currency: "EUR",
      balance: 0,
      available: 0,
      name: "Payroll",
      metadata: { team: "ops" },
      bank: null,
      created_at: expect.any(Number),
    });
    const read = await merchant.http.get(`/v1/accounts/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it("keeps only the last four digits of a bank account number", async () => {
    const created = await merchant.http.post("/v1/accounts", {
      currency: "USD",
      type: "bank",
      bank: { account_number: "000123456789", routing_number: "110000000" },
    });
    expect(created.status).toBe(201);
    expect(created.body.bank).toEqual({
      country: "US",
      identifier: "account_number",
      last4: "6789",
      routing_number: "110000000",
      bic: null,
      holder_name: null,
      holder_type: null,
    });
    expect(created.text).not.toContain("000123456789");
  });

  it("refuses a bank account without bank details", async () => {
    const answer = await merchant.http.post("/v1/accounts", { currency: "USD", type: "bank" });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: "invalid_request_error", param: "bank" });
  });

  it("refuses client-set balance and id (mass assignment)", async () => {
    const answer = await merchant.http.post("/v1/accounts", {
      currency: "USD",
      balance: 1_000_000,
      id: "acct_x",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors.map((e: { param: string }) => e.param).sort()).toEqual(["balance", "id"]);
  });

  it("lists accounts newest first with limit, starting_after and has_more", async () => {
    const fresh = await newMerchant("accounts-list");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await openWallet(fresh));
    const first = await fresh.http.get("/v1/accounts?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.object).toBe("list");
    expect(first.body.data.map((a: { id: string }) => a.id)).toEqual([ids[4], ids[3]]);
    expect(first.body.has_more).toBe(true);
    const second = await fresh.http.get(`/v1/accounts?limit=2&starting_after=${ids[3]}`);
    expect(second.body.data.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
    expect(second.body.has_more).toBe(true);
    const last = await fresh.http.get(`/v1/accounts?limit=2&starting_after=${ids[1]}`);
    expect(last.body.data.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
    expect(last.body.has_more).toBe(false);
    const all = await fresh.http.get("/v1/accounts");
    expect(all.body.data).toHaveLength(5);
  });

  it("refuses list limits outside 1-100", async () => {
    for (const limit of ["0", "101", "abc", "1.5"]) {
      const answer = await merchant.http.get(`/v1/accounts?limit=${limit}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe("limit");
    }
  });

  it("answers another merchant's account exactly like an unknown one", async () => {
    const mine = await openWallet(merchant);
    const foreign = await other.http.get(`/v1/accounts/${mine}`);
    const unknown = await other.http.get("/v1/accounts/acct_01KAAAAAAAAAAAAAAAAAAAAAAA");
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body.error.code).toBe("resource_missing");
    expect(foreign.body.error.message).toBe(`No such account: '${mine}'`);
    const otherList = await other.http.get("/v1/accounts?limit=100");
    expect(otherList.body.data.map((a: { id: string }) => a.id)).not.toContain(mine);
  });
});
