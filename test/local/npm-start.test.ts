/**
 * `npm start` as a process: what a newcomer sees. Bad flags and bad config stop it with the flag or
 * the file and field named; a good start prints where everything is, and SIGINT stops it cleanly.
 * Ports come from a copied config (random high ports), so a developer's own `npm start` is not disturbed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

const REPO = new URL('../../', import.meta.url).pathname;
const TSX = join(REPO, 'node_modules/.bin/tsx');

function run(args: string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; child: ReturnType<typeof spawn>; stdout: () => string } {
  const child = spawn(TSX, [join(REPO, 'bin/local.ts'), ...args], { cwd: REPO, env: { ...process.env, PATH: `${join(REPO, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}` } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { done, child, stdout: () => stdout };
}

/** `npx tradeops …` as an operator runs it. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(join(REPO, 'node_modules/.bin/node'), [join(REPO, 'bin/tradeops.mjs'), ...args], { cwd: REPO });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function configDirWith(edit: (yaml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tradeops-start-'));
  writeFileSync(join(dir, 'local.yaml'), edit(readFileSync(join(REPO, 'config/local.yaml'), 'utf8')));
  return dir;
}

describe('npm start (bin/local.ts)', () => {
  it('exits 2 naming an unknown flag', async () => {
    const r = await run(['--bogus']).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bogus/);
    expect(r.stderr).toMatch(/usage: npm start/);
  });

  it('exits 1 naming the file and the field of a bad config value, starting nothing', async () => {
    const dir = configDirWith((y) => y.replace('maxMessagesPerSecond: 40\n  readOnlyApi', 'maxMessagesPerSecond: 400\n  readOnlyApi'));
    const r = await run(['--config-dir', dir]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/configuration error — nothing was started/);
    expect(r.stderr).toMatch(/local\.yaml.*broker\.maxMessagesPerSecond/s);
  });

  it('prints where everything is, answers /ready, and stops cleanly on SIGINT', async () => {
    const [api, sim, admin] = [await freePort(), await freePort(), await freePort()];
    const dir = configDirWith((y) => y.replace('apiPort: 8080', `apiPort: ${api}`).replace('ibSimPort: 4002', `ibSimPort: ${sim}`).replace('ibSimAdminPort: 4010', `ibSimAdminPort: ${admin}`));
    const dataDir = mkdtempSync(join(tmpdir(), 'tradeops-start-data-'));
    const p = run(['--config-dir', dir, '--data-dir', dataDir]);
    try {
      const deadline = Date.now() + 45_000;
      let ready = false;
      while (Date.now() < deadline && !ready) {
        ready = await fetch(`http://127.0.0.1:${api}/ready`).then((r) => r.status === 200, () => false);
        if (!ready) await new Promise((r) => setTimeout(r, 250));
      }
      expect(ready).toBe(true);
      expect(p.stdout()).toContain(`http://localhost:${api}`);
      expect(p.stdout()).toContain(`127.0.0.1:${sim}`);
      expect(p.stdout()).toMatch(/Logs \(JSON\)\s+\S+app\.log/);
      expect(p.stdout()).toMatch(/Memory\s+\d+ MB RSS/);
      expect(p.stdout()).toContain('tradeops login --local');

      // The runbook's calls with tokens from the CLI: reads open on loopback, changes need a token.
      const token = async (role: string) => {
        const r = await cli(['login', '--local', '--user', 'john.doe', '--role', role, '--data-dir', dataDir]);
        expect(r.code, r.stderr).toBe(0);
        return r.stdout.trim();
      };
      const postSignal = (auth?: string) =>
        fetch(`http://127.0.0.1:${api}/api/signals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(auth === undefined ? {} : { authorization: `Bearer ${auth}` }) },
          body: JSON.stringify({ signalId: `SIG-START-${Date.now()}`, strategyId: 'manual', agentId: 'desk', agentVersion: '1', symbol: 'AAPL', direction: 'FLAT', strength: 1, horizon: 'intraday', rationale: 'access check', createdAt: new Date().toISOString() }),
        });
      expect((await fetch(`http://127.0.0.1:${api}/api/orders/pending`)).status).toBe(200);
      expect((await postSignal()).status).toBe(401);
      expect((await postSignal('not.a.token')).status).toBe(401);
      expect((await postSignal(await token('viewer'))).status).toBe(403);
      expect((await postSignal(await token('operator'))).status).toBe(202);
    } finally {
      p.child.kill('SIGINT');
    }
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stopped cleanly.');
  });
});
