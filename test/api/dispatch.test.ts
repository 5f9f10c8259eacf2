import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { route } from '../../lib/api/route-spec.js';
import { TradeOpsError } from '../../lib/core/shared/errors.js';
import { ROUTES } from '../../lib/api/routes.js';
import { apiHarness } from './api-harness.js';

describe('Dispatcher', () => {
  it('answers an unknown route with a 404 JSON body', async () => {
    const { call } = apiHarness();
    const res = await call('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'NOT_FOUND' });
  });

  it('answers a known path with the wrong method with 405 and the allowed methods', async () => {
    const { call } = apiHarness();
    const res = await call('POST', '/api/orders/pending');
    expect(res.status).toBe(405);
    expect(res.headers?.['allow']).toBe('GET');
  });

  it('refuses an unknown query parameter with 400 naming it', async () => {
    const { call } = apiHarness();
    const res = await call('GET', '/api/orders/pending?symbl=AAPL');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('query');
    expect((res.body as { issues: Array<{ message: string }> }).issues[0]?.message).toMatch(/symbl/);
  });

  it('refuses a malformed query value with 400 naming the field', async () => {
    const { call } = apiHarness();
    const res = await call('GET', '/api/positions?symbol=not%20a%20ticker!');
    expect(res.status).toBe(400);
    expect((res.body as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toContain('query.symbol');
  });

  it('refuses a body on a route that takes none, and invalid JSON', async () => {
    const { call } = apiHarness();
    expect((await call('GET', '/api/system/status', '{"a":1}')).status).toBe(400);
    const bad = await call('GET', '/api/system/status', '{not json');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ issues: [{ path: 'body', code: 'invalid_json' }] });
  });

  it('validates a body against the route schema and names the failing field', async () => {
    const echo = route({ id: 'echo', method: 'POST', path: '/echo/{name}', role: 'operator', summary: 'test', body: z.strictObject({ reason: z.string().min(3) }), params: z.strictObject({ name: z.string().regex(/^[a-z]+$/) }), handler: async ({ body, params }) => ({ status: 200, body: { ...body, ...params } }) });
    const { call } = apiHarness([echo]);
    expect(await call('POST', '/echo/abc', '{"reason":"because"}')).toEqual({ status: 200, body: { reason: 'because', name: 'abc' } });
    const short = await call('POST', '/echo/abc', '{"reason":"x"}');
    expect((short.body as { issues: Array<{ path: string }> }).issues[0]?.path).toBe('body.reason');
    const badParam = await call('POST', '/echo/ABC', '{"reason":"because"}');
    expect((badParam.body as { issues: Array<{ path: string }> }).issues[0]?.path).toBe('params.name');
  });

  it('turns a handler failure into a 500 with the error code and no stack', async () => {
    const boom = route({ id: 'boom', method: 'GET', path: '/boom', role: 'public', summary: 'test', handler: async () => { throw new TradeOpsError('STORE.UNAVAILABLE', 'the state store did not answer'); } });
    const { call, logger } = apiHarness([boom]);
    const res = await call('GET', '/boom');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: 'STORE.UNAVAILABLE', correlationId: 'test' });
    expect(JSON.stringify(res.body)).not.toContain('at ');
    expect(logger.lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('never fails (500) on any method, path, query or body on the real route table', async () => {
    const { call, allHealthy } = apiHarness();
    await allHealthy();
    const paths = [...ROUTES.map((r) => r.path), '/', '/api', '/api/positions/extra', '/health/'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.constantFrom(...paths),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
        fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.json()), { nil: undefined }),
        async (method, path, query, body) => {
          const qs = new URLSearchParams(query).toString();
          const res = await call(method, `${path}${qs ? `?${qs}` : ''}`, body);
          // 503 says "not available yet" (e.g. no VaR computed): a state, not a failure caused by input.
          if (res.status >= 500) expect(res.status).toBe(503);
        },
      ),
      { numRuns: 300 },
    );
  });
});
