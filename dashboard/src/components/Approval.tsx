// Maker-checker on a batch's page: a batch in `requires_approval` shows why it waits and who made
// it, with Approve and Reject (an optional reason). The API decides who may: a key that created the
// batch, or whose role may not approve, is answered 403 and the message is shown as it came.
import { useState } from "preact/hooks";
import type { Batch, Payrail } from "../payrail.js";
import { ErrorNote } from "./Notes.js";

const WHY: Record<string, string> = { amount: "its total", item_count: "its number of items" };

export function Approval({
  client,
  batch,
  onDecided,
}: {
  client: Payrail;
  batch: Batch;
  onDecided: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [reason, setReason] = useState("");
  if (batch.status !== "requires_approval") return null;
  const because = (batch.approval?.required_because ?? []).map((rule) => WHY[rule] ?? rule).join(" and ");
  const maker = batch.created_by ? (batch.created_by.name ?? batch.created_by.api_key) : "an unknown key";

  async function decide(action: "approve" | "reject") {
    setBusy(true);
    setError(undefined);
    try {
      if (action === "approve") await client.batches.approve(batch.id);
      else await client.batches.reject(batch.id, reason.trim() ? { reason: reason.trim() } : {});
      onDecided();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="approval-title" class="approval">
      <h2 id="approval-title">Approval required</h2>
      <p>
        The approval policy holds this batch because of {because || "the policy"}. It was submitted by {maker}{" "}
        and moves no money until another key approves it.
      </p>
      <ErrorNote error={error} />
      <div class="field">
        <label for="reject-reason">Reason for a rejection (optional)</label>
        <input
          id="reject-reason"
          maxLength={500}
          value={reason}
          onInput={(event) => setReason((event.target as HTMLInputElement).value)}
        />
      </div>
      <p>
        <button type="button" disabled={busy} onClick={() => void decide("approve")}>
          Approve
        </button>{" "}
        <button type="button" disabled={busy} onClick={() => void decide("reject")}>
          Reject
        </button>
      </p>
    </section>
  );
}

/** Who decided, for the batch summary: `approved by Finance`. */
export function approvalLine(batch: Batch): string | undefined {
  const approval = batch.approval;
  if (!approval) return undefined;
  if (approval.status === "pending") return "awaiting approval";
  const by = approval.decided_by ? (approval.decided_by.name ?? approval.decided_by.api_key) : "a key";
  return `${approval.status} by ${by}${approval.reason ? ` (${approval.reason})` : ""}`;
}
