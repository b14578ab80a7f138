import { beforeAll, describe, expect, it } from "vitest";
import { runScheduler } from "../support/batches.js";
import {
  balanceOf,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";
import { expectedFromSource, houseAccounts, minorRate } from "../support/fx.js";

let merchant: TestMerchant;
let other: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("fx");
  other = await newMerchant("fx-other");
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function quote(body: Record<string, unknown>, who: TestMerchant = merchant) {
  const answer = await who.http.post("/v1/fx_quotes", body);
  expect(answer.status, answer.text).toBe(201);
  return answer.body;
}

describe("FX quotes", () => {
  it("quotes a source amount with an exact rate, fee and remainder", async () => {
    const before = Math.floor(Date.now() / 1000);
    const body = await quote({ source_currency: "usd", destination_currency: "EUR", source_amount: 100_000 });
    expect(body).toEqual({
      id: expect.stringMatching(/^quote_[0-9A-Z]{26}$/),
      object: "fx_quote",
      status: "open",
      source_currency: "USD",
      destination_currency: "EUR",
      rate: expect.stringMatching(/^0\.9[0-9]{9}$/),
      inverse_rate: expect.stringMatching(/^1\.0[0-9]{8}$/),
      source_amount: 100_000,
      destination_amount: expect.any(Number),
      fee: 300,
      remainder: expect.any(Number),
      payment: null,
      expires_at: expect.any(Number),
      created_at: expect.any(Number),
    });
    expect(body.expires_at - body.created_at).toBe(60);
    expect(body.created_at).toBeGreaterThanOrEqual(before);
    const expected = expectedFromSource(body.rate, "USD", "EUR", 100_000);
    expect({ fee: body.fee, destinationAmount: body.destination_amount, remainder: body.remainder }).toEqual(
      expected,
    );
    const read = await merchant.http.get(`/v1/fx_quotes/${body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(body);
  });

  it("quotes a destination amount into a 3-decimal currency: the least source amount that delivers it", async () => {
    const body = await quote({
      source_currency: "JPY",
      destination_currency: "BHD",
      destination_amount: 12_345,
    });
    expect(body).toMatchObject({ destination_amount: 12_345, remainder: 0 });
    const { num, den } = minorRate(body.rate, "JPY", "BHD");
    const net = BigInt(body.source_amount - body.fee);
    // The net amount buys at least 12.345 BHD, one yen less would not.
    expect(net * num >= 12_345n * den).toBe(true);
    expect((net - 1n) * num < 12_345n * den).toBe(true);
    expect(body.fee).toBe(Math.ceil((body.source_amount * 30) / 10_000));
  });

  it("refuses bad quote requests with 400 and the field at fault", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ source_currency: "USD", destination_currency: "EUR" }, "source_amount", "parameter_invalid"],
      [
        { source_currency: "USD", destination_currency: "EUR", source_amount: 1, destination_amount: 1 },
        "destination_amount",
        "parameter_invalid",
      ],
      [
        { source_currency: "USD", destination_currency: "usd", source_amount: 100 },
        "destination_currency",
        "parameter_invalid",
      ],
      [
        { source_currency: "USD", destination_currency: "XXX", source_amount: 100 },
        "destination_currency",
        "parameter_invalid",
      ],
      [
        { source_currency: "USD", destination_currency: "EUR", source_amount: 10.5 },
        "source_amount",
        "parameter_invalid",
      ],
      [
        { source_currency: "JPY", destination_currency: "USD", source_amount: 1 },
        "source_amount",
        "amount_too_small",
      ],
      [
        { source_currency: "USD", destination_currency: "JPY", source_amount: 1_000_000_000_000 },
        "source_amount",
        "amount_too_large",
      ],
      [
        { source_currency: "USD", destination_currency: "EUR", source_amount: 100, expires_in: 61 },
        "expires_in",
        "parameter_invalid",
      ],
    ];
    for (const [body, param, code] of cases) {
      const answer = await merchant.http.post("/v1/fx_quotes", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error, JSON.stringify(body)).toMatchObject({ param, code });
    }
  });

  it("answers another merchant's quote exactly like an unknown one", async () => {
    const body = await quote({ source_currency: "USD", destination_currency: "GBP", source_amount: 5_000 });
    const answer = await other.http.get(`/v1/fx_quotes/${body.id}`);
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: "resource_missing" });
  });
});

describe("converted payments", () => {
  it("pays a EUR wallet from a USD wallet at the quote's locked rate, once, and the house balances each currency", async () => {
    const fx = await newMerchant("fx-conservation");
    const usd = await openWallet(fx, "USD", 1_000_000);
    const eur = await openWallet(fx, "EUR");
    const q = await quote(
      { source_currency: "USD", destination_currency: "EUR", source_amount: 250_000 },
      fx,
    );
    const paid = await fx.http.post(
      "/v1/payments",
      { source: usd, destination: eur, amount: 250_000, currency: "USD", quote: q.id },
      { headers: { "Idempotency-Key": `fx-pay-${q.id}` } },
    );
    expect(paid.status, paid.text).toBe(201);
    expect(paid.body).toMatchObject({
      object: "payment",
      status: "succeeded",
      amount: 250_000,
      currency: "USD",
      source: usd,
      destination: eur,
      channel: "ledger",
      fx: {
        rate: q.rate,
        source_currency: "USD",
        source_amount: 250_000,
        destination_currency: "EUR",
        destination_amount: q.destination_amount,
        fee: q.fee,
        remainder: q.remainder,
        quote: q.id,
      },
    });
    expect(await balanceOf(fx, usd)).toBe(750_000);
    expect(await balanceOf(fx, eur)).toBe(q.destination_amount);
    expect(await houseAccounts(fx)).toEqual({
      EUR: {
        object: "fx_house_account",
        currency: "EUR",
        balance: -q.destination_amount,
        fees: 0,
        remainders: 0,
      },
      USD: {
        object: "fx_house_account",
        currency: "USD",
        balance: 250_000,
        fees: q.fee,
        remainders: q.remainder,
      },
    });
    // Per currency: wallets + house = top-ups (USD 1,000,000; EUR 0).
    const house = await houseAccounts(fx);
    expect((await balanceOf(fx, usd)) + (house.USD?.balance ?? 0)).toBe(1_000_000);
    expect((await balanceOf(fx, eur)) + (house.EUR?.balance ?? 0)).toBe(0);

    const used = await fx.http.get(`/v1/fx_quotes/${q.id}`);
    expect(used.body).toMatchObject({ status: "used", payment: paid.body.id });
    const read = await fx.http.get(`/v1/payments/${paid.body.id}`);
    expect(read.body).toEqual(paid.body);
    // The same Idempotency-Key replays the payment; the quote is not used twice.
    const replay = await fx.http.post(
      "/v1/payments",
      { source: usd, destination: eur, amount: 250_000, currency: "USD", quote: q.id },
      { headers: { "Idempotency-Key": `fx-pay-${q.id}` } },
    );
    expect(replay.status, replay.text).toBe(201);
    expect(replay.body).toEqual(paid.body);
    expect(await balanceOf(fx, usd)).toBe(750_000);
  });

  it("refuses a used quote with 400 quote_used and moves nothing", async () => {
    const usd = await openWallet(merchant, "USD", 100_000);
    const eur = await openWallet(merchant, "EUR");
    const q = await quote({
      source_currency: "USD",
      destination_currency: "EUR",
      destination_amount: 10_000,
    });
    const first = await merchant.http.post("/v1/payments", {
      source: usd,
      destination: eur,
      amount: 10_000,
      currency: "EUR",
      quote: q.id,
    });
    expect(first.status, first.text).toBe(201);
    expect(first.body.fx).toMatchObject({ destination_amount: 10_000, source_amount: q.source_amount });
    const second = await merchant.http.post("/v1/payments", {
      source: usd,
      destination: eur,
      amount: 10_000,
      currency: "EUR",
      quote: q.id,
    });
    expect(second.status).toBe(400);
    expect(second.body.error).toMatchObject({
      code: "quote_used",
      param: "quote",
      type: "invalid_request_error",
    });
    expect(await balanceOf(merchant, usd)).toBe(100_000 - q.source_amount);
    expect(await balanceOf(merchant, eur)).toBe(10_000);
  });

  it("lets exactly one of two payments racing for one quote use it", async () => {
    const usd = await openWallet(merchant, "USD", 100_000);
    const eurA = await openWallet(merchant, "EUR");
    const eurB = await openWallet(merchant, "EUR");
    const q = await quote({ source_currency: "USD", destination_currency: "EUR", source_amount: 20_000 });
    const answers = await Promise.all(
      [eurA, eurB].map((destination) =>
        merchant.http.post("/v1/payments", {
          source: usd,
          destination,
          amount: 20_000,
          currency: "USD",
          quote: q.id,
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400]);
    expect(answers.find((a) => a.status === 400)?.body.error.code).toBe("quote_used");
    expect(await balanceOf(merchant, usd)).toBe(80_000);
    expect((await balanceOf(merchant, eurA)) + (await balanceOf(merchant, eurB))).toBe(q.destination_amount);
  });

  it("refuses an expired quote with 400 quote_expired and moves nothing", async () => {
    const usd = await openWallet(merchant, "USD", 100_000);
    const gbp = await openWallet(merchant, "GBP");
    const q = await quote({
      source_currency: "USD",
      destination_currency: "GBP",
      source_amount: 10_000,
      expires_in: 1,
    });
    expect(q.expires_at - q.created_at).toBe(1);
    // expires_at is exclusive and whole seconds: wait until the clock is past it.
    await sleep(Math.max(0, q.expires_at * 1000 - Date.now()) + 50);
    const answer = await merchant.http.post("/v1/payments", {
      source: usd,
      destination: gbp,
      amount: 10_000,
      currency: "USD",
      quote: q.id,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "quote_expired", param: "quote" });
    expect(await balanceOf(merchant, usd)).toBe(100_000);
    expect(await balanceOf(merchant, gbp)).toBe(0);
    expect((await merchant.http.get(`/v1/fx_quotes/${q.id}`)).body).toMatchObject({
      status: "expired",
      payment: null,
    });
  });

  it("refuses a quote for another pair, amount or merchant with 400 and moves nothing", async () => {
    const usd = await openWallet(merchant, "USD", 100_000);
    const eur = await openWallet(merchant, "EUR");
    const usd2 = await openWallet(merchant, "USD");
    const q = await quote({ source_currency: "USD", destination_currency: "GBP", source_amount: 10_000 });
    const eurQuote = await quote({
      source_currency: "USD",
      destination_currency: "EUR",
      source_amount: 10_000,
    });
    const foreign = await quote(
      { source_currency: "USD", destination_currency: "EUR", source_amount: 10_000 },
      other,
    );
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ destination: eur, amount: 10_000, currency: "USD", quote: q.id }, 400, "quote_mismatch", "quote"],
      [
        { destination: eur, amount: 10_001, currency: "USD", quote: eurQuote.id },
        400,
        "quote_mismatch",
        "amount",
      ],
      [
        { destination: eur, amount: eurQuote.destination_amount + 1, currency: "EUR", quote: eurQuote.id },
        400,
        "quote_mismatch",
        "amount",
      ],
      [
        { destination: usd2, amount: 10_000, currency: "USD", quote: eurQuote.id },
        400,
        "quote_mismatch",
        "quote",
      ],
      [
        { destination: eur, amount: 10_000, currency: "USD", quote: foreign.id },
        404,
        "resource_missing",
        "quote",
      ],
      [
        { destination: eur, amount: 10_000, currency: "GBP", convert: true },
        400,
        "currency_mismatch",
        "currency",
      ],
    ];
    for (const [body, status, code, param] of cases) {
      const answer = await merchant.http.post("/v1/payments", { source: usd, ...body });
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error, JSON.stringify(body)).toMatchObject({ code, param });
    }
    expect(await balanceOf(merchant, usd)).toBe(100_000);
    expect(await balanceOf(merchant, eur)).toBe(0);
    expect((await merchant.http.get(`/v1/fx_quotes/${eurQuote.id}`)).body.status).toBe("open");
  });

  it("converts at the current rate with convert: true, from either side's amount", async () => {
    const jpy = await openWallet(merchant, "JPY", 5_000_000);
    const kwd = await openWallet(merchant, "KWD");
    const bySource = await merchant.http.post("/v1/payments", {
      source: jpy,
      destination: kwd,
      amount: 1_000_000,
      currency: "JPY",
      convert: true,
    });
    expect(bySource.status, bySource.text).toBe(201);
    const fx = bySource.body.fx;
    expect(fx).toMatchObject({
      source_currency: "JPY",
      source_amount: 1_000_000,
      destination_currency: "KWD",
      quote: null,
    });
    const expected = expectedFromSource(fx.rate, "JPY", "KWD", 1_000_000);
    expect({ fee: fx.fee, destinationAmount: fx.destination_amount, remainder: fx.remainder }).toEqual(
      expected,
    );
    const byDestination = await merchant.http.post("/v1/payments", {
      source: jpy,
      destination: kwd,
      amount: 1_234,
      currency: "KWD",
      convert: true,
    });
    expect(byDestination.status, byDestination.text).toBe(201);
    expect(byDestination.body.fx).toMatchObject({ destination_amount: 1_234, remainder: 0 });
    expect(byDestination.body.amount).toBe(byDestination.body.fx.source_amount);
    expect(await balanceOf(merchant, jpy)).toBe(5_000_000 - 1_000_000 - byDestination.body.fx.source_amount);
    expect(await balanceOf(merchant, kwd)).toBe(fx.destination_amount + 1_234);
  });

  it("still refuses a currency difference without convert or quote", async () => {
    const usd = await openWallet(merchant, "USD", 1_000);
    const eur = await openWallet(merchant, "EUR");
    const answer = await merchant.http.post("/v1/payments", {
      source: usd,
      destination: eur,
      amount: 10,
      currency: "USD",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "currency_mismatch", param: "currency" });
    expect(answer.body.error.message).toContain('"convert": true');
  });

  it("pays an ordinary payment when convert: true names accounts of one currency", async () => {
    const a = await openWallet(merchant, "USD", 1_000);
    const b = await openWallet(merchant, "USD");
    const answer = await merchant.http.post("/v1/payments", {
      source: a,
      destination: b,
      amount: 400,
      currency: "USD",
      convert: true,
    });
    expect(answer.status).toBe(201);
    expect(answer.body.fx).toBeUndefined();
    expect(await balanceOf(merchant, b)).toBe(400);
  });

  it("records a converted payment the source cannot fund as failed (402) and leaves the quote open", async () => {
    const usd = await openWallet(merchant, "USD", 999);
    const eur = await openWallet(merchant, "EUR");
    const q = await quote({ source_currency: "USD", destination_currency: "EUR", source_amount: 1_000 });
    const answer = await merchant.http.post("/v1/payments", {
      source: usd,
      destination: eur,
      amount: 1_000,
      currency: "USD",
      quote: q.id,
    });
    expect(answer.status).toBe(402);
    expect(answer.body.error).toMatchObject({
      code: "insufficient_funds",
      payment: {
        status: "failed",
        amount: 1_000,
        currency: "USD",
        fx: { quote: q.id, destination_amount: q.destination_amount },
      },
    });
    expect(await balanceOf(merchant, usd)).toBe(999);
    expect((await merchant.http.get(`/v1/fx_quotes/${q.id}`)).body.status).toBe("open");
  });

  it("pays a EUR bank account from a USD wallet in real time: the rail pays the destination amount, the house converts when it accepts", async () => {
    const fx = await newMerchant("fx-bank");
    const usd = await openWallet(fx, "USD", 100_000);
    const bank = await openBankAccount(fx, "000111220001", "EUR");
    const q = await quote({ source_currency: "USD", destination_currency: "EUR", source_amount: 40_000 }, fx);
    const paid = await fx.http.post("/v1/payments", {
      source: usd,
      destination: bank,
      amount: 40_000,
      currency: "USD",
      quote: q.id,
    });
    expect(paid.status, paid.text).toBe(201);
    expect(paid.body).toMatchObject({
      status: "succeeded",
      channel: "bank",
      amount: 40_000,
      currency: "USD",
      fx: { quote: q.id, destination_currency: "EUR", destination_amount: q.destination_amount, fee: q.fee },
    });
    expect(await balanceOf(fx, usd)).toBe(60_000);
    // A bank account's balance is what was paid out to it, in its own currency.
    expect(await balanceOf(fx, bank)).toBe(q.destination_amount);
    const house = await houseAccounts(fx);
    expect(house.USD).toMatchObject({ balance: 40_000, fees: q.fee, remainders: q.remainder });
    expect(house.EUR).toMatchObject({ balance: -q.destination_amount });
    // Per currency: wallets + house = top-ups - paid out to banks.
    expect((await balanceOf(fx, usd)) + (house.USD?.balance ?? 0)).toBe(100_000);
    expect((house.EUR?.balance ?? 0) + (await balanceOf(fx, bank))).toBe(0);
    expect((await fx.http.get(`/v1/fx_quotes/${q.id}`)).body).toMatchObject({
      status: "used",
      payment: paid.body.id,
    });
    // The quote paid one payout: a second use is refused and moves nothing.
    const again = await fx.http.post("/v1/payments", {
      source: usd,
      destination: bank,
      amount: 40_000,
      currency: "USD",
      quote: q.id,
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("quote_used");
    expect(await balanceOf(fx, usd)).toBe(60_000);
  });

  it("gives a converted payout the rail declines its whole source amount back, and the house never converted it", async () => {
    const fx = await newMerchant("fx-bank-declined");
    const usd = await openWallet(fx, "USD", 10_000);
    const declining = await openBankAccount(fx, "000111220002", "GBP");
    const answer = await fx.http.post("/v1/payments", {
      source: usd,
      destination: declining,
      amount: 5_000,
      currency: "USD",
      convert: true,
    });
    expect(answer.status).toBe(402);
    expect(answer.body.error).toMatchObject({
      code: "channel_declined",
      payment: { status: "failed", channel: "bank", amount: 5_000, fx: { destination_currency: "GBP" } },
    });
    expect(await balanceOf(fx, usd)).toBe(10_000);
    expect(await balanceOf(fx, declining)).toBe(0);
    expect(await houseAccounts(fx)).toEqual({});
  });

  it("returns a converted real-time payout at its locked rate: the source is whole again and the house reverses both entries", async () => {
    const fx = await newMerchant("fx-bank-returned");
    const usd = await openWallet(fx, "USD", 10_000);
    const returning = await openBankAccount(fx, "000111220004", "JPY");
    const paid = await fx.http.post("/v1/payments", {
      source: usd,
      destination: returning,
      amount: 7_000,
      currency: "USD",
      convert: true,
    });
    expect(paid.status, paid.text).toBe(201);
    const yen = paid.body.fx.destination_amount as number;
    expect(await balanceOf(fx, returning)).toBe(yen);
    await runScheduler(new Date(Date.now() + 60_000));
    const returned = await fx.http.get(`/v1/payments/${paid.body.id}`);
    expect(returned.body).toMatchObject({ status: "returned", return_code: "R03", amount: 7_000 });
    expect(await balanceOf(fx, usd)).toBe(10_000);
    expect(await balanceOf(fx, returning)).toBe(0);
    const house = await houseAccounts(fx);
    expect(house.USD).toMatchObject({ balance: 0, fees: 0, remainders: 0 });
    expect(house.JPY).toMatchObject({ balance: 0 });
  });

  it("refunds a converted payment at its locked rate, in parts, to the minor unit", async () => {
    const fx = await newMerchant("fx-refunds");
    const usd = await openWallet(fx, "USD", 10_000);
    const eur = await openWallet(fx, "EUR");
    const paid = await fx.http.post("/v1/payments", {
      source: usd,
      destination: eur,
      amount: 10_000,
      currency: "USD",
      convert: true,
    });
    expect(paid.status).toBe(201);
    const b = paid.body.fx.destination_amount as number;
    const first = await fx.http.post("/v1/refunds", { payment: paid.body.id, amount: 3_333 });
    expect(first.status, first.text).toBe(201);
    const share = Math.floor((3_333 * b) / 10_000);
    expect(first.body).toMatchObject({
      amount: 3_333,
      currency: "USD",
      status: "succeeded",
      fx: { rate: paid.body.fx.rate, destination_currency: "EUR", destination_amount: share },
    });
    expect(await balanceOf(fx, usd)).toBe(3_333);
    expect(await balanceOf(fx, eur)).toBe(b - share);
    // The rest, without an amount: the destination gives back all it still holds of the payment.
    const rest = await fx.http.post("/v1/refunds", { payment: paid.body.id });
    expect(rest.status, rest.text).toBe(201);
    expect(rest.body).toMatchObject({ amount: 6_667, fx: { destination_amount: b - share } });
    expect(await balanceOf(fx, usd)).toBe(10_000);
    expect(await balanceOf(fx, eur)).toBe(0);
    const house = await houseAccounts(fx);
    expect(house.USD?.balance).toBe(0);
    expect(house.EUR?.balance).toBe(0);
    const again = await fx.http.post("/v1/refunds", { payment: paid.body.id, amount: 1 });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: "refund_exceeds_payment" });
  });
});
