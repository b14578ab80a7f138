// A payment: its fields (every value as text) and the Server-Timing of the API's answer as a stacked
// bar (T = T_request + T_channel + T_response).
import { ErrorNote, Loading, StatusBadge } from "../components/Notes.js";
import { TimingBar } from "../components/TimingBar.js";
import { formatMoney, formatTime } from "../format.js";
import { useLoad } from "../hooks.js";
import type { Payrail } from "../payrail.js";
import { href } from "../router.js";
import { parseServerTiming } from "../server-timing.js";

export function PaymentDetail({ client, paymentId }: { client: Payrail; paymentId: string }) {
  const payment = useLoad(async () => {
    const found = await client.payments.retrieve(paymentId);
    return { payment: found, timings: parseServerTiming(found.lastResponse.headers.get("server-timing")) };
  }, [client, paymentId]);
  const p = payment.data?.payment;
  return (
    <>
      <p class="crumbs">
        <a href={href("payments")}>Payments</a> / <span class="mono">{paymentId}</span>
      </p>
      <h1>
        Payment <span class="mono">{paymentId}</span>
      </h1>
      <ErrorNote error={payment.error} />
      {!p ? (
        !payment.error && <Loading what="the payment" />
      ) : (
        <>
          <dl class="fields">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={p.status} />
            </dd>
            <dt>Amount</dt>
            <dd>{formatMoney(p.amount, p.currency)}</dd>
            <dt>Refunded</dt>
            <dd>{formatMoney(p.amount_refunded, p.currency)}</dd>
            <dt>Source</dt>
            <dd class="mono">{p.source}</dd>
            <dt>Destination</dt>
            <dd class="mono">{p.destination}</dd>
            <dt>Channel</dt>
            <dd>{p.channel ?? "—"}</dd>
            <dt>Failure code</dt>
            <dd class="mono">{p.failure_code ?? "—"}</dd>
            <dt>Description</dt>
            <dd class="description" data-field="description">
              {p.description ?? "—"}
            </dd>
            <dt>Batch</dt>
            <dd>
              {p.batch ? (
                <a href={href("batches", p.batch)} class="mono">
                  {p.batch}
                </a>
              ) : (
                "—"
              )}
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(p.created_at)}</dd>
            {Object.entries(p.metadata).map(([name, value]) => (
              <>
                <dt key={`k-${name}`}>metadata.{name}</dt>
                <dd key={`v-${name}`}>{value}</dd>
              </>
            ))}
          </dl>
          <section aria-labelledby="timing-title">
            <h2 id="timing-title">Where the time went</h2>
            <p class="help">
              Server-Timing of the API's answer for this payment: request (parse, auth, validation), channel
              (the ledger or rail), response (shaping the answer).
            </p>
            {payment.data?.timings ? (
              <TimingBar timings={payment.data.timings} label={`Server-Timing of ${paymentId}`} />
            ) : (
              <p>The answer carried no Server-Timing header.</p>
            )}
          </section>
        </>
      )}
    </>
  );
}
