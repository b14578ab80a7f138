// The payrail CLI: submit batch files (CSV, JSON, ISO 20022 pain.001) and write reconciliation
// reports, through the typed client. `main` takes its I/O as arguments so tests can run it against
// a fake fetch or a live stack (PAYRAIL_URL); cli/run.ts is the command.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  type Batch,
  InvalidRequestError,
  Payrail,
  PayrailApiError,
  PayrailConnectionError,
  type WithResponse,
} from "../client/index.js";
import { DEFAULT_LANGUAGE, type Language, languageOption } from "../lib/i18n/language.js";
import { formatMinorUnits } from "./amounts.js";
import { type BatchFile, BatchFileError, totalsByCurrency } from "./batch-file.js";
import { listen, sessionSecret } from "./listen.js";
import { say } from "./messages.js";
import { type OutputStream, progressView } from "./progress.js";
import { type BatchPart, readBatchFile, resubmitKey, splitIntoParts } from "./read-batch-file.js";
import { reportHeader, reportRow } from "./report-csv.js";

export const USAGE = `payrail: submit payment batches and reconcile them

Usage:
  payrail batch submit <file> --source acct_… [--currency USD] [--at 2027-01-01T09:00:00Z]
                              [--description TEXT] [--no-wait] [--dry-run] [--resubmit]
  payrail batch report <bat_…> [--out results.csv] [--status pending|succeeded|failed]
  payrail batch approve <bat_…>     approve a batch that requires approval (with another key than
                                    the one that submitted it; role admin or approver)
  payrail batch reject <bat_…> [--reason TEXT]   reject (cancel) a batch that requires approval
  payrail refund <pay_…> [--amount MINOR_UNITS] [--reason duplicate|fraudulent|requested_by_customer]
                         [--idempotency-key KEY]
  payrail listen --forward-to http://localhost:4242/hooks [--events payment.*] [--secret whsec_…]
                 follows the event log and POSTs each event, signed, to a local server

Files:
  .csv   header id,destination,amount[,description][,currency][,holder_name][,bic];
         amount in minor units (cents) of the row's currency
  .json  [{id, destination, amount, description?}] or {"currency": "USD", "items": [...]}
  .xml   ISO 20022 pain.001: EndToEndId → id, InstdAmt@Ccy (major units) → amount,
         CdtrAcct/Id/Othr/Id or CdtrAcct/Id/IBAN → destination, Cdtr/Nm → holder,
         CdtrAgt/FinInstnId/BICFI → bic, RmtInf/Ustrd → description
  A destination is an account id (acct_…) or an IBAN (checked offline; the CLI opens a bank
  account for it, once). A file with any bad line is refused as a whole. Files over 10,000 items
  become several batches; re-running the same file submits nothing twice. The batch currency is
  --currency, else the source account's, else the file's; a row in another currency is a
  cross-currency item (its amount is in its own currency).

  --resubmit      when the batch this file created earlier failed or was canceled (say, for
                  insufficient funds, since topped up), submit it again as a new batch

Options:
  --lang LANG     en (default) or zh-CN (also zh, zh-Hans): the CLI's lines and the API's messages
  --api-key KEY   or PAYRAIL_API_KEY
  --url URL       or PAYRAIL_URL (default http://localhost:3000)
  -h, --help

Exit status: 0 done, 1 error, 2 a batch failed or was canceled, 3 some items failed, 64 usage.
`;

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: OutputStream;
  stderr: OutputStream;
  fetch?: typeof fetch;
  readFile?: (path: string) => Promise<Uint8Array>;
  writeFile?: (path: string, data: string) => Promise<void>;
  pollIntervalMs?: number;
  /** Retry pacing of the client (tests pass 1). */
  initialRetryDelayMs?: number;
}

class UsageError extends Error {}

/** The language of --lang (English without it); an unknown one is a usage error. */
function langOf(values: { lang?: string | undefined }): Language {
  if (values.lang === undefined) return DEFAULT_LANGUAGE;
  const language = languageOption(values.lang);
  if (!language) throw new UsageError(say(DEFAULT_LANGUAGE, "bad_lang"));
  return language;
}

