// The Jepsen-style bank workload: many clients move money between a fixed set of wallets with
// timeouts, retries that reuse the Idempotency-Key and deliberate duplicate submissions; afterwards
// the ledger is checked against what every client was told.

import type { TestMerchant } from "./fixtures.js";
import type { HttpAnswer } from "./http.js";

export interface WorkloadOptions {
  wallets: string[];
  /** Bank accounts paid out to now and then (the rail channel), besides wallet-to-wallet payments. */
  banks?: string[];
  clients: number;
  operationsPerClient: number;
  /** Client-side timeout after which a request is abandoned and retried with the same key. */
  timeoutMs: number;
  maxAmount: number;
  seed: number;
  /**
   * Each wallet's currency, for a cross-currency run: every payment names its source's currency
   * and `convert: true`, so payments between currencies convert at the current rate.
   */
  currencies?: Readonly<Record<string, string>>;
}

export interface WorkloadOutcome {
  /** Final answer per Idempotency-Key (the status and payment id the client settled on). */
  answers: Map<string, { status: number; paymentId: string | undefined }>;
  attempts: number;
  timeouts: number;
  duplicates: number;
  unexpected: HttpAnswer[];
  /** Keys whose request never got a final answer (e.g. 409 while a silent rail holds it). */
  unanswered: Map<string, unknown>;
}

/** Deterministic PRNG (mulberry32) so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runBankWorkload(
  merchant: TestMerchant,
  options: WorkloadOptions,
): Promise<WorkloadOutcome> {
  const outcome: WorkloadOutcome = {
    answers: new Map(),
    attempts: 0,
    timeouts: 0,
    duplicates: 0,
    unexpected: [],
    unanswered: new Map(),
  };
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      const random = prng(options.seed + client);
      for (let op = 0; op < options.operationsPerClient; op++) {
        const from = Math.floor(random() * options.wallets.length);
        let to = Math.floor(random() * (options.wallets.length - 1));
        if (to >= from) to++;
        const banks = options.banks ?? [];
        const payout = banks.length > 0 && random() < 0.15;
        const source = options.wallets[from] as string;
        const body = {
          source,
          destination: payout ? banks[Math.floor(random() * banks.length)] : options.wallets[to],
          amount: 1 + Math.floor(random() * options.maxAmount),
          currency: options.currencies?.[source] ?? "USD",
          ...(options.currencies ? { convert: true } : {}),
        };
        const key = `wl-${options.seed}-${client}-${op}`;
        // Some requests are sent twice on purpose, as a double-clicking client would.
        const sends = random() < 0.1 ? 2 : 1;
        if (sends === 2) outcome.duplicates++;
        for (let send = 0; send < sends; send++) {
          // A short timeout on some first attempts abandons requests mid-flight; retries wait longer.
          const firstTimeout = random() < 0.2 ? options.timeoutMs : 30_000;
          if (await sendUntilAnswered(merchant, body, key, outcome, firstTimeout))
            outcome.unanswered.delete(key);
          else outcome.unanswered.set(key, body);
        }
      }
    }),
  );
  return outcome;
}

/** Sends one payment, retrying with the same key through timeouts, 409s and 503s; true once answered. */
async function sendUntilAnswered(
  merchant: TestMerchant,
  body: unknown,
  key: string,
  outcome: WorkloadOutcome,
  firstTimeoutMs: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    outcome.attempts++;
    let answer: HttpAnswer;
    try {
      answer = await merchant.http.post("/v1/payments", body, {
        headers: { "idempotency-key": key },
        timeoutMs: attempt === 0 ? firstTimeoutMs : 30_000,
      });
    } catch {
      outcome.timeouts++;
      continue;
    }
    if (answer.status === 409 || answer.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(20 * 1.5 ** attempt, 500)));
      continue;
    }
    if (answer.status === 201 || answer.status === 202 || answer.status === 402) {
      const paymentId = answer.status === 402 ? answer.body.error.payment?.id : answer.body.id;
      const previous = outcome.answers.get(key);
      if (previous && previous.paymentId !== paymentId) outcome.unexpected.push(answer);
      outcome.answers.set(key, { status: answer.status, paymentId });
    } else {
      outcome.unexpected.push(answer);
    }
    return true;
  }
  return false;
}

/** Asks again, as a patient client would, for every key that had no final answer yet. */
export async function settleUnanswered(merchant: TestMerchant, outcome: WorkloadOutcome): Promise<void> {
  for (const [key, body] of [...outcome.unanswered]) {
    if (await sendUntilAnswered(merchant, body, key, outcome, 30_000)) outcome.unanswered.delete(key);
  }
}
