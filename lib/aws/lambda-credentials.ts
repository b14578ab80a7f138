// Owns where the functions' AWS clients find credentials: in the Lambda runtime's environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, set for the function's role), the
// first place the SDK's default chain looks. The function bundles alias that chain
// (@aws-sdk/credential-provider-node) to this module (serverless.yml, esbuild `alias`): its other
// providers (SSO, ini files, process, web identity, container and instance metadata) and the STS
// and SSO clients they bring are about 100 KiB that every cold start compiled and no function on
// Lambda ever calls. The local stack sets the same variables (scripts/local/offline.ts).
import { fromEnv } from "@aws-sdk/credential-provider-env";

type FromEnvInit = Parameters<typeof fromEnv>[0];

/** The SDK's `credentialDefaultProvider` contract: called with the client's config, returns a provider. */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
