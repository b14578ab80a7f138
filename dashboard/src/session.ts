// Owns where the secret key lives in the browser: this tab's sessionStorage only (never a URL, a
// cookie or localStorage), so closing the tab signs out.
const KEY = "payrail.secret_key";

export function storedKey(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function storeKey(apiKey: string): void {
  sessionStorage.setItem(KEY, apiKey);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
}
