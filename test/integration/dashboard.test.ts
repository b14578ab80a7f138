// The dashboard in a real browser (Chromium via playwright-core) against the real local stack: the
// page is served by the stack's dashboard function and talks only to the public API. One page is
// driven through the steps a finance person would take; each test continues where the last ended.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_CSP } from "../../lib/dashboard/static-assets.js";
import { allItems, poll } from "../support/batches.js";
import { type Browser, launchBrowser, SCREENSHOTS } from "../support/browser.js";
import { newMerchant, openBankAccount, openWallet, type TestMerchant } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

const XSS = "<img src=x onerror=alert(1)>";
const ITEMS = 2_000;
/** Every 100th item pays a bank account the sandbox rail declines. */
const FAILING = ITEMS / 100;

let browser: Browser;
let page: Page;
let merchant: TestMerchant;
let source: string;
let payee: string;
let xssPaymentId: string;
let batchId: string;
const problems: string[] = []; // CSP violations, script errors, dialogs: none may happen

/** Evaluates a browser-side expression (the test's own tsconfig has no DOM types). */
const inPage = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  merchant = await newMerchant("dashboard");
  source = await openWallet(merchant, "USD", 50_000_000);
  payee = await openWallet(merchant, "USD");

  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 401/.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe("dashboard in Chromium", () => {
  it("is served with a strict CSP and signs in with a key kept only in session storage", async () => {
    const answer = await page.goto(`${stackContext().httpUrl}/dashboard/`);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()["content-security-policy"]).toBe(DASHBOARD_CSP);
    expect(await page.locator("script:not([src])").count()).toBe(0); // no inline script

    await page.getByLabel("Secret key").fill("sk_test_not_a_real_key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent(), { timeout: 30_000 })
      .toBe("That key was not accepted.");
    await shot("sign-in");

    await page.getByLabel("Secret key").fill(merchant.apiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    const storage = await inPage<{ session: string; local: number; cookie: string; url: string }>(
      `({ session: sessionStorage.getItem("payrail.secret_key"), local: localStorage.length,
          cookie: document.cookie, url: location.href })`,
    );
    expect(storage.session).toBe(merchant.apiKey);
    expect(storage.local).toBe(0);
    expect(storage.cookie).toBe("");
    expect(storage.url).not.toContain(merchant.apiKey);
    expect(await browser.context.cookies()).toEqual([]);
    // The funded wallet's balance, exact from minor units: 50,000,000 cents.
    await page.getByRole("cell", { name: "500,000.00 USD" }).waitFor();
    await shot("overview");
  }, 180_000);

  it("moves a 2,000-item batch's progress bar to 100% without reloading the page", async () => {
    await page.getByRole("link", { name: "Batches" }).click();
    await page.getByRole("heading", { name: "Batches", level: 1 }).waitFor();
    await inPage("window.notReloaded = true");
    const declining = await openBankAccount(merchant, "000987650002");
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      id: `emp-${String(i).padStart(4, "0")}`,
      destination: i % 100 === 99 ? declining : payee,
      amount: 1_000 + i,
    }));
    const created = await merchant.http.post("/v1/batches", { source, currency: "USD", items });
    expect(created.status).toBe(202);
    batchId = created.body.id;

    const bar = page.getByRole("progressbar", { name: `Progress of batch ${batchId}` });
    const seen = new Set<number>();
    let midway = false;
    await poll(
      async () => {
        const value = Number((await bar.getAttribute("aria-valuenow", { timeout: 30_000 })) ?? -1);
        seen.add(value);
        if (!midway && value > 0 && value < 100) {
          midway = true;
          await shot("batches-running");
        }
        return value;
      },
      (value) => value === 100,
      150_000,
    );
    expect(await bar.getAttribute("aria-valuetext")).toBe(
      `2,000 of 2,000 items done (100%): 1,980 succeeded, 20 failed, 0 pending`,
    );
    expect(await inPage("window.notReloaded")).toBe(true);
    process.stderr.write(`dashboard: progress values seen while the batch ran: ${[...seen].join(", ")}\n`);
    await shot("batches");
  }, 180_000);

  it("opens a failed item of the batch and shows its failure code", async () => {
    await page.getByRole("link", { name: batchId }).first().click();
    await page.getByRole("heading", { name: `Batch ${batchId}` }).waitFor();
    const failedTable = page.getByRole("region", { name: "Failed items" });
    await expect.poll(() => failedTable.locator("tbody tr").count(), { timeout: 60_000 }).toBe(FAILING);
    expect(await failedTable.locator("tbody tr").first().locator("td").allTextContents()).toEqual([
      "emp-0099",
      "channel_declined",
      expect.stringMatching(/^acct_/),
      "10.99 USD", // item 99 pays 1,000 + 99 cents
    ]);
    await shot("batch-detail");
    await failedTable.getByRole("link", { name: "emp-0099" }).click();
    const detail = page.locator(".item-detail");
    await expect
      .poll(() => detail.locator('[data-field="failure_code"]').textContent(), { timeout: 60_000 })
      .toBe("channel_declined");
    expect(page.url()).toContain(`#/batches/${batchId}/items/emp-0099`);
  }, 180_000);

  it("downloads the batch's CSV with the CLI report's columns, equal to the API's items", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV of all items" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${batchId}.csv`);
    const csv = readFileSync((await download.path())!, "utf8");
    const fromApi = await allItems(merchant, batchId);
    const expected = [
      "item_id,destination,amount,status,failure_code,payment_id",
      ...fromApi.map((item) =>
        [
          item.id,
          item.destination,
          item.amount,
          item.status,
          item.failure_code ?? "",
          item.payment ?? "",
        ].join(","),
      ),
    ];
    expect(csv).toBe(`${expected.join("\n")}\n`);
    expect(csv.split("\n").filter((line) => line.includes(",failed,channel_declined,"))).toHaveLength(
      FAILING,
    );
  }, 180_000);

  it("finds a payment by search and shows its Server-Timing phases as a stacked bar", async () => {
    // The search asks the API for the account as source and as destination (one filter per list
    // request) and matches the status and amount among what comes back.
    const created = await merchant.http.post(
      "/v1/payments",
      { source, destination: payee, amount: 12_345, currency: "USD", description: XSS },
      { headers: { "idempotency-key": "dashboard-xss" } },
    );
    expect(created.status).toBe(201);
    xssPaymentId = created.body.id;
    // The newest payments are held back until the fields are filled: a user types while they load
    // (a controlled form put its empty criteria back when they arrived, erasing what was typed).
    const paymentLists = /\/v1\/payments(\?|$)/;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(paymentLists, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole("link", { name: "Payments" }).click();
    await page.getByLabel("Account (source or destination)").fill(payee);
    await page.getByLabel("Status").selectOption("succeeded");
    await page.getByLabel("Amount from").fill("123.45");
    release();
    await page.getByRole("heading", { level: 2, name: /payments? \(searched|\d+ payments?$/ }).waitFor();
    await page.unroute(paymentLists);
    expect(await page.getByLabel("Account (source or destination)").inputValue()).toBe(payee);
    expect(await page.getByLabel("Status").inputValue()).toBe("succeeded");
    expect(await page.getByLabel("Amount from").inputValue()).toBe("123.45");
    const asked: string[] = [];
    const record = (request: { url(): string }) => {
      if (paymentLists.test(request.url())) asked.push(new URL(request.url()).search);
    };
    page.on("request", record);
    await page.getByRole("button", { name: "Search" }).click();
    const results = page.getByRole("region", { name: "Payments found" });
    await expect.poll(() => results.locator("tbody tr").count(), { timeout: 120_000 }).toBe(1);
    page.off("request", record);
    // Every request carried the account filter (later pages: the payee got the 2,000-item batch).
    expect(asked.filter((query) => !query.includes("starting_after")).sort()).toEqual([
      `?limit=100&destination=${payee}`,
      `?limit=100&source=${payee}`,
    ]);
    expect(asked.filter((query) => !/[?&](source|destination)=/.test(query))).toEqual([]);
    // The description is shown as text in the results too.
    expect(await results.locator("td.description").textContent()).toBe(XSS);

    const answer = page.waitForResponse((r) => r.url().endsWith(`/v1/payments/${xssPaymentId}`));
    await results.getByRole("link", { name: xssPaymentId }).click();
    const header = (await answer).headers()["server-timing"] ?? "";
    const phases = Object.fromEntries(
      header.split(",").map((metric) => {
        const [name, duration] = metric.trim().split(";dur=");
        return [name, Number(duration).toFixed(2)];
      }),
    );
    const bar = page.locator(".timing-bar");
    await bar.waitFor();
    const segments = await bar.locator("[data-phase]").evaluateAll((nodes) =>
      nodes.map((node) => ({
        phase: node.getAttribute("data-phase"),
        ms: node.getAttribute("data-ms"),
        width: (node as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect()
          .width,
      })),
    );
    expect(segments.map((s) => [s.phase, s.ms])).toEqual([
      ["request", phases.request],
      ["channel", phases.channel],
      ["response", phases.response],
    ]);
    // Each segment is as wide as its share of the whole bar.
    const barWidth = (await bar.boundingBox())!.width;
    const total = segments.reduce((sum, s) => sum + Number(s.ms), 0);
    for (const segment of segments)
      expect(segment.width).toBeCloseTo((Number(segment.ms) / total) * barWidth, 0);
    // Its events, as GET /v1/events?object= lists them (about 5 s after the change).
    const events = page.locator('table[data-table="events"]');
    await expect
      .poll(() => events.locator("tbody tr td:nth-child(2)").allTextContents(), { timeout: 60_000 })
      .toEqual(["payment.succeeded"]);
    expect(await events.locator("tbody tr td:nth-child(4)").allTextContents()).toEqual(["succeeded"]);
    await shot("payment-detail");
  }, 180_000);

  it("renders a description holding HTML as text, never as markup", async () => {
    expect(await page.locator('[data-field="description"]').textContent()).toBe(XSS);
    expect(await page.locator("main img").count()).toBe(0);
    expect(problems).toEqual([]);
  }, 180_000);

  it("shows a converted payment's destination amount, rate and fee", async () => {
    const eur = await openWallet(merchant, "EUR");
    const paid = await merchant.http.post("/v1/payments", {
      source,
      destination: eur,
      amount: 10_000,
      currency: "USD",
      convert: true,
    });
    expect(paid.status, paid.text).toBe(201);
    const fx = paid.body.fx;
    await page.goto(`${stackContext().httpUrl}/dashboard/#/payments/${paid.body.id}`);
    const euros = `${Math.floor(fx.destination_amount / 100)}.${String(fx.destination_amount % 100).padStart(2, "0")}`;
    const fee = `${Math.floor(fx.fee / 100)}.${String(fx.fee % 100).padStart(2, "0")}`;
    await expect
      .poll(() => page.locator('[data-field="fx"]').textContent(), { timeout: 30_000 })
      .toBe(`${euros} EUR at ${fx.rate} (fee ${fee} USD)`);
    expect(problems).toEqual([]);
  }, 120_000);

  it("works with a read_only key: signs in, shows the overview and a payment's detail", async () => {
    const created = await merchant.http.post("/v1/api_keys", { role: "read_only", name: "Dashboard viewer" });
    expect(created.status, created.text).toBe(201);
    // A tab of its own: sessionStorage is per tab, so this one starts signed out.
    const viewer = await browser.context.newPage();
    try {
      await viewer.goto(`${stackContext().httpUrl}/dashboard/`);
      await viewer.getByLabel("Secret key").fill(created.body.secret);
      await viewer.getByRole("button", { name: "Sign in" }).click();
      await viewer.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
      await viewer.goto(`${stackContext().httpUrl}/dashboard/#/payments/${xssPaymentId}`);
      await expect
        .poll(() => viewer.locator('[data-field="description"]').textContent(), { timeout: 30_000 })
        .toBe(XSS);
      expect(await viewer.getByRole("alert").count()).toBe(0);
    } finally {
      await viewer.close();
    }
  }, 120_000);

  it("shows p50/p90/p99 per phase on the Timings page", async () => {
    await page.getByRole("link", { name: "Timings" }).click();
    const table = page.getByRole("region", { name: "Timing percentiles" });
    await expect.poll(() => table.locator("tbody tr").count(), { timeout: 120_000 }).toBe(4);
    for (const phase of ["request", "channel", "response", "total"]) {
      const cells = await table.locator(`tr[data-phase-row="${phase}"] td`).allTextContents();
      const values = cells.map((cell) => Number.parseFloat(cell));
      expect(values).toHaveLength(3);
      expect(values[0]).toBeLessThanOrEqual(values[1]!);
      expect(values[1]).toBeLessThanOrEqual(values[2]!);
    }
    await shot("timings");
  }, 180_000);

  it("works from the keyboard and at phone width", async () => {
    await page.goto(`${stackContext().httpUrl}/dashboard/#/overview`);
    await page.reload(); // a fresh document: focus starts at the top of the page
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor(); // still signed in (same tab)
    await page.keyboard.press("Tab");
    expect(await inPage("document.activeElement?.textContent")).toBe("Skip to content");
    for (const expected of ["Overview", "Batches"]) {
      await page.keyboard.press("Tab");
      expect(await inPage("document.activeElement?.textContent")).toBe(expected);
    }
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Batches", level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe("#/batches");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stackContext().httpUrl}/dashboard/#/batches/${batchId}`);
    await page.getByRole("heading", { name: `Batch ${batchId}` }).waitFor();
    // Nothing wider than the screen: wide tables scroll inside their own region.
    expect(await inPage<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await shot("batch-detail-phone");
    expect(problems).toEqual([]);
  }, 180_000);

  it("approves and rejects batches that require approval from their page, and shows the API's refusal", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const policy = await merchant.http.post("/v1/approval_policy", { batch_items_at_least: 1 });
    expect(policy.status).toBe(200);
    const payer = await merchant.http.post("/v1/api_keys", { role: "payer", name: "Payroll bot" });
    const payerCaller = merchant.http.withKey(payer.body.secret);
    const submit = async (amount: number) => {
      const created = await payerCaller.post("/v1/batches", {
        source,
        currency: "USD",
        items: [{ id: "emp-1", destination: payee, amount }],
      });
      expect(created.body.status).toBe("requires_approval");
      return created.body.id as string;
    };
    const toApprove = await submit(1_234);
    const toReject = await submit(4_321);
    const before = (await merchant.http.get(`/v1/accounts/${source}`)).body.balance as number;

    // The signed-in admin key did not create these batches: it may approve them.
    await page.goto(`${stackContext().httpUrl}/dashboard/#/batches/${toApprove}`);
    await page.getByRole("heading", { name: "Approval required" }).waitFor();
    expect(await page.locator(".approval p").first().textContent()).toContain("submitted by Payroll bot");
    await shot("batch-requires-approval");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect
      .poll(() => page.locator(".figures .badge").first().textContent(), { timeout: 60_000 })
      .toBe("completed");
    expect(await page.getByRole("heading", { name: "Approval required" }).count()).toBe(0);
    await page.getByText("approved by").waitFor();
    expect((await merchant.http.get(`/v1/accounts/${source}`)).body.balance).toBe(before - 1_234);

    await page.goto(`${stackContext().httpUrl}/dashboard/#/batches/${toReject}`);
    await page.getByRole("heading", { name: "Approval required" }).waitFor();
    await page.getByLabel("Reason for a rejection (optional)").fill("wrong month");
    await page.getByRole("button", { name: "Reject" }).click();
    await expect
      .poll(() => page.locator(".figures .badge").first().textContent(), { timeout: 30_000 })
      .toBe("canceled");
    await page.getByText(/rejected by .* \(wrong month\)/).waitFor();
    expect((await merchant.http.get(`/v1/batches/${toReject}`)).body.approval).toMatchObject({
      status: "rejected",
      reason: "wrong month",
    });

    // A batch the signed-in key made itself: the API refuses (maker-checker) and the page says so.
    const own = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "emp-1", destination: payee, amount: 1 }],
    });
    await page.goto(`${stackContext().httpUrl}/dashboard/#/batches/${own.body.id}`);
    await page.getByRole("button", { name: "Approve" }).click();
    await expect
      .poll(() => page.locator(".approval [role=alert]").textContent(), { timeout: 30_000 })
      .toContain("approver_is_creator");
    expect((await merchant.http.get(`/v1/batches/${own.body.id}`)).body.status).toBe("requires_approval");
    // Leave no policy behind for anything after this test.
    await merchant.http.post("/v1/approval_policy", {});
    expect(problems.filter((problem) => !/status of 403/.test(problem))).toEqual([]);
  }, 180_000);
});
