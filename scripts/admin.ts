// Admin CLI: `npm run admin -- create-merchant <name>` and `revoke-key <sk_...>`.
// Talks to DynamoDB directly (there is no admin HTTP route to attack). Targets the running local
// stack by default; set PAYRAIL_TABLE (and AWS credentials) to target a deployed stage.

import { createClients } from "../lib/aws/clients.js";
import { loadConfig } from "../lib/aws/config.js";
import { createMerchant, revokeKey } from "../lib/ledger/merchants.js";
import { readStackFile } from "./local/stack-file.js";

function fail(line: string): never {
  process.stderr.write(`payrail admin: ${line}\n`);
  process.exit(1);
}

const [command, argument] = process.argv.slice(2);
const usage = "usage: npm run admin -- create-merchant <name> | revoke-key <secret key>";
if (!command || !argument) fail(usage);

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

switch (command) {
  case "create-merchant": {
    const issued = await createMerchant(store, argument);
    process.stdout.write(`${JSON.stringify({ merchantId: issued.merchantId, apiKey: issued.apiKey })}\n`);
    break;
  }
  case "revoke-key": {
    if (!(await revokeKey(store, argument))) fail("no such key");
    process.stdout.write(`${JSON.stringify({ revoked: true })}\n`);
    break;
  }
  default:
    fail(usage);
}
