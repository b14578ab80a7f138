// Errors that tell a new user what to do, through HTTP: HTTP Basic and Bearer keys, a header without
// a scheme, keys masked in messages, "Did you mean", non-JSON bodies, decimal amounts, currencies.
import { beforeAll, describe, expect, it } from "vitest";
import { SUPPORTED_CURRENCIES } from "../../lib/money/index.js";
import { balanceOf, newMerchant, openWallet, type TestMerchant } from "../support/fixtures.js";

let merchant: TestMerchant;
let source: string;
let destination: string;

beforeAll(async () => {
  merchant = await newMerchant("error-hints");
  source = await openWallet(merchant, "USD", 10_000);
  destination = await openWallet(merchant, "USD");
});

const basic = (user: string, password = "") =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function paymentsCount(): Promise<number> {
  const list = await merchant.http.get("/v1/payments?limit=100");
  return list.body.data.length;
}

describe("authentication", () => {
  it("accepts HTTP Basic with the key as user name and an empty password (curl -u sk_test_…:)", async () => {
    const answer = await merchant.http.get(`/v1/accounts/${source}`, {
      apiKey: null,
      headers: { authorization: basic(merchant.apiKey) },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(source);
    const paid = await merchant.http.post(
      "/v1/payments",
      { source, destination, amount: 1, currency: "USD" },
      { apiKey: null, headers: { authorization: basic(merchant.apiKey) } },
    );
    expect(paid.status).toBe(201);
  });

  it("says which scheme to use when the key is sent without one, showing the key masked", async () => {
    const answer = await merchant.http.get("/v1/payments", {
      apiKey: null,
      headers: { authorization: merchant.apiKey },
    });
    expect(answer.status).toBe(401);
    const masked = `sk_test_****${merchant.apiKey.slice(-4)}`;
    expect(answer.body.error).toMatchObject({ type: "authentication_error", code: "api_key_invalid" });
    expect(answer.body.error.message).toBe(
      `The Authorization header has no scheme: send \`Authorization: Bearer ${masked}\` (or HTTP Basic with the key as user name: \`curl -u ${masked}:\`).`,
    );
    expect(answer.text).not.toContain(merchant.apiKey);
  });

  it("masks an unknown key in the message and never echoes it in full", async () => {
    const wrong = "sk_test_thisKeyDoesNotExist000000wxyz";
    for (const authorization of [`Bearer ${wrong}`, basic(wrong)]) {
      const answer = await merchant.http.get("/v1/payments", { apiKey: null, headers: { authorization } });
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toBe("Invalid API key provided: sk_test_****wxyz");
      expect(answer.text).not.toContain(wrong);
    }
  });

  it("says how to send the key when none is sent", async () => {
    const answer = await merchant.http.get("/v1/payments", { apiKey: null });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: "api_key_missing" });
    expect(answer.body.error.message).toContain("Authorization: Bearer sk_test_...");
    expect(answer.body.error.message).toContain("curl -u sk_test_...:");
  });
});

describe("parameters", () => {
  it("suggests the known field an unknown one is close to, and writes nothing", async () => {
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destinaton: destination,
      amount: 100,
      currency: "USD",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors).toContainEqual({
      param: "destinaton",
      code: "parameter_unknown",
      message: "Received unknown parameter: destinaton. Did you mean `destination`?",
    });
    expect(await paymentsCount()).toBe(1);
  });

  it("suggests the known field inside batch items too", async () => {
    const answer = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "a", destination, amout: 100 }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors).toContainEqual({
      param: "items[0].amout",
      code: "parameter_unknown",
      message: "Received unknown parameter: items[0].amout. Did you mean `amount`?",
    });
  });

  it.each([
    [
      "10.50",
      "USD",
      "Invalid amount: amounts are integers in minor units of the currency, sent as JSON numbers: send 1050 for 10.50 USD",
    ],
    [
      10.5,
      "USD",
      "Invalid amount: amounts are integers in minor units of the currency, sent as JSON numbers: send 1050 for 10.5 USD",
    ],
    [
      "12.345",
      "KWD",
      "Invalid amount: amounts are integers in minor units of the currency, sent as JSON numbers: send 12345 for 12.345 KWD",
    ],
    [
      "1050",
      "USD",
      'Invalid amount: amounts are integers in minor units of the currency, sent as JSON numbers: send 1050, not the string "1050"',
    ],
  ])("answers an amount of %j %s with how to write it in minor units", async (amount, currency, message) => {
    const answer = await merchant.http.post("/v1/payments", { source, destination, amount, currency });
    expect(answer.status).toBe(400);
    // One problem reads as itself: no "1 invalid parameter; first: amount: Invalid amount: …".
    expect(answer.body.error).toMatchObject({ code: "parameter_invalid", param: "amount", message });
    expect(await balanceOf(merchant, source)).toBe(9_999);
  });

  it("lists the supported currencies when one is not", async () => {
    const answer = await merchant.http.post("/v1/accounts", { currency: "XYZ" });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe(
      `Invalid currency: is not a supported currency; supported: ${SUPPORTED_CURRENCIES.join(", ")}`,
    );
  });

  it("says 'an account id', not 'a account id'", async () => {
    const answer = await merchant.http.post("/v1/payments", {
      source: "nope",
      destination,
      amount: 1,
      currency: "USD",
    });
    expect(answer.body.error.message).toBe("Invalid source: must be an account id (acct_…)");
  });

  it("counts several problems once and shows the first without repeating its name", async () => {
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: -1,
      currency: "usd!",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe(
      "2 invalid parameters (all listed in error.errors); the first: Invalid amount: must be greater than 0",
    );
  });
});

describe("request bodies", () => {
  const JSON_ONLY =
    `payrail takes JSON request bodies only: send a JSON object with Content-Type: application/json, ` +
    `e.g. curl … -H "Content-Type: application/json" -d '{"amount":1050,"currency":"USD"}'.`;

  it("says a form-encoded body is not JSON and how to send JSON, writing nothing", async () => {
    const answer = await merchant.http.call("POST", "/v1/payments", {
      raw: `source=${source}&destination=${destination}&amount=100&currency=USD`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: "body_not_json",
      message: `The request body is form-encoded (name=value&…), not JSON. ${JSON_ONLY}`,
    });
    expect(await paymentsCount()).toBe(1);
  });

  it("says a plain-text body is not JSON", async () => {
    const answer = await merchant.http.call("POST", "/v1/accounts", {
      raw: "please open a wallet",
      headers: { "content-type": "text/plain" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe(`The request body is not JSON. ${JSON_ONLY}`);
  });

  it("accepts a JSON body labelled form-encoded, as curl -d sends it", async () => {
    const answer = await merchant.http.call("POST", "/v1/accounts", {
      raw: JSON.stringify({ currency: "EUR", name: "curl -d" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ currency: "EUR", name: "curl -d" });
  });
});

describe("the OpenAPI document as served", () => {
  it("names the host it was requested from in servers", async () => {
    const answer = await merchant.http.get("/v1/openapi.json", { apiKey: null });
    expect(answer.status).toBe(200);
    expect(answer.body.servers).toEqual([
      { url: merchant.http.baseUrl, description: "This API (the host this document was served from)" },
    ]);
    const proxied = await merchant.http.get("/v1/openapi.json", {
      apiKey: null,
      headers: { "x-forwarded-proto": "https" },
    });
    expect(proxied.body.servers[0].url).toBe(merchant.http.baseUrl.replace(/^http:/, "https:"));
  });
});