const TERMINAL = new Set(["completed", "failed", "canceled"]);
/** Statuses in which a batch waits for a time or a person, not for the workers. */
const WAITING = new Set(["scheduled", "requires_approval"]);

export async function main(argv: string[], io: CliIo): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  const [group, command, target] = args.positionals;
  if (args.values.help || group === undefined) {
    io.stdout.write(USAGE);
    return 0;
  }
  let lang: Language = DEFAULT_LANGUAGE;
  try {
    lang = langOf(args.values);
    if (group === "listen") {
      const forwardTo = args.values["forward-to"];
      if (!forwardTo) throw new UsageError("listen: --forward-to URL is required");
      const apiKey = args.values["api-key"] ?? io.env.PAYRAIL_API_KEY;
      if (!apiKey) throw new UsageError(say(lang, "no_api_key"));
      return await listen({
        baseUrl: args.values.url ?? io.env.PAYRAIL_URL ?? "http://localhost:3000",
        apiKey,
        forwardTo,
        type: args.values.events,
        fetch: io.fetch ?? globalThis.fetch.bind(globalThis),
        write: (line) => io.stdout.write(line),
        pollIntervalMs: io.pollIntervalMs ?? 1_000,
        maxEvents: args.values["max-events"] === undefined ? undefined : Number(args.values["max-events"]),
        signal: undefined,
        secret: args.values.secret ?? sessionSecret(),
      });
    }
    if (group === "refund")
      return await withClient(args.values, io, (payrail) => refund(payrail, command, args.values, io));
    if (group === "batch" && (command === "approve" || command === "reject") && target)
      return await withClient(args.values, io, (payrail) =>
        decide(payrail, command, target, args.values, io),
      );
    if (group !== "batch" || (command !== "submit" && command !== "report") || !target) {
      throw new UsageError(say(lang, "unknown_command", { command: args.positionals.join(" ") }));
    }
    if (command === "submit" && args.values["dry-run"]) return await dryRun(target, args.values, io);
    return await withClient(args.values, io, (payrail) =>
      command === "submit"
        ? submit(payrail, target, args.values, io)
        : report(payrail, target, args.values, io),
    );
  } catch (error) {
    return fail(error, io, lang);
  }
}

function withClient(values: Values, io: CliIo, run: (payrail: Payrail) => Promise<number>): Promise<number> {
  const apiKey = values["api-key"] ?? io.env.PAYRAIL_API_KEY;
  if (!apiKey) throw new UsageError(say(langOf(values), "no_api_key"));
  const payrail = new Payrail({
    apiKey,
    language: langOf(values),
    baseUrl: values.url ?? io.env.PAYRAIL_URL ?? "http://localhost:3000",
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.initialRetryDelayMs === undefined ? {} : { initialRetryDelayMs: io.initialRetryDelayMs }),
  });
  return run(payrail);
}

const REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);

/** `payrail refund <pay_…>`: refunds the rest of a payment, or --amount minor units of it. */
async function refund(
  payrail: Payrail,
  paymentId: string | undefined,
  values: Values,
  io: CliIo,
): Promise<number> {
  if (!paymentId) throw new UsageError("refund: name the payment (pay_…)");
  let amount: number | undefined;
  if (values.amount !== undefined) {
    if (!/^[1-9]\d{0,12}$/.test(values.amount))
      throw new UsageError("--amount must be a positive integer number of minor units (cents)");
    amount = Number(values.amount);
  }
  const reason = values.reason;
  if (reason !== undefined && !REASONS.has(reason))
    throw new UsageError("--reason must be duplicate, fraudulent or requested_by_customer");
  const made = await payrail.refunds.create(
    {
      payment: paymentId,
      ...(amount === undefined ? {} : { amount }),
      ...(reason === undefined ? {} : { reason: reason as "duplicate" }),
    },
    values["idempotency-key"] ? { idempotencyKey: values["idempotency-key"] } : {},
  );
  io.stdout.write(
    `${made.id}\t${made.status}\t${made.currency} ${formatMinorUnits(made.amount, made.currency)}\t${made.payment}${made.lastResponse.idempotentReplayed ? `\t${say(langOf(values), "already_refunded")}` : ""}\n`,
  );
  return 0;
}

