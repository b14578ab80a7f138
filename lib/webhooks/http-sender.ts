// Owns sending one webhook POST: a bounded time (10 s by default), no redirects followed (a 3xx is
// an answer, and not a 2xx), the response body read at most 64 KiB and then dropped, and in live
// mode only public addresses (ssrf.ts), IP literals included. The sender port lets tests and the CLI use it as it is.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { isPublicAddress, publicOnlyLookup } from "./ssrf.js";

export interface PostOutcome {
  /** The receiver's status; null when none came (timeout, refused, forbidden address). */
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface WebhookPost {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Live mode: refuse private, loopback and link-local addresses after DNS resolution. */
  publicOnly: boolean;
}

export type WebhookSender = (post: WebhookPost) => Promise<PostOutcome>;

const MAX_RESPONSE_BYTES = 64 * 1024;

export const httpWebhookSender: WebhookSender = (post) =>
  new Promise((resolve) => {
    const started = performance.now();
    const url = new URL(post.url);
    // Node skips `lookup` for an IP literal, so a literal is judged here, before any socket exists.
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    if (post.publicOnly && isIP(literal) !== 0 && !isPublicAddress(literal)) {
      resolve({ statusCode: null, durationMs: 0, error: "EFORBIDDENADDRESS" });
      return;
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, durationMs: Math.round(performance.now() - started), error });
    };
    const req = send(
      url,
      {
        method: "POST",
        headers: { ...post.headers, "content-length": String(Buffer.byteLength(post.body)) },
        ...(post.publicOnly ? { lookup: publicOnlyLookup } : {}),
      },
      (res) => {
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on("end", () => finish(res.statusCode ?? null, null));
        res.on("close", () => finish(res.statusCode ?? null, null));
        res.on("error", () => finish(res.statusCode ?? null, null));
      },
    );
    // One deadline for the whole attempt: connect, send, and the receiver's answer.
    const timer = setTimeout(() => {
      req.destroy();
      finish(null, `timed out after ${post.timeoutMs} ms`);
    }, post.timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => finish(null, error.code ?? error.message));
    req.end(post.body);
  });
