import { z } from 'zod';
import type { RequestContext } from './route-spec.js';
import { HttpError } from './http-error.js';

/**
 * The person acting, from the token. A body field that names a person (`operator`, `requestor`,
 * `approver`) is optional: absent, it is filled from the token; present, it must be the caller —
 * a token for jane.smith cannot approve as john.doe.
 * @throws HttpError 401 when there is no verified caller; 403 `AUTH.IDENTITY_MISMATCH` on a mismatch
 * @example const operator = actingUser(ctx, body.operator, 'operator');
 */
export function actingUser(ctx: Pick<RequestContext, 'identity'>, claimed: string | undefined, field: string): string {
  const identity = ctx.identity;
  if (identity === undefined) throw new HttpError(401, 'AUTH.UNAUTHENTICATED', `this action needs a bearer token; the ${field} is taken from it`);
  if (claimed !== undefined && claimed !== identity.user) {
    throw new HttpError(403, 'AUTH.IDENTITY_MISMATCH', `body.${field} "${claimed}" is not the authenticated caller "${identity.user}": a person acts only under their own token`, { details: { field: `body.${field}`, claimed, caller: identity.user } });
  }
  return identity.user;
}

/**
 * The body field naming the person acting (`operator`, `actor`, `requestor`, `approver`): optional,
 * since the token says who it is; bound with `actingUser`, which refuses one that differs.
 */
export const ActingPersonSchema = z.string().trim().min(1, 'who is acting (e.g. jane.doe); or leave it out: the token says').max(128).optional();
