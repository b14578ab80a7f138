import { describe, expect, it } from "vitest";
import { httpWebhookSender } from "../../../lib/webhooks/http-sender.js";
import { isPublicAddress, publicOnlyLookup } from "../../../lib/webhooks/ssrf.js";

describe("live-mode address rule", () => {
  it("refuses private, loopback, link-local, CGNAT, multicast and mapped private addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "fc12::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "64:ff9b::a00:1",
      "not-an-ip",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it("accepts public unicast addresses", () => {
    for (const address of [
      "93.184.216.34",
      "8.8.8.8",
      "172.32.0.1",
      "2606:4700:4700::1111",
      "::ffff:8.8.8.8",
    ]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("refuses a host whose DNS answer is loopback, inside the socket's own lookup", async () => {
    const error = await new Promise<Error | null>((resolve) =>
      publicOnlyLookup("localhost", {}, (failure) => resolve(failure)),
    );
    expect(error?.name).toBe("ForbiddenAddressError");
  });

  it("sends nothing to 127.0.0.1 in live mode, and reports why", async () => {
    const outcome = await httpWebhookSender({
      url: "http://127.0.0.1:9/hook",
      body: "{}",
      headers: {},
      timeoutMs: 2_000,
      publicOnly: true,
    });
    expect(outcome).toMatchObject({ statusCode: null, error: "EFORBIDDENADDRESS" });
  });
});
