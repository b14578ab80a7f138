// Payments: search by id, status, account, amount range and date; results link to each payment.
import { ErrorNote, Loading, StatusBadge, TableRegion } from "../components/Notes.js";
import { formatCount, formatMoney, formatTime } from "../format.js";
import { useLoad } from "../hooks.js";
import type { Payrail } from "../payrail.js";
import { href, navigate } from "../router.js";
import { criteriaFrom, searchPayments } from "../search.js";

const FIELDS = ["status", "account", "min", "max", "from", "to"] as const;

export function Payments({ client, query }: { client: Payrail; query: URLSearchParams }) {
  const criteria = criteriaFrom(query);
  const key = query.toString();
  const results = useLoad(() => searchPayments(client, criteria), [client, key]);

  function submit(event: Event) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const id = String(data.get("id") ?? "").trim();
    if (id !== "") {
      navigate(href("payments", id));
      return;
    }
    const next = new URLSearchParams();
    for (const field of FIELDS) {
      const value = String(data.get(field) ?? "").trim();
      if (value !== "") next.set(field, value);
    }
    navigate(`${href("payments")}?${next.toString()}`);
  }

  // The fields are uncontrolled (defaultValue): a controlled `value` put the URL's criteria back on
  // every render, so what a user typed while the newest payments were still loading was erased.
  return (
    <>
      <h1>Payments</h1>
      <form class="search" onSubmit={submit} aria-label="Search payments">
        <div class="field">
          <label for="search-id">Payment id</label>
          <input id="search-id" name="id" placeholder="pay_…" spellcheck={false} />
        </div>
        <div class="field">
          <label for="search-status">Status</label>
          <select id="search-status" name="status">
            {["", "succeeded", "failed", "processing", "returned"].map((status) => (
              <option key={status} value={status} selected={status === (criteria.status ?? "")}>
                {status === "" ? "any" : status}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="search-account">Account (source or destination)</label>
          <input
            id="search-account"
            name="account"
            placeholder="acct_…"
            defaultValue={criteria.account ?? ""}
          />
        </div>
        <div class="field">
          <label for="search-min">Amount from</label>
          <input
            id="search-min"
            name="min"
            inputMode="decimal"
            placeholder="0.00"
            defaultValue={criteria.minAmount ?? ""}
          />
        </div>
        <div class="field">
          <label for="search-max">Amount to</label>
          <input
            id="search-max"
            name="max"
            inputMode="decimal"
            placeholder="0.00"
            defaultValue={criteria.maxAmount ?? ""}
          />
        </div>
        <div class="field">
          <label for="search-from">Created from</label>
          <input id="search-from" name="from" type="date" defaultValue={criteria.from ?? ""} />
        </div>
        <div class="field">
          <label for="search-to">Created to</label>
          <input id="search-to" name="to" type="date" defaultValue={criteria.to ?? ""} />
        </div>
        <div class="field actions">
          <button type="submit">Search</button>
        </div>
      </form>
      <ErrorNote error={results.error} />
      {results.loading || !results.data ? (
        <Loading what="payments" />
      ) : (
        <section aria-labelledby="results-title">
          <h2 id="results-title" aria-live="polite">
            {formatCount(results.data.payments.length)} payment{results.data.payments.length === 1 ? "" : "s"}
            {results.data.truncated ? ` (searched the newest ${formatCount(results.data.scanned)})` : ""}
          </h2>
          {results.data.payments.length > 0 && (
            <TableRegion label="Payments found">
              <table class="payments">
                <thead>
                  <tr>
                    <th scope="col">Payment</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Amount
                    </th>
                    <th scope="col">Source → destination</th>
                    <th scope="col">Description</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {results.data.payments.map((payment) => (
                    <tr key={payment.id}>
                      <td>
                        <a href={href("payments", payment.id)} class="mono">
                          {payment.id}
                        </a>
                      </td>
                      <td>
                        <StatusBadge status={payment.status} />
                        {payment.failure_code && <div class="sub mono">{payment.failure_code}</div>}
                      </td>
                      <td class="num">{formatMoney(payment.amount, payment.currency)}</td>
                      <td class="mono">
                        {payment.source} → {payment.destination}
                      </td>
                      <td class="description">{payment.description ?? ""}</td>
                      <td>{formatTime(payment.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          )}
        </section>
      )}
    </>
  );
}
