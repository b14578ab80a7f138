// Admin CLI (operators only; talks to DynamoDB directly, there is no admin HTTP route to attack):
//   create-merchant <name>                       a merchant with a test key and a live key
//   rotate-key <secret key> --grace <duration>   a new key; the old one works for the grace period
//   revoke-key <secret key>                      the key stops working (within the auth cache TTL)
//   record-inbound-credit <mer_…> <acct_…> <amount> <currency> <rail reference>
//                                                money the bank rail received for a live wallet
// Targets the running local stack by default; set PAYRAIL_TABLE (and AWS credentials) to target a
// deployed stage.
import { createClients } from "../lib/aws/clients.js";
import { loadConfig } from "../lib/aws/config.js";
import { isIdOf } from "../lib/domain/ids.js";
import { ledgerOwner } from "../lib/domain/modes.js";
import { newTopup, toTopupResource } from "../lib/domain/topups.js";
import { PayrailError } from "../lib/errors.js";
import { createMerchant, revokeKey, rotateKey } from "../lib/ledger/merchants.js";
import { recordInboundCredit } from "../lib/ledger/topups.js";
import { createTopupSchema } from "../lib/schemas/topups.js";
import { parseWith } from "../lib/schemas/validate.js";
import { readStackFile } from "./local/stack-file.js";

function fail(line: string): never {
  process.stderr.write(`payrail admin: ${line}\n`);
  process.exit(1);
}

const usage = [
  "usage: npm run admin -- create-merchant <name>",
  "     | rotate-key <secret key> --grace <duration: 90s, 30m, 24h, 7d>",
  "     | revoke-key <secret key>",
  "     | record-inbound-credit <merchant id> <live wallet id> <amount in minor units> <currency> <rail reference>",
].join("\n");

/** `90s`, `30m`, `24h`, `7d` or plain seconds, to seconds. */
function parseGraceSeconds(text: string | undefined): number | undefined {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text ?? "");
  if (!match) return undefined;
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

const [command, ...args] = process.argv.slice(2);
if (!command || args.length === 0) fail(usage);

if (!process.env.PAYRAIL_TABLE) {
  const stack = readStackFile();
  if (!stack)
    fail(
      "no running local stack found; start it with `npm start`, or set PAYRAIL_TABLE for a deployed stage",
    );
  Object.assign(process.env, stack.env, { AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint });
}

const config = loadConfig();
const store = { dynamo: createClients().dynamo, table: config.tableName };
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

try {
  switch (command) {
    case "create-merchant": {
      print(await createMerchant(store, args[0] as string));
      break;
    }
    case "rotate-key": {
      const graceAt = args.indexOf("--grace");
      const grace = parseGraceSeconds(graceAt >= 0 ? args[graceAt + 1] : undefined);
      if (grace === undefined) fail(`rotate-key needs --grace <duration> (0 ends the old key now)\n${usage}`);
      const rotated = await rotateKey(store, args[0] as string, grace);
      if (!rotated) fail("no such active key");
      print({
        merchantId: rotated.merchantId,
        mode: rotated.mode,
        apiKey: rotated.apiKey,
        oldKeyExpiresAt: new Date(rotated.oldKeyExpiresAt * 1000).toISOString(),
      });
      break;
    }
    case "revoke-key": {
      if (!(await revokeKey(store, args[0] as string))) fail("no such key");
      print({ revoked: true });
      break;
    }
    case "record-inbound-credit": {
      const [merchantId, account, amount, currency, reference] = args;
      if (!merchantId || !isIdOf("merchant", merchantId) || !reference) fail(usage);
      const request = parseWith(createTopupSchema, { account, amount: Number(amount), currency });
      const topup = newTopup(ledgerOwner(merchantId, "live"), request, Date.now());
      const result = await recordInboundCredit(store, topup, reference);
      print(
        result === "credited"
          ? { credited: true, topup: toTopupResource(topup) }
          : { credited: false, reason: "already_credited" },
      );
      break;
    }
    default:
      fail(usage);
  }
} catch (error) {
  if (error instanceof PayrailError)
    fail(`${error.code}: ${error.message}${error.param ? ` (${error.param})` : ""}`);
  throw error;
}
