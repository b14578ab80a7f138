import { describe, expect, it } from "vitest";
import { balanceOf, newMerchant, openWallet } from "../support/fixtures.js";

describe("concurrency", () => {
  it("50 concurrent payments draining one wallet never overdraw it and conserve the total", async () => {
    const merchant = await newMerchant("concurrency");
    const source = await openWallet(merchant, "USD", 1_000);
    const destinations = await Promise.all(Array.from({ length: 5 }, () => openWallet(merchant, "USD")));
    // 50 payments of 30 want 1,500 from a wallet holding 1,000: exactly 33 can succeed.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        merchant.http.post("/v1/payments", {
          source,
          destination: destinations[i % 5],
          amount: 30,
          currency: "USD",
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 201 && s !== 402)).toEqual([]);
    const succeeded = statuses.filter((s) => s === 201).length;
    expect(succeeded).toBe(33);
    const declined = answers.filter((a) => a.status === 402);
    expect(declined.every((a) => a.body.error.code === "insufficient_funds")).toBe(true);
    const sourceBalance = await balanceOf(merchant, source);
    expect(sourceBalance).toBe(1_000 - 33 * 30);
    const destinationTotal = (await Promise.all(destinations.map((d) => balanceOf(merchant, d)))).reduce(
      (a, b) => a + b,
      0,
    );
    expect(sourceBalance + destinationTotal).toBe(1_000);
  });
});