/**
 * `payrail batch approve|reject <bat_…>`: one decision on a batch that requires approval. Prints
 * the batch, its status and who decided; a batch not awaiting approval is the API's 409, said.
 */
async function decide(
  payrail: Payrail,
  command: "approve" | "reject",
  batchId: string,
  values: Values,
  io: CliIo,
): Promise<number> {
  const options = values["idempotency-key"] ? { idempotencyKey: values["idempotency-key"] } : {};
  const batch =
    command === "approve"
      ? await payrail.batches.approve(batchId, options)
      : await payrail.batches.reject(
          batchId,
          values.reason === undefined ? {} : { reason: values.reason },
          options,
        );
  const by = batch.approval?.decided_by;
  io.stdout.write(
    `${say(langOf(values), command === "approve" ? "batch_approved" : "batch_rejected", {
      batch: batch.id,
      status: batch.status,
      by: by ? (by.name ?? by.api_key) : "-",
    })}\n`,
  );
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: "string" },
      currency: { type: "string" },
      at: { type: "string" },
      description: { type: "string" },
      "no-wait": { type: "boolean" },
      "dry-run": { type: "boolean" },
      resubmit: { type: "boolean" },
      out: { type: "string" },
      status: { type: "string" },
      amount: { type: "string" },
      reason: { type: "string" },
      "idempotency-key": { type: "string" },
      lang: { type: "string" },
      "forward-to": { type: "string" },
      events: { type: "string" },
      secret: { type: "string" },
      "max-events": { type: "string" },
      "api-key": { type: "string" },
      url: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

type Values = ReturnType<typeof parse>["values"];

/** Reads and checks a batch file, and says what submitting it would send. */
async function plan(path: string, values: Values, io: CliIo, defaultCurrency?: string) {
  const bytes = await (io.readFile ?? readFile)(path);
  const lang = langOf(values);
  const { name, file, sha256 } = readBatchFile(path, bytes, {
    currency: values.currency,
    defaultCurrency,
    language: lang,
  });
  const parts = splitIntoParts(file, sha256);
  const totals = [...totalsByCurrency(file)]
    .filter(([code, total]) => total > 0 || code === file.currency)
    .map(([code, total]) => `${code} ${formatMinorUnits(total, code)}`)
    .join(" + ");
  const payees = file.payees?.size ? say(lang, "payees", { count: file.payees.size }) : "";
  const batches = parts.length === 1 ? "batch" : "batches";
  io.stderr.write(
    `${say(lang, "plan", { name, count: file.items.length, payees, totals, parts: parts.length, batches })}\n`,
  );
  return { name, file, sha256, parts };
}

/** --dry-run: check the file offline (no API key needed) and submit nothing. */
async function dryRun(path: string, values: Values, io: CliIo): Promise<number> {
  const { parts } = await plan(path, values, io);
  for (const part of parts)
    io.stdout.write(
      `part ${part.index + 1}/${part.count}\t${part.items.length} items\t${part.idempotencyKey}\n`,
    );
  return 0;
}

/**
 * Without --currency, the batch is in the source account's currency: the --source one, else the
 * one the file names (a pain.001 DbtrAcct), so a file whose first line pays EUR from a USD account
 * is a USD batch with a EUR item, not a EUR batch the API refuses.
 */
async function sourceCurrency(
  payrail: Payrail,
  path: string,
  values: Values,
  io: CliIo,
): Promise<string | undefined> {
  let source = values.source;
  if (!source) {
    const bytes = await (io.readFile ?? readFile)(path);
    source = readBatchFile(path, bytes, { language: langOf(values) }).file.source;
  }
  return source ? (await payrail.accounts.retrieve(source)).currency : undefined;
}

const ENDED_UNPAID = new Set(["failed", "canceled"]);

