// Owns signing a delivery: `Payrail-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`,
// one v1 per signing secret (two during a secret rotation, current first). Receivers verify with
// `webhooks.constructEvent` of the client (client/webhooks.ts).
import { createHmac } from "node:crypto";

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signatureOf(secret, timestamp, body)}`)].join(
    ",",
  );
}
