// A fake bank rail: an HTTP server on 127.0.0.1 that keeps the wire contract of docs/bank-rail.md
// the way a real rail would: it refuses unsigned or stale requests (401), pays each reference at
// most once and answers a repeated send with its first decision, and answers status queries from
// its own books (404 for a reference it never received). What it decides is set per account number
// by the test, through an unsigned control route a real rail does not have:
//   POST /_fake/behaviour {account_number, behaviour: accept | decline | hang}
//   GET  /_fake/payouts/{reference}   what the rail received (401s counted in `refused`), and
//                                     whether a return of it is reported or was acknowledged
//   POST /_fake/returns {reference, return_code, unchecked?}   the receiving bank sends an accepted
//                                     payout back (`unchecked`: one the rail never paid)
// `hang` records the payout as accepted (the rail acted) but answers nothing for `hangMs`, and
// answers no status query for that account either: a rail whose answers are lost.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeRailBehaviour = "accept" | "decline" | "hang";

export interface FakePayout {
  reference: string;
  amount: number;
  currency: string;
  account_number: string;
  routing_number: string;
  status: "accepted" | "declined";
  /** Sends received for this reference (a repeated send is answered, not paid again). */
  sends: number;
}

export interface FakeRail {
  url: string;
  payouts: Map<string, FakePayout>;
  /** Requests refused for a missing, wrong or stale signature. */
  refused: number;
  /** Returns reported to payrail and not yet acknowledged, by reference. */
  returns: Map<string, { return_code: string; returned_at: number }>;
  /** References payrail acknowledged (a return applied in its ledger). */
  acknowledged: string[];
  setBehaviour(accountNumber: string, behaviour: FakeRailBehaviour): void;
  stop(): Promise<void>;
}

const MAX_SKEW_SECONDS = 300;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export async function startFakeRail(options: { signingSecret: string; hangMs?: number }): Promise<FakeRail> {
  const behaviours = new Map<string, FakeRailBehaviour>();
  const payouts = new Map<string, FakePayout>();
  const returns = new Map<string, { return_code: string; returned_at: number }>();
  const acknowledged: string[] = [];
  const hangMs = options.hangMs ?? 60_000;
  const hanging = new Set<ServerResponse>();
  const rail = { refused: 0 } as FakeRail;

  const signedCorrectly = (request: IncomingMessage, path: string, body: string): boolean => {
    const timestamp = String(request.headers["payrail-timestamp"] ?? "");
    const signature = String(request.headers["payrail-signature"] ?? "");
    if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
      return false;
    const expected = `v1=${createHmac("sha256", options.signingSecret).update(`${timestamp}.${request.method}.${path}.${body}`).digest("hex")}`;
    return (
      signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
    );
  };

  const hang = (response: ServerResponse, answer: () => void) => {
    hanging.add(response);
    const timer = setTimeout(() => {
      hanging.delete(response);
      answer();
    }, hangMs);
    response.on("close", () => {
      clearTimeout(timer);
      hanging.delete(response);
    });
  };

  const server = createServer(async (request, response) => {
    const path = request.url ?? "/";
    const body = await readBody(request);
    if (path === "/_fake/behaviour" && request.method === "POST") {
      const { account_number, behaviour } = JSON.parse(body);
      behaviours.set(account_number, behaviour);
      return send(response, 200, { ok: true });
    }
    if (path.startsWith("/_fake/payouts/") && request.method === "GET") {
      const reference = decodeURIComponent(path.slice("/_fake/payouts/".length));
      const payout = payouts.get(reference);
      return send(response, payout ? 200 : 404, {
        payout: payout ?? null,
        refused: rail.refused,
        return_reported: returns.has(reference),
        return_acknowledged: acknowledged.includes(reference),
      });
    }
    if (path === "/_fake/returns" && request.method === "POST") {
      // `unchecked`: report a return of a reference the rail never paid (a faulty rail).
      const { reference, return_code, unchecked } = JSON.parse(body);
      if (!unchecked && payouts.get(reference)?.status !== "accepted")
        return send(response, 409, { error: "not accepted" });
      returns.set(reference, { return_code, returned_at: Math.floor(Date.now() / 1000) });
      return send(response, 200, { ok: true });
    }
    if (!signedCorrectly(request, path, body)) {
      rail.refused++;
      return send(response, 401, { error: "bad signature" });
    }
    if (path === "/v1/payouts" && request.method === "POST") {
      const order = JSON.parse(body);
      const behaviour = behaviours.get(order.account_number) ?? "accept";
      let payout = payouts.get(order.reference);
      if (payout) payout.sends++;
      else {
        payout = {
          ...order,
          status: behaviour === "decline" ? "declined" : "accepted",
          sends: 1,
        } as FakePayout;
        payouts.set(order.reference, payout);
      }
      const decided = { reference: payout.reference, status: payout.status };
      if (behaviour === "hang") return hang(response, () => send(response, 200, decided));
      return send(response, 200, decided);
    }
    if (path.startsWith("/v1/payouts/") && request.method === "GET") {
      const reference = decodeURIComponent(path.slice("/v1/payouts/".length));
      const payout = payouts.get(reference);
      if (!payout) return send(response, 404, { error: "no such payout" });
      const decided = { reference, status: payout.status };
      if (behaviours.get(payout.account_number) === "hang")
        return hang(response, () => send(response, 200, decided));
      return send(response, 200, decided);
    }
    if (path.startsWith("/v1/returns?") && request.method === "GET") {
      const limit = Number(new URL(path, "http://rail").searchParams.get("limit") ?? "100");
      const data = [...returns.entries()]
        .slice(0, limit)
        .map(([reference, entry]) => ({ reference, ...entry }));
      return send(response, 200, { data });
    }
    const acknowledgement = /^\/v1\/returns\/([^/]+)\/acknowledge$/.exec(path);
    if (acknowledgement && request.method === "POST") {
      const reference = decodeURIComponent(acknowledgement[1] as string);
      if (!returns.delete(reference)) return send(response, 404, { error: "no such return" });
      acknowledged.push(reference);
      return send(response, 200, { reference, acknowledged: true });
    }
    return send(response, 404, { error: "no such route" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(rail, {
    url: `http://127.0.0.1:${port}`,
    payouts,
    returns,
    acknowledged,
    setBehaviour: (accountNumber: string, behaviour: FakeRailBehaviour) =>
      behaviours.set(accountNumber, behaviour),
    stop: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