async function submit(payrail: Payrail, path: string, values: Values, io: CliIo): Promise<number> {
  const defaultCurrency = values.currency ? undefined : await sourceCurrency(payrail, path, values, io);
  const { name, file, sha256, parts } = await plan(path, values, io, defaultCurrency);
  const source = values.source ?? file.source;
  const lang = langOf(values);
  if (!source) throw new UsageError(say(lang, "no_source"));
  await openPayeeAccounts(payrail, file, sha256);

  const create = async (part: BatchPart, idempotencyKey: string) => {
    try {
      return await payrail.batches.create(
        {
          source,
          currency: file.currency,
          items: part.items,
          ...(values.at ? { scheduled_at: values.at } : {}),
          ...(values.description ? { description: values.description } : {}),
          // Only what the file's bytes determine: a renamed copy of the file replays, not 422s.
          metadata: { part: `${part.index + 1}/${part.count}`, file_sha256: sha256 },
        },
        { idempotencyKey },
      );
    } catch (error) {
      throw withFileLines(error, name, part);
    }
  };

  const batches: Batch[] = [];
  const unpaid: Batch[] = [];
  for (const part of parts) {
    let batch: Batch = await create(part, part.idempotencyKey);
    let replayed = (batch as WithResponse<Batch>).lastResponse.idempotentReplayed;
    // A replay answers the batch as it was when first submitted; how did it end?
    while (replayed) {
      batch = await payrail.batches.retrieve(batch.id);
      if (!ENDED_UNPAID.has(batch.status)) break;
      const ended = say(lang, "ended", {
        batch: batch.id,
        status: batch.status,
        failure: batch.failure_code ? ` (${batch.failure_code})` : "",
      });
      if (!values.resubmit) {
        io.stderr.write(`${say(lang, "not_resubmitted", { ended })}\n`);
        break;
      }
      const again = await create(part, resubmitKey(part, batch.id));
      replayed = again.lastResponse.idempotentReplayed;
      io.stderr.write(
        `${say(lang, replayed ? "already_resubmitted" : "resubmitted", { ended, batch: again.id })}\n`,
      );
      batch = again;
    }
    if (ENDED_UNPAID.has(batch.status)) {
      unpaid.push(batch);
      continue;
    }
    io.stderr.write(
      `${say(lang, "batch_started", {
        batch: batch.id,
        status: batch.status,
        count: part.items.length,
        part: part.index + 1,
        parts: part.count,
        replayed: replayed ? say(lang, "already_submitted") : "",
      })}\n`,
    );
    batches.push(batch);
  }

  // Scheduled batches and batches awaiting another key's approval will not move while we watch.
  for (const batch of batches)
    if (batch.status === "requires_approval")
      io.stderr.write(`${say(lang, "awaiting_approval", { batch: batch.id })}\n`);
  if (values["no-wait"] || (batches.length > 0 && batches.every((b) => WAITING.has(b.status)))) {
    for (const batch of [...unpaid, ...batches]) io.stdout.write(`${batch.id}\t${batch.status}\n`);
    return unpaid.length > 0 ? 2 : 0;
  }
  const finished = [
    ...unpaid,
    ...(await Promise.all(batches.map((batch) => follow(payrail, batch, io, lang)))),
  ];
  let exit = 0;
  for (const batch of finished) {
    io.stdout.write(
      `${say(lang, "batch_result", {
        batch: batch.id,
        status: batch.status,
        succeeded: batch.counts.succeeded,
        currency: batch.currency,
        amount: formatMinorUnits(batch.amounts.succeeded, batch.currency),
        failed: batch.counts.failed,
        failure: batch.failure_code ? ` (${batch.failure_code})` : "",
      })}\n`,
    );
    if (batch.status !== "completed") exit = Math.max(exit, 2);
    else if (batch.counts.failed > 0 && exit === 0) exit = 3;
  }
  if (exit === 3) io.stderr.write(`${say(lang, "items_failed")}\n`);
  return exit;
}

/**
 * Opens the bank account of each IBAN item and makes it the item's destination. The key is derived
 * from the file and the payee, so re-running the file opens nothing twice (within the API's 48 h
 * idempotency window) and one payee named on several lines gets one account.
 */
