import { describe, expect, it } from 'vitest';
import { InboundLanes } from '../../../fargate/gateway/inbound-lanes.js';
import { MemoryLogger } from '../../support/doubles.js';

/** A promise a test resolves by hand, to hold a task at a point of its choosing. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Lets queued continuations run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('InboundLanes', () => {
  it('keeps one order’s events in arrival order while two orders interleave', async () => {
    const lanes = new InboundLanes(new MemoryLogger());
    const log: string[] = [];
    const held = gate();
    // Order A's first event is slow (a store round trip that takes long); B's are quick.
    void lanes.run('order:A', 'a1', async () => {
      log.push('a1 start');
      await held.promise;
      log.push('a1 end');
    });
    void lanes.run('order:A', 'a2', async () => void log.push('a2'));
    void lanes.run('order:B', 'b1', async () => void log.push('b1'));
    void lanes.run('order:B', 'b2', async () => void log.push('b2'));
    await settle();
    // B did not wait for A; A's second event waits for its first.
    expect(log).toEqual(['a1 start', 'b1', 'b2']);
    held.open();
    await lanes.idle();
    expect(log).toEqual(['a1 start', 'b1', 'b2', 'a1 end', 'a2']);
  });

  it('runs a task with several keys after the earlier tasks of each key', async () => {
    const lanes = new InboundLanes(new MemoryLogger());
    const log: string[] = [];
    const order = gate();
    const exec = gate();
    void lanes.run('order:1', 'status', async () => {
      await order.promise;
      log.push('status');
    });
    void lanes.run('exec:x', 'early commission', async () => {
      await exec.promise;
      log.push('commission');
    });
    void lanes.run(['order:1', 'exec:x'], 'execution', async () => void log.push('execution'));
    void lanes.run('exec:x', 'second commission', async () => void log.push('commission 2'));
    order.open();
    await settle();
    expect(log).toEqual(['status']);
    exec.open();
    await lanes.idle();
    expect(log).toEqual(['status', 'commission', 'execution', 'commission 2']);
  });

  it('starts a barrier after every earlier task and holds every later task behind it', async () => {
    const lanes = new InboundLanes(new MemoryLogger());
    const log: string[] = [];
    const slow = gate();
    void lanes.run('order:1', 'fill', async () => {
      await slow.promise;
      log.push('fill 1');
    });
    void lanes.run('order:2', 'fill', async () => void log.push('fill 2'));
    void lanes.runBarrier('execDetailsEnd', async () => void log.push('END'));
    void lanes.run('order:3', 'after', async () => void log.push('after END'));
    await settle();
    expect(log).toEqual(['fill 2']);
    slow.open();
    await lanes.idle();
    expect(log).toEqual(['fill 2', 'fill 1', 'END', 'after END']);
  });

  it('logs a failing task and carries on with its lane, and forgets drained lanes', async () => {
    const logger = new MemoryLogger();
    const lanes = new InboundLanes(logger);
    const log: string[] = [];
    void lanes.run('order:1', 'boom', async () => {
      throw new Error('store down');
    });
    await lanes.run('order:1', 'next', async () => void log.push('next'));
    await lanes.idle();
    await settle();
    expect(log).toEqual(['next']);
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.fields['handler'])).toEqual(['boom']);
    expect(lanes.pending).toBe(0);
    expect(lanes.activeLanes).toBe(0);
  });

  it('runs at most maxConcurrent tasks at once across lanes', async () => {
    const lanes = new InboundLanes(new MemoryLogger(), { maxConcurrent: 2 });
    let running = 0;
    let peak = 0;
    const held = gate();
    for (let i = 0; i < 6; i++) {
      void lanes.run(`order:${i}`, 'task', async () => {
        running += 1;
        peak = Math.max(peak, running);
        await held.promise;
        running -= 1;
      });
    }
    await settle();
    expect(running).toBe(2);
    held.open();
    await lanes.idle();
    expect(peak).toBe(2);
    expect(lanes.pending).toBe(0);
  });
});
