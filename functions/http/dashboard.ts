// HTTP: the web dashboard's built files (GET /dashboard/...), unauthenticated (the page asks for a
// key and calls the API itself) and with a strict Content-Security-Policy.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { loadConfig } from "../../lib/aws/config.js";
import { dashboardAssets } from "../../lib/dashboard/static-assets.js";

const serve = dashboardAssets(loadConfig().dashboardDir);

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
  serve(event.rawPath);
