import type { Identity } from '../core/auth/roles.js';

/**
 * What the transport learned about the caller before the route table decides: no token, a
 * verified identity, or a token that failed verification (always 401, even on an open route:
 * a bad token is never silently treated as anonymous).
 */
export type Authentication = { kind: 'anonymous' } | { kind: 'authenticated'; identity: Identity } | { kind: 'rejected'; reason: string };

/** Verifies a bearer token (local issuer; in AWS API Gateway's JWT authorizer does this). */
export interface TokenVerifier {
  /** Never throws for a bad token: returns `rejected` with a reason a person can act on. */
  verify(token: string): Promise<Authentication>;
}
