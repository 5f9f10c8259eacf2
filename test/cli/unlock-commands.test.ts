import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.js';
import type { CliIo } from '../../lib/cli/command.js';
import { as } from '../api/api-harness.js';
import { halted } from '../api/unlock-harness.js';

/** The CLI over the real route table and handlers (in-memory ports), acting as `user`. */
function cliAs(h: Awaited<ReturnType<typeof halted>>, user: string, role: 'operator' | 'risk_manager') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    api: () => ({
      get: async (path) => h.call('GET', path, undefined, as(user, role)),
      post: async (path, body) => h.call('POST', path, JSON.stringify(body), as(user, role)),
    }),
  };
  return { run: (...argv: string[]) => runCli(argv, io), out, err };
}

describe('tradeops unlock-request / unlock-approve / unlock-status', () => {
  it('runs the runbook\'s two-person unlock end to end', async () => {
    const h = await halted();
    const john = cliAs(h, 'john.doe', 'operator');
    const jane = cliAs(h, 'jane.smith', 'risk_manager');

    expect(await john.run('unlock-request', '--reason', 'incident closed', '--mode', 'reducing')).toBe(0);
    const id = /REQ-[0-9A-Z]{26}/.exec(john.out[0] ?? '')?.[0] ?? '';
    expect(await john.run('unlock-approve', '--request-id', id)).toBe(1);
    expect(john.err.at(-1)).toContain('UNLOCK.SELF_APPROVAL');
    expect(await jane.run('unlock-approve', '--request-id', id)).toBe(0);
    expect(await jane.run('unlock-status', '--request-id', id)).toBe(0);

    expect(jane.out[0]).toBe(`${id}: EXECUTED — trading resumed`);
    expect(jane.out.join('\n')).toContain(`${id}  EXECUTED  → REDUCING`);
    expect((await h.stores.tradingState.get())!.mode).toBe('REDUCING');
  });

  it('refuses a bad --mode and a missing --request-id as usage errors', async () => {
    const h = await halted();
    const john = cliAs(h, 'john.doe', 'operator');

    expect(await john.run('unlock-request', '--mode', 'LIVE')).toBe(2);
    expect(await john.run('unlock-approve')).toBe(2);
  });
});
