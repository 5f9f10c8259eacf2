import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalTokenIssuer, localKeyFile } from '../../../lib/adapters/auth/local-issuer.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'tradeops-auth-'));

describe('the local token issuer', () => {
  it('mints a token it verifies, with the user and roles in it', async () => {
    const issuer = await LocalTokenIssuer.open(dir());
    const auth = await issuer.verify(await issuer.mint('jane.smith', ['risk_manager', 'operator']));
    expect(auth).toEqual({ kind: 'authenticated', identity: { user: 'jane.smith', roles: ['risk_manager', 'operator'], issuer: LOCAL_ISSUER, tokenId: expect.any(String) } });
  });

  it('keeps its key private to the owner and across restarts', async () => {
    const d = dir();
    const token = await (await LocalTokenIssuer.open(d)).mint('john.doe', ['admin']);
    expect(statSync(localKeyFile(d)).mode & 0o777).toBe(0o600);
    const reopened = await LocalTokenIssuer.open(d, { create: false });
    expect((await reopened.verify(token)).kind).toBe('authenticated');
  });

  it('refuses an expired token and says how to get a new one', async () => {
    const clock = new ManualClock('2026-11-27T09:00:00.000Z');
    const issuer = await LocalTokenIssuer.open(dir(), { now: () => clock.now() });
    const token = await issuer.mint('john.doe', ['operator'], 600);
    clock.advance(601_000);
    expect(await issuer.verify(token)).toEqual({ kind: 'rejected', reason: expect.stringContaining('expired') });
  });

  it('refuses a token of another install and an altered token', async () => {
    const mine = await LocalTokenIssuer.open(dir());
    const theirs = await LocalTokenIssuer.open(dir());
    expect(await mine.verify(await theirs.mint('mallory', ['admin']))).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('signature') });
    const [h, p, s] = (await mine.mint('eve', ['viewer'])).split('.');
    const promoted = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), 'cognito:groups': ['admin'] })).toString('base64url');
    expect((await mine.verify(`${h}.${promoted}.${s}`)).kind).toBe('rejected');
    expect((await mine.verify('not-a-jwt')).kind).toBe('rejected');
  });

  it('refuses a token signed with its key for another audience or issuer', async () => {
    const d = dir();
    const issuer = await LocalTokenIssuer.open(d);
    const stored = JSON.parse(readFileSync(localKeyFile(d), 'utf8')) as { privateJwk: JWK };
    const key = await importJWK(stored.privateJwk, 'ES256');
    const sign = (iss: string, aud: string) => new SignJWT({ username: 'x', 'cognito:groups': ['admin'] }).setProtectedHeader({ alg: 'ES256' }).setSubject('x').setIssuer(iss).setAudience(aud).setIssuedAt().setExpirationTime('1h').sign(key);
    expect(await issuer.verify(await sign(LOCAL_ISSUER, 'another-api'))).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('aud') });
    expect(await issuer.verify(await sign('someone-else', LOCAL_AUDIENCE))).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('iss') });
  });

  it('does not mint for a bad user name or role, and needs a key to exist when told not to create one', async () => {
    const issuer = await LocalTokenIssuer.open(dir());
    await expect(issuer.mint('jane smith', ['viewer'])).rejects.toThrow();
    await expect(issuer.mint('jane', ['root' as never])).rejects.toThrow();
    await expect(LocalTokenIssuer.open(dir(), { create: false })).rejects.toMatchObject({ code: 'AUTH.NO_LOCAL_KEY' });
    const d = dir();
    await LocalTokenIssuer.open(d);
    writeFileSync(localKeyFile(d), '{"kid":"x"}');
    await expect(LocalTokenIssuer.open(d)).rejects.toMatchObject({ code: 'AUTH.BAD_LOCAL_KEY' });
  });
});
