// A payment: its fields (every value as text), the Server-Timing of the API's answer as a stacked
// bar (T = T_request + T_channel + T_response), and its events (GET /v1/events?object=…), polled
// while the payment can still change (processing; refunds and returns come later too).
import { ErrorNote, Loading, StatusBadge } from "../components/Notes.js";
import { TimingBar } from "../components/TimingBar.js";
import { formatMoney, formatTime } from "../format.js";
import { useLoad } from "../hooks.js";
import type { Payrail, PayrailEvent } from "../payrail.js";
import { href } from "../router.js";
import { parseServerTiming } from "../server-timing.js";

export function PaymentDetail({ client, paymentId }: { client: Payrail; paymentId: string }) {
  const payment = useLoad(async () => {
    const found = await client.payments.retrieve(paymentId);
    return { payment: found, timings: parseServerTiming(found.lastResponse.headers.get("server-timing")) };
  }, [client, paymentId]);
  const events = useLoad(
    async () => {
      const found: PayrailEvent[] = [];
      for await (const event of client.events.list({ object: paymentId, limit: 100 })) found.push(event);
      return found;
    },
    [client, paymentId],
    // Events are listed ~5 s after their change; keep looking a little while a payout settles.
    () => (payment.data?.payment.status === "processing" ? 3_000 : 15_000),
  );
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
            {p.fx && (
              <>
                <dt>Converted</dt>
                <dd data-field="fx">
                  {formatMoney(p.fx.destination_amount, p.fx.destination_currency)} at {p.fx.rate} (fee{" "}
                  {formatMoney(p.fx.fee, p.fx.source_currency)}
                  {p.fx.quote ? `, quote ${p.fx.quote}` : ""})
                </dd>
              </>
            )}
            {p.return_code && (
              <>
                <dt>Return code</dt>
                <dd class="mono" data-field="return_code">
                  {p.return_code}
                </dd>
              </>
            )}
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
          <section aria-labelledby="events-title">
            <h2 id="events-title">Events</h2>
            <p class="help">Every change of this payment, oldest first, as webhooks deliver them.</p>
            <ErrorNote error={events.error} />
            {!events.data ? (
              !events.error && <Loading what="the events" />
            ) : events.data.length === 0 ? (
              <p>No events yet (they are listed about 5 s after the change).</p>
            ) : (
              <table class="events" data-table="events">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Type</th>
                    <th>Event</th>
                    <th>Status then</th>
                  </tr>
                </thead>
                <tbody>
                  {events.data.map((event) => (
                    <tr key={event.id}>
                      <td>{formatTime(event.created_at)}</td>
                      <td class="mono">{event.type}</td>
                      <td class="mono">{event.id}</td>
                      <td>{String(event.data.object.status ?? "—")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}
