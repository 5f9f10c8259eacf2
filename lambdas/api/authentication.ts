import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { identityFromClaims } from '../../lib/core/auth/roles.js';
import type { Authentication } from '../../lib/ports/auth.js';

/**
 * API Gateway's JWT authorizer has already verified the token (signature, issuer, audience,
 * expiry) and hands over its claims; a route without the authorizer (public) has none. Roles are
 * still checked by the dispatcher against the route table, so a mis-wired route fails closed.
 */
export function authenticationOf(event: APIGatewayProxyEventV2): Authentication {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } }).authorizer?.jwt?.claims;
  if (claims === undefined) return { kind: 'anonymous' };
  const identity = identityFromClaims(claims);
  return identity === undefined ? { kind: 'rejected', reason: 'token claims lack a subject or issuer' } : { kind: 'authenticated', identity };
}
