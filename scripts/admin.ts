// Admin CLI (operators only; talks to DynamoDB directly, there is no admin HTTP route to attack):
//   create-merchant <name>                       a merchant with a test key and a live key
//   create-key <mer_…> [--role R] [--name N] [--mode test|live]
//                                                another key of the merchant, with a role (default admin)
//   rotate-key <secret key> --grace <duration>   a new key; the old one works for the grace period
//   revoke-key <secret key>                      the key stops working (within the auth cache TTL)
//   record-inbound-credit <mer_…> <acct_…> <amount> <currency> <rail reference>
//                                                money the bank rail received for a live wallet
// Targets the running local stack by default; set PAYRAIL_TABLE (and AWS credentials) to target a
// deployed stage.
import { createClients } from "../lib/aws/clients.js";
import { loadConfig } from "../lib/aws/config.js";
import { isIdOf } from "../lib/domain/ids.js";
import { ledgerOwner, type Mode } from "../lib/domain/modes.js";
import { API_KEY_ROLES, type ApiKeyRole } from "../lib/domain/permissions.js";
import { newTopup, toTopupResource } from "../lib/domain/topups.js";
import { PayrailError } from "../lib/errors.js";
import { issueApiKey } from "../lib/ledger/api-keys.js";
import { createMerchant, merchantExists, revokeKey, rotateKey } from "../lib/ledger/merchants.js";
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
  `     | create-key <merchant id> [--role ${API_KEY_ROLES.join("|")}] [--name <name>] [--mode test|live]`,
  "     | rotate-key <secret key> --grace <duration: 90s, 30m, 24h, 7d>",
  "     | revoke-key <secret key>",
  "     | record-inbound-credit <merchant id> <live wallet id> <amount in minor units> <currency> <rail reference>",
].join("\n");

/** The value after `--flag`, or undefined when the flag is absent. */
function option(list: string[], flag: string): string | undefined {
  const at = list.indexOf(flag);
  if (at < 0) return undefined;
  const value = list[at + 1];
  if (value === undefined || value.startsWith("--")) fail(`${flag} needs a value\n${usage}`);
  return value;
}

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
    case "create-key": {
      const merchantId = args[0] as string;
      if (!isIdOf("merchant", merchantId)) fail(`create-key needs a merchant id (mer_…)\n${usage}`);
      const role = option(args, "--role") ?? "admin";
      if (!(API_KEY_ROLES as readonly string[]).includes(role))
        fail(`--role must be one of ${API_KEY_ROLES.join(", ")}`);
      const mode = option(args, "--mode") ?? "test";
      if (mode !== "test" && mode !== "live") fail("--mode must be test or live");
      const name = option(args, "--name")?.trim();
      if (name !== undefined && (name.length === 0 || name.length > 100))
        fail("--name must be 1 to 100 characters");
      if (!(await merchantExists(store, merchantId))) fail(`no such merchant: ${merchantId}`);
      const issued = await issueApiKey(
        store,
        ledgerOwner(merchantId, mode as Mode),
        mode as Mode,
        { role: role as ApiKeyRole, name: name ?? null },
        undefined,
        () => ({ statusCode: 201, body: {} }),
      );
      print({ merchantId, ...issued.resource, apiKey: issued.secret });
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
