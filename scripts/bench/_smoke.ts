import { startStack } from "../local/stack.js";
import { countRequests, directStore, measureRealtime } from "./realtime.js";
import { benchTenant } from "./tenant.js";

const t0 = Date.now();
const stack = await startStack({
  scheduler: false,
  watch: false,
  env: { POWERTOOLS_LOG_LEVEL: "WARN", POWERTOOLS_METRICS_DISABLED: "true" },
  onReady: (c, d, ms) => console.log(c, ms, d),
});
console.log("up", Date.now() - t0);
try {
  const store = directStore(stack.dynamoEndpoint, stack.env.PAYRAIL_TABLE!);
  const tenant = await benchTenant(store, stack.httpUrl);
  console.log(await countRequests(tenant, stack.dynamoCounterUrl));
  console.log(JSON.stringify(await measureRealtime(tenant, store, 1, 3000)));
  console.log(JSON.stringify(await measureRealtime(tenant, store, 16, 3000)));
} finally {
  await stack.stop();
}
