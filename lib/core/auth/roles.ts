import { z } from 'zod';

/**
 * The people-facing roles (Cognito groups in AWS, the `cognito:groups` claim of a local token).
 * Not a ladder: risk and compliance are separate duties, so a compliance officer cannot reset a
 * risk alert and a risk manager cannot close a MAR alert. `admin` may do everything; every role
 * may read (`viewer`).
 */
export const USER_ROLES = ['viewer', 'operator', 'risk_manager', 'compliance', 'admin'] as const;
export const UserRoleSchema = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRoleSchema>;

/** What a route asks for: `public` (no token: health probes), one role, or any of several. */
export type RoleRequirement = 'public' | UserRole | readonly UserRole[];

/**
 * The authenticated caller. Identity always comes from a verified token, never from a body field.
 * @example { user: 'jane.smith', roles: ['risk_manager'], issuer: 'tradeops-local', tokenId: 'b1f…' }
 */
export interface Identity {
  readonly user: string;
  readonly roles: readonly UserRole[];
  readonly issuer: string;
  readonly tokenId?: string | undefined;
}

/** The roles a requirement accepts, `admin` always among them; `[]` for `public`. */
export function acceptedRoles(required: RoleRequirement): readonly UserRole[] {
  if (required === 'public') return [];
  const list: readonly UserRole[] = typeof required === 'string' ? [required] : required;
  if (list.includes('viewer')) return USER_ROLES;
  return list.includes('admin') ? list : [...list, 'admin'];
}

/**
 * Whether `identity` may call something that requires `required`.
 * @example isAllowed({ user: 'a', roles: ['operator'], issuer: 'x' }, 'risk_manager') // false
 */
export function isAllowed(identity: Pick<Identity, 'roles'>, required: RoleRequirement): boolean {
  if (required === 'public') return true;
  const accepted = acceptedRoles(required);
  return identity.roles.some((r) => accepted.includes(r));
}

/** Claims we read from a verified JWT: Cognito's names, which the local issuer mints too. */
export const TokenClaimsSchema = z.looseObject({
  sub: z.string().min(1),
  username: z.string().min(1).optional(),
  'cognito:username': z.string().min(1).optional(),
  // API Gateway's JWT authorizer hands claims to the Lambda flattened: an array arrives as "[a b]".
  'cognito:groups': z.union([z.array(z.string()), z.string().transform((s) => s.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean))]).optional(),
  iss: z.string().min(1),
  jti: z.string().optional(),
});

/**
 * A verified token's claims → the caller. Groups that are not TradeOps roles are ignored (a
 * Cognito pool may carry others); the user name is Cognito's `username` (access token) or
 * `cognito:username` (id token), else `sub`.
 */
export function identityFromClaims(claims: unknown): Identity | undefined {
  const parsed = TokenClaimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const c = parsed.data;
  const roles = (c['cognito:groups'] ?? []).filter((g): g is UserRole => (USER_ROLES as readonly string[]).includes(g));
  return { user: c.username ?? c['cognito:username'] ?? c.sub, roles, issuer: c.iss, tokenId: c.jti };
}
