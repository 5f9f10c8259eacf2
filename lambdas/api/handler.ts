/**
 * PLACEHOLDER (written by the infra helper so the CDK app bundles offline): the lead replaces it
 * with the real API Gateway → route-table dispatcher. Answers 503 so nothing mistakes it for the API.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 503,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: 'NOT_DEPLOYED', message: 'API handler not built yet', route: event.routeKey }),
});