async function openPayeeAccounts(payrail: Payrail, file: BatchFile, sha256: string): Promise<void> {
  const opened = new Map<string, string>();
  for (const [index, payee] of file.payees ?? []) {
    const identity = createHash("sha256")
      .update(JSON.stringify([payee.iban, payee.currency, payee.bic ?? "", payee.holderName ?? ""]))
      .digest("hex");
    let id = opened.get(identity);
    if (!id) {
      const account = await payrail.accounts.create(
        {
          currency: payee.currency,
          type: "bank",
          bank: {
            iban: payee.iban,
            ...(payee.bic ? { bic: payee.bic } : {}),
            ...(payee.holderName ? { holder_name: payee.holderName } : {}),
          },
        },
        { idempotencyKey: `payrail-cli-${sha256.slice(0, 32)}-payee-${identity.slice(0, 32)}` },
      );
      id = account.id;
      opened.set(identity, id);
    }
    const item = file.items[index];
    if (item) item.destination = id;
  }
}

/** Polls a batch until it reaches a terminal status, showing progress. */
async function follow(payrail: Payrail, first: Batch, io: CliIo, lang: Language): Promise<Batch> {
  const view = progressView(first.id, first.counts.total, io.stderr, (batch, status, done, total) =>
    say(lang, "progress", { batch, status, done, total }),
  );
  let batch = first;
  try {
    for (;;) {
      view.update(batch.counts.succeeded + batch.counts.failed, batch.status);
      if (TERMINAL.has(batch.status) || batch.status === "requires_approval") return batch;
      await new Promise((resolve) => setTimeout(resolve, io.pollIntervalMs ?? 1_000));
      batch = await payrail.batches.retrieve(batch.id);
    }
  } finally {
    view.stop();
  }
}

async function report(payrail: Payrail, batchId: string, values: Values, io: CliIo): Promise<number> {
  const status = values.status as "pending" | "succeeded" | "failed" | undefined;
  const lines = [reportHeader()];
  const counts: Record<string, number> = {};
  for await (const item of payrail.batches.listItems(batchId, {
    limit: 100,
    ...(status ? { status } : {}),
  })) {
    lines.push(reportRow(item));
    counts[item.status] = (counts[item.status] ?? 0) + 1;
  }
  const csv = `${lines.join("\n")}\n`;
  if (values.out) {
    await (io.writeFile ?? ((path, data) => writeFile(path, data)))(values.out, csv);
    const summary = Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(", ");
    io.stderr.write(
      `${say(langOf(values), "report_written", { file: values.out, count: lines.length - 1, counts: summary })}\n`,
    );
  } else {
    io.stdout.write(csv);
  }
  return 0;
}

/** Field errors of a refused batch point at `items[i]`: name the file line instead. */
function withFileLines(error: unknown, name: string, part: BatchPart): unknown {
  if (!(error instanceof InvalidRequestError) || error.errors.length === 0) return error;
  const problems = error.errors.map((e) => {
    const match = /^items\[(\d+)\](.*)$/.exec(e.param);
    const line = match ? part.lines[Number(match[1])] : undefined;
    return line === undefined
      ? { line: 0, message: `${e.param}: ${e.message}` }
      : { line, message: `${e.code}: ${e.message}` };
  });
  return new BatchFileError(name, problems);
}

function fail(error: unknown, io: CliIo, lang: Language): number {
  if (error instanceof UsageError) {
    io.stderr.write(`${error.message}\n\n${say(lang, "usage_hint")}\n`);
    return 64;
  }
  if (error instanceof BatchFileError) {
    io.stderr.write(`${error.message}\n${say(lang, "refused", { file: error.file })}\n`);
    return 1;
  }
  if (error instanceof PayrailApiError) {
    const hint = error.code === "idempotency_key_reused" ? say(lang, "reused_hint") : "";
    const message = `${error.status} ${error.code}: ${error.message}${hint}${error.requestId ? ` [${error.requestId}]` : ""}`;
    io.stderr.write(`${say(lang, "error", { message })}\n`);
    return 1;
  }
  if (error instanceof PayrailConnectionError) {
    io.stderr.write(`${say(lang, "error", { message: error.message })}\n`);
    return 1;
  }
  const code = (error as { code?: string }).code;
  if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
    io.stderr.write(`${say(lang, "error", { message: (error as Error).message })}\n`);
    return 1;
  }
  throw error;
}
