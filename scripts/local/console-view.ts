// Owns what `npm start` shows a person by default: everything the stack prints goes to a log file,
// and the terminal gets one line per API request (method, route, status, duration, request id) and
// one per handler error, made from the handlers' own structured log lines. serverless-offline's
// route box, the metric (EMF) lines and the startup probe stay in the file. `--verbose` bypasses this.
import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";

/** The fields of the handlers' per-request log line (lib/http/response-headers.ts). */
interface RequestLog {
  level?: string;
  message?: string;
  requestId?: string;
  route?: string;
  status?: number;
  timing?: Record<string, number>;
  error?: { message?: string } | string;
}

function parsed(line: string): RequestLog | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as RequestLog;
  } catch {
    return undefined;
  }
}

/** The terminal line for one line of stack output, or undefined to leave it in the log file only. */
export function conciseLine(line: string): string | undefined {
  const log = parsed(line.trim());
  if (!log) return undefined;
  if (log.message === "request" && log.route && log.status !== undefined) {
    const ms = Object.values(log.timing ?? {}).reduce((sum, phase) => sum + phase, 0);
    return `${log.route.padEnd(32)} ${log.status}  ${ms.toFixed(0).padStart(5)} ms  ${log.requestId ?? ""}`;
  }
  if (log.level === "ERROR") {
    const detail = typeof log.error === "string" ? log.error : log.error?.message;
    return `error: ${log.message ?? ""}${detail ? `: ${detail}` : ""}${log.requestId ? `  ${log.requestId}` : ""}`;
  }
  return undefined;
}

export interface ConsoleView {
  /** Give this to startStack as `output`. */
  output: Writable;
  /** Start showing request lines (after the demo block, so the seed's own calls stay quiet). */
  showRequests(): void;
  close(): Promise<void>;
}

export function consoleView(logFile: string, terminal: NodeJS.WritableStream): ConsoleView {
  const file = createWriteStream(logFile, { flags: "w" });
  let live = false;
  let pending = "";
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      file.write(chunk);
      const text = pending + chunk.toString();
      const lines = text.split("\n");
      pending = lines.pop() ?? "";
      if (live) {
        for (const line of lines) {
          const shown = conciseLine(line);
          if (shown !== undefined) terminal.write(`${shown}\n`);
        }
      }
      done();
    },
  });
  return {
    output,
    showRequests() {
      live = true;
    },
    close: () => new Promise((resolve) => file.end(resolve)),
  };
}
