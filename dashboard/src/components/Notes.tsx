// Small pieces every page uses: a status badge, an error note, a loading line, a scrollable table
// region that keyboard users can scroll.
import type { ComponentChildren } from "preact";
import { PayrailApiError } from "../payrail.js";

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}

export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const detail = error instanceof PayrailApiError ? ` (${error.status} ${error.code})` : "";
  return (
    <p class="error" role="alert">
      {error.message}
      {detail}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function TableRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="table-region" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
