// Sign-in: a secret key, checked against the API before it is kept (in this tab's sessionStorage).
import { useState } from "preact/hooks";
import { AuthenticationError, clientFor, type Payrail } from "../payrail.js";

export function SignIn({ onSignedIn }: { onSignedIn(apiKey: string, client: Payrail): void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const apiKey = String(new FormData(form).get("secret_key") ?? "").trim();
    if (apiKey === "") {
      setError("Enter a secret key.");
      return;
    }
    setBusy(true);
    setError(undefined);
    const client = clientFor(apiKey, window.location.origin);
    try {
      await client.accounts.list({ limit: 1 }).page();
      onSignedIn(apiKey, client);
    } catch (caught) {
      setError(
        caught instanceof AuthenticationError
          ? "That key was not accepted."
          : `Could not reach payrail: ${(caught as Error).message}`,
      );
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1>payrail dashboard</h1>
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <label for="secret-key">Secret key</label>
        <input
          id="secret-key"
          name="secret_key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          placeholder="sk_test_…"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "sign-in-error" : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        {error && (
          <p id="sign-in-error" class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p id="sign-in-help" class="help">
        The key is kept only in this tab (session storage) and sent only to this payrail API. Closing the tab
        signs you out.
      </p>
    </main>
  );
}
