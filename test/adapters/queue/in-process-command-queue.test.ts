import { describe, expect, it } from 'vitest';
import { InProcessCommandQueue } from '../../../lib/adapters/queue/in-process-command-queue.js';
import type { OrderCommand } from '../../../lib/core/orders/commands.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { cancel, label, submit, until } from './commands.js';

describe('InProcessCommandQueue', () => {
  it('drops a resent command inside the 5-minute dedup window and accepts it after', async () => {
    const clock = new ManualClock();
    const q = new InProcessCommandQueue({ clock });
    const handled: string[] = [];
    q.start(async (c) => void handled.push(label(c)));

    await q.send(submit('CO-1'));
    await q.send(submit('CO-1'));
    clock.advance(4 * 60_000);
    await q.send(submit('CO-1'));
    await q.drain();
    clock.advance(60_001);
    await q.send(submit('CO-1'));
    await q.drain();
    await q.stop();

    expect(handled).toEqual(['submit:CO-1', 'submit:CO-1']);
  });

  it('keeps order within a group while other groups proceed', async () => {
    const q = new InProcessCommandQueue({ clock: new ManualClock() });
    const handled: string[] = [];
    let releaseA!: () => void;
    const gateA = new Promise<void>((r) => (releaseA = r));
    q.start(async (c) => {
      if (label(c) === 'submit:A') await gateA;
      handled.push(label(c));
    });

    await q.send(submit('A'));
    await q.send(cancel('A', '2026-11-26T14:30:01.000Z'));
    await q.send(submit('B'));
    await until(() => handled.includes('submit:B'));
    const whileABlocked = [...handled];
    releaseA();
    await q.drain();
    await q.stop();

    expect(whileABlocked).toEqual(['submit:B']);
    expect(handled).toEqual(['submit:B', 'submit:A', 'cancel:A']);
  });

  it('redelivers a failed command before the next of its group, then dead-letters it', async () => {
    const q = new InProcessCommandQueue({ clock: new ManualClock(), visibilityTimeoutMs: 5, maxReceiveCount: 3 });
    const attempts: string[] = [];
    q.start(async (c: OrderCommand) => {
      attempts.push(label(c));
      if (label(c) === 'submit:X') throw new Error('broker down');
    });

    await q.send(submit('X'));
    await q.send(cancel('X', '2026-11-26T14:30:01.000Z'));
    await q.drain();
    await q.stop();

    expect(attempts).toEqual(['submit:X', 'submit:X', 'submit:X', 'cancel:X']);
    expect(q.deadLetters()).toMatchObject([{ groupId: 'X', receiveCount: 3, error: 'broker down' }]);
  });

  it('holds commands sent before start and stop waits for the one in flight', async () => {
    const q = new InProcessCommandQueue({ clock: new ManualClock() });
    await q.send(submit('P'));
    let finished = false;
    q.start(async () => {
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
    });

    await until(() => q.depth() === 1);
    await new Promise((r) => setTimeout(r, 1));
    await q.stop();

    expect(finished).toBe(true);
  });

  it('refuses a malformed command', async () => {
    const q = new InProcessCommandQueue({ clock: new ManualClock() });
    await expect(q.send({ kind: 'SubmitOrder' } as OrderCommand)).rejects.toMatchObject({ code: 'QUEUE.INVALID_COMMAND' });
  });
});
