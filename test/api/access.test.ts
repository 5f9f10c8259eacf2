/**
 * Access control over the whole route table: who may call what, locally and in AWS (the same
 * dispatcher decides in both). New routes are covered automatically.
 */
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, apiHarness, as } from './api-harness.js';
import { ROUTES } from '../../lib/api/routes.js';
import { acceptedRoles, USER_ROLES } from '../../lib/core/auth/roles.js';
import type { RouteSpec } from '../../lib/api/route-spec.js';

const concrete = (r: RouteSpec) => r.path.replace(/\{[^}]+\}/g, 'X-1');
const bodyFor = (r: RouteSpec) => (r.method === 'GET' ? undefined : '{}');
const rejected = { kind: 'rejected', reason: 'token expired' } as const;

describe('the route table', () => {
  it('needs more than read access for every state-changing route', () => {
    for (const r of ROUTES.filter((x) => x.method !== 'GET')) {
      expect(r.role, `${r.method} ${r.path}`).not.toBe('public');
      expect(acceptedRoles(r.role), `${r.method} ${r.path}`).not.toContain('viewer');
    }
  });

  it('keeps only the health probes public', () => {
    expect(ROUTES.filter((r) => r.role === 'public').map((r) => r.path).sort()).toEqual(['/health', '/ready']);
  });
});

describe('authentication and authorisation', () => {
  it('answers 401 to every non-public route without a token, with a Bearer challenge', async () => {
    const h = apiHarness();
    for (const r of ROUTES.filter((x) => x.role !== 'public')) {
      const res = await h.call(r.method, concrete(r), bodyFor(r), ANONYMOUS);
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expect(res.headers?.['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ error: 'AUTH.UNAUTHENTICATED' });
    }
  });

  it('answers 401 to a bad token on every route, public ones included', async () => {
    const h = apiHarness(ROUTES, { openReads: true });
    for (const r of ROUTES) {
      const res = await h.call(r.method, concrete(r), bodyFor(r), rejected);
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expect(JSON.stringify(res.body)).toContain('token expired');
    }
  });

  it('opens read-only viewer routes to anonymous callers only where the runtime allows it', async () => {
    const open = apiHarness(ROUTES, { openReads: true });
    for (const r of ROUTES.filter((x) => x.method === 'GET' && x.role === 'viewer')) {
      expect((await open.call('GET', concrete(r), undefined, ANONYMOUS)).status, r.path).not.toBe(401);
    }
    for (const r of ROUTES.filter((x) => x.method !== 'GET' || (x.role !== 'viewer' && x.role !== 'public'))) {
      expect((await open.call(r.method, concrete(r), bodyFor(r), ANONYMOUS)).status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it('answers 403 naming the roles needed to a caller whose roles the route does not accept', async () => {
    const h = apiHarness();
    for (const r of ROUTES.filter((x) => x.role !== 'public')) {
      const accepted = acceptedRoles(r.role);
      for (const role of USER_ROLES.filter((x) => !accepted.includes(x))) {
        const res = await h.call(r.method, concrete(r), bodyFor(r), as('someone', role));
        expect(res.status, `${role} → ${r.method} ${r.path}`).toBe(403);
        expect(res.body).toMatchObject({ error: 'AUTH.FORBIDDEN', required: accepted });
      }
    }
  });

  it('lets every accepted role past the access check (the route then validates the input)', async () => {
    const h = apiHarness();
    for (const r of ROUTES.filter((x) => x.role !== 'public')) {
      for (const role of acceptedRoles(r.role)) {
        const res = await h.call(r.method, concrete(r), bodyFor(r), as('someone', role));
        expect([401, 403], `${role} → ${r.method} ${r.path}: ${JSON.stringify(res.body)}`).not.toContain(res.status);
      }
    }
  });

  it('checks access before input, so an unauthorised caller learns nothing about the rules', async () => {
    const h = apiHarness();
    const res = await h.call('POST', '/api/signals', '{not json', ANONYMOUS);
    expect(res.status).toBe(401);
  });

  it('takes the acting person from the token and refuses a body that names someone else', async () => {
    const h = apiHarness();
    const res = await h.call('POST', '/api/compliance/alerts/MAR-WASH-0123456789abcdef/actions', JSON.stringify({ action: 'close', actor: 'john.doe' }), as('olga', 'compliance'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'AUTH.IDENTITY_MISMATCH', details: { field: 'body.actor', claimed: 'john.doe', caller: 'olga' } });
  });
});
