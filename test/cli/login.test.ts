import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.js';
import { LocalTokenIssuer } from '../../lib/adapters/auth/local-issuer.js';
import type { CliIo } from '../../lib/cli/command.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), api: () => { throw new Error('login needs no API'); } };
  return { io: value, out, err };
}

describe('tradeops login --local', () => {
  it('prints only a token the local system accepts, with the user and roles asked for', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradeops-login-'));
    const issuer = await LocalTokenIssuer.open(dataDir);
    const t = io();
    expect(await runCli(['login', '--local', '--user', 'jane.smith', '--role', 'risk_manager', '--role', 'operator', '--data-dir', dataDir], t.io)).toBe(0);
    expect(t.out).toHaveLength(1);
    expect(await issuer.verify(t.out[0] ?? '')).toMatchObject({ kind: 'authenticated', identity: { user: 'jane.smith', roles: ['risk_manager', 'operator'] } });
  });

  it('exits 2 naming the flag for a missing user, a missing or unknown role, a bad ttl, or no --local', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--local', '--role', 'admin'], /--user: required/],
      [['--local', '--user', 'jane'], /--role: required/],
      [['--local', '--user', 'jane', '--role', 'root'], /"root" is not a role/],
      [['--local', '--user', 'jane', '--role', 'admin', '--ttl', '5'], /--ttl/],
      [['--local', '--user', 'bad name', '--role', 'admin'], /--user/],
      [['--user', 'jane', '--role', 'admin'], /Cognito/],
    ];
    for (const [args, message] of cases) {
      const t = io();
      expect(await runCli(['login', ...args], t.io), args.join(' ')).toBe(2);
      expect(t.err.join('\n')).toMatch(message);
    }
  });

  it('exits 1 and says to start the system when there is no local key yet', async () => {
    const t = io();
    expect(await runCli(['login', '--local', '--user', 'jane', '--role', 'viewer', '--data-dir', mkdtempSync(join(tmpdir(), 'tradeops-nokey-'))], t.io)).toBe(1);
    expect(t.err.join('\n')).toMatch(/AUTH.NO_LOCAL_KEY.*npm start/);
  });
});
