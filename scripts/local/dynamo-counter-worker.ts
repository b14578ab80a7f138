// The counting pass-through's server, run in a worker thread of whoever starts the stack (see
// dynamo-counter.ts). It has its own event loop, so the handlers' DynamoDB requests never wait
// behind the load generator or the test runner that share the process. Only erasable TypeScript
// and node: imports here: the worker is loaded by Node itself (type stripping) or by tsx.
// With conflict emulation on (the default), it also answers as AWS does when a request touches an
// item an in-flight transaction holds (conflict-emulator.ts); DynamoDB Local alone never would.
import { randomBytes } from "node:crypto";
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { crc32 } from "node:zlib";
import type { KeySchema } from "./conflict-emulator.js";

type Emulator = typeof import("./conflict-emulator.js");
// A computed specifier: Node's type stripping needs the .ts name, the type checker the .js one.
const emulator = (await import(new URL("./conflict-emulator.ts", import.meta.url).href)) as Emulator;

interface Counts {
  total: number;
  operations: Record<string, number>;
  /** Requests answered with TransactionCanceledException/TransactionConflictException, by operation. */
  conflicts: Record<string, number>;
}

const { target, port, conflicts } = workerData as { target: string; port: number; conflicts: boolean };
const upstream = new URL(target);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
let emulating = conflicts;
const rules = new emulator.ConflictEmulator();
let counts: Counts = { total: 0, operations: {}, conflicts: rules.answered };
const schemas = new Map<string, KeySchema>();

/** Sends one request to DynamoDB Local; `body` undefined means "pipe `req`". */
function forward(
  req: IncomingMessage,
  headers: IncomingHttpHeaders,
  body: Buffer | undefined,
  onAnswer: (answer: IncomingMessage) => void,
  onError: () => void,
): void {
  const outgoing = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
    onAnswer,
  );
  outgoing.on("error", onError);
  if (body === undefined) req.pipe(outgoing);
  else outgoing.end(body);
}

/** Learns a table's key schema from DynamoDB Local (DescribeTable), with the caller's credentials. */
function describeTable(table: string, req: IncomingMessage): Promise<void> {
  const body = Buffer.from(JSON.stringify({ TableName: table }));
  const headers = {
    host: req.headers.host,
    authorization: req.headers.authorization,
    "x-amz-date": req.headers["x-amz-date"],
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "DynamoDB_20120810.DescribeTable",
    "content-length": String(body.length),
  };
  return new Promise((resolve) => {
    forward(
      req,
      headers,
      body,
      (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (part: Buffer) => parts.push(part));
        answer.on("end", () => {
          try {
            const schema = emulator.keySchemaOf(JSON.parse(Buffer.concat(parts).toString("utf8")));
            if (schema) schemas.set(table, schema);
          } catch {
            // Not JSON: the table stays unknown and its items are never held.
          }
          resolve();
        });
      },
      () => resolve(),
    );
  });
}

function sendAnswer(res: ServerResponse, answer: { status: number; body: unknown }): void {
  const body = Buffer.from(JSON.stringify(answer.body));
  res
    .writeHead(answer.status, {
      "content-type": "application/x-amz-json-1.0",
      "content-length": String(body.length),
      "x-amzn-requestid": randomBytes(26).toString("hex").toUpperCase(),
      "x-amz-crc32": String(crc32(body)),
    })
    .end(body);
}

function relay(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | undefined,
  release = () => {},
): void {
  forward(
    req,
    req.headers,
    body,
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // Held items stay held until DynamoDB Local has answered in full: the transaction's duration.
      answer.on("end", release);
      answer.on("close", release);
      answer.pipe(res);
    },
    () => {
      release();
      if (!res.headersSent) res.writeHead(502);
      res.end();
    },
  );
}

async function emulate(req: IncomingMessage, res: ServerResponse, operation: string): Promise<void> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const body = Buffer.concat(parts);
  let request: Record<string, unknown> = {};
  try {
    request = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  } catch {
    // Malformed: nothing to hold, DynamoDB Local answers it itself.
  }
  const unknownTables = emulator.tablesOf(operation, request).filter((table) => !schemas.has(table));
  await Promise.all(unknownTables.map((table) => describeTable(table, req)));
  // Synchronous from the check to the hold: no other request can slip in between.
  const current = rules;
  const decision = current.decide(operation, request, schemas);
  if ("answer" in decision) {
    sendAnswer(res, decision.answer);
    return;
  }
  let released = false;
  relay(req, res, body, () => {
    if (released) return;
    released = true;
    current.release(decision.hold);
  });
}

const server = createServer((req, res) => {
  if (req.url === "/__payrail/counts" && req.method === "GET") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(counts));
    return;
  }
  if (req.url === "/__payrail/counts/reset" && req.method === "POST") {
    counts = { total: 0, operations: {}, conflicts: {} };
    for (const operation of Object.keys(rules.answered)) delete rules.answered[operation];
    counts.conflicts = rules.answered;
    res.writeHead(204).end();
    return;
  }
  // The switch for raw floors: POST /__payrail/conflicts/off turns the emulation off, /on back on.
  if (
    (req.url === "/__payrail/conflicts/off" || req.url === "/__payrail/conflicts/on") &&
    req.method === "POST"
  ) {
    emulating = req.url.endsWith("/on");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ emulating }));
    return;
  }
  // X-Amz-Target is `DynamoDB_20120810.TransactWriteItems`: count by operation.
  const operation =
    String(req.headers["x-amz-target"] ?? "unknown")
      .split(".")
      .pop() ?? "unknown";
  // The webhook pipeline's reads and writes are not on any request's path (lib/aws/clients.ts):
  // forwarded like every request, left out of what a request is counted to cost.
  const agent = `${req.headers["user-agent"] ?? ""} ${req.headers["x-amz-user-agent"] ?? ""}`;
  if (!agent.includes("payrail-background")) {
    counts.total++;
    counts.operations[operation] = (counts.operations[operation] ?? 0) + 1;
  }
  if (emulating && emulator.EMULATED_OPERATIONS.has(operation)) {
    emulate(req, res, operation).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    return;
  }
  relay(req, res, undefined);
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  parentPort?.postMessage({ port: (server.address() as AddressInfo).port });
});
parentPort?.on("message", (message: unknown) => {
  if (message !== "stop") return;
  server.closeAllConnections();
  server.close(() => {
    agent.destroy();
    parentPort?.close();
  });
});
