import { join, resolve } from 'node:path';
import type { CliCommand } from '../command.js';
import { DEFAULT_TOKEN_TTL_SECONDS, LocalTokenIssuer, UsernameSchema } from '../../adapters/auth/local-issuer.js';
import { USER_ROLES, UserRoleSchema, type UserRole } from '../../core/auth/roles.js';
import { TradeOpsError } from '../../core/shared/errors.js';

/**
 * Mints a bearer token from the local system's issuer (its key lives in the data directory
 * `npm start` created). Prints only the token, so `export TRADEOPS_TOKEN=$(tradeops login …)`
 * works; the CLI's API commands send $TRADEOPS_TOKEN. In AWS tokens come from the Cognito user
 * pool instead (groups = roles), never from this command.
 */
export const login: CliCommand = {
  name: 'login',
  summary: 'Mint a local API token for a user and role(s): export TRADEOPS_TOKEN=$(tradeops login --local --user jane --role risk_manager)',
  usage: `tradeops login --local --user NAME --role ROLE [--role ROLE …] [--ttl SECONDS] [--data-dir DIR | --env ENV]   roles: ${USER_ROLES.join(', ')}`,
  options: { local: { type: 'boolean' }, user: { type: 'string' }, role: { type: 'string', multiple: true }, ttl: { type: 'string' }, 'data-dir': { type: 'string' }, env: { type: 'string' } },
  async run(values, _positionals, io) {
    if (values['local'] !== true) {
      io.err('only --local tokens are minted here; in AWS sign in to the Cognito user pool of the environment (its groups are the roles) and use that access token');
      return 2;
    }
    const user = UsernameSchema.safeParse(values['user']);
    if (!user.success) {
      io.err(`--user: ${values['user'] === undefined ? 'required' : (user.error.issues[0]?.message ?? 'invalid')}`);
      return 2;
    }
    const rawRoles = Array.isArray(values['role']) ? values['role'].map(String) : [];
    if (rawRoles.length === 0) {
      io.err(`--role: required (one of ${USER_ROLES.join(', ')}; repeat for several)`);
      return 2;
    }
    const roles: UserRole[] = [];
    for (const r of rawRoles) {
      const parsed = UserRoleSchema.safeParse(r);
      if (!parsed.success) {
        io.err(`--role: "${r}" is not a role (one of ${USER_ROLES.join(', ')})`);
        return 2;
      }
      roles.push(parsed.data);
    }
    const ttlText = values['ttl'];
    const ttl = typeof ttlText === 'string' ? Number(ttlText) : DEFAULT_TOKEN_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl < 60 || ttl > 7 * 24 * 3600) {
      io.err('--ttl: whole seconds between 60 and 604800');
      return 2;
    }
    const dataDir = typeof values['data-dir'] === 'string' ? resolve(values['data-dir']) : resolve(join('.data', typeof values['env'] === 'string' ? values['env'] : 'local'));
    try {
      const issuer = await LocalTokenIssuer.open(dataDir, { create: false });
      io.out(await issuer.mint(user.data, roles, ttl));
      return 0;
    } catch (e) {
      if (e instanceof TradeOpsError) {
        io.err(`${e.code}: ${e.message}`);
        return 1;
      }
      throw e;
    }
  },
};
