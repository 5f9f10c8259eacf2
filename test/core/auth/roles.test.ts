import { describe, expect, it } from 'vitest';
import { acceptedRoles, identityFromClaims, isAllowed, USER_ROLES, type UserRole } from '../../../lib/core/auth/roles.js';

const who = (...roles: UserRole[]) => ({ roles });

describe('role requirements', () => {
  it('lets every role read and nobody without a role', () => {
    for (const r of USER_ROLES) expect(isAllowed(who(r), 'viewer')).toBe(true);
    expect(isAllowed(who(), 'viewer')).toBe(false);
  });

  it('keeps risk and compliance duties apart while admin may do both', () => {
    expect(isAllowed(who('compliance'), 'risk_manager')).toBe(false);
    expect(isAllowed(who('risk_manager'), 'compliance')).toBe(false);
    expect(isAllowed(who('operator'), 'risk_manager')).toBe(false);
    expect(isAllowed(who('admin'), 'risk_manager')).toBe(true);
    expect(isAllowed(who('admin'), 'compliance')).toBe(true);
  });

  it('accepts any role of a list, admin included', () => {
    expect(acceptedRoles(['operator', 'risk_manager'])).toEqual(['operator', 'risk_manager', 'admin']);
    expect(isAllowed(who('risk_manager'), ['operator', 'risk_manager'])).toBe(true);
    expect(isAllowed(who('viewer'), ['operator', 'risk_manager'])).toBe(false);
    expect(acceptedRoles('public')).toEqual([]);
    expect(isAllowed(who(), 'public')).toBe(true);
  });
});

describe('identity from token claims', () => {
  it('reads Cognito access-token claims', () => {
    expect(identityFromClaims({ sub: 'u-1', username: 'jane.smith', 'cognito:groups': ['risk_manager', 'Everyone'], iss: 'https://cognito-idp.eu-west-1.amazonaws.com/pool', jti: 'j1' })).toEqual({
      user: 'jane.smith',
      roles: ['risk_manager'],
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/pool',
      tokenId: 'j1',
    });
  });

  it('reads the groups API Gateway flattens into "[a b]"', () => {
    expect(identityFromClaims({ sub: 'u-2', 'cognito:username': 'john.doe', 'cognito:groups': '[operator admin]', iss: 'x' })?.roles).toEqual(['operator', 'admin']);
  });

  it('falls back to sub for the user and gives no roles without groups', () => {
    expect(identityFromClaims({ sub: 'svc-7', iss: 'x' })).toMatchObject({ user: 'svc-7', roles: [] });
  });

  it('refuses claims without a subject or issuer', () => {
    expect(identityFromClaims({ username: 'x', iss: 'x' })).toBeUndefined();
    expect(identityFromClaims({ sub: 'x' })).toBeUndefined();
    expect(identityFromClaims('not claims')).toBeUndefined();
  });
});
