import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newOrderDenial, SystemPhaseRecordSchema, type SystemPhaseChange, type SystemPhaseRecord } from '../../../lib/core/lifecycle/phase.js';
import { readFileSync } from 'node:fs';
import { beginDrain, beginStartup, failStartup, STARTUP_RUN_MAX_S, judgeDrain, markDrainTimedOut, markReady, markStopped, recordStartupStep } from '../../../lib/core/lifecycle/transitions.js';

const T0 = new Date('2026-11-27T21:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);
const v = (change: SystemPhaseChange, version = 0): SystemPhaseRecord => SystemPhaseRecordSchema.parse({ ...change, version });
function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`refused: ${r.error.code}`);
  return r.value;
}
const starting = () => v(must(beginStartup(undefined, { runId: 'R1', by: 'jane', reason: 'morning', now: T0 })));
const ready = () => v(must(markReady(starting(), 'R1', later(5))), 1);
const draining = (timeoutS = 60) => v(must(beginDrain(ready(), { drainId: 'D1', by: 'jane', reason: 'eod', timeoutS, now: later(10) })), 2);

describe('lifecycle transitions', () => {
  it('takes a fresh install through STARTING to READY, recording who started it', () => {
    // Act
    const r = ready();
    // Assess
    expect(r).toMatchObject({ phase: 'READY', by: 'jane', startup: { runId: 'R1', status: 'SUCCEEDED' } });
  });

  it('refuses a second startup while one runs, and a startup while a drain runs', () => {
    expect(beginStartup(starting(), { runId: 'R2', by: 'joe', reason: 'x', now: later(1) })).toMatchObject({ ok: false, error: { code: 'LIFECYCLE.STARTUP_RUNNING' } });
    expect(beginStartup(draining(), { runId: 'R2', by: 'joe', reason: 'x', now: later(11) })).toMatchObject({ ok: false, error: { code: 'LIFECYCLE.DRAINING' } });
  });

  it('allows a startup after a failed run, after STOPPED and after a timed-out drain', () => {
    const failed = v(must(recordStartupStep(starting(), 'R1', { step: 'CheckBrokerConnection', status: 'failed', at: T0.toISOString(), summary: 'down', code: 'STARTUP.BROKER_NOT_CONNECTED' })), 1);
    const stopped = v(must(markStopped(draining(), 'D1', later(20))), 3);
    const timedOut = v(must(markDrainTimedOut(draining(), 'D1', ['CO-1'], later(80))), 3);
    for (const cur of [failed, stopped, timedOut]) expect(beginStartup(cur, { runId: 'R9', by: 'joe', reason: 'again', now: later(100) }).ok).toBe(true);
  });

  it('stops the run at a failed step with its code, and keeps the phase STARTING', () => {
    const failed = must(recordStartupStep(starting(), 'R1', { step: 'ReconcileOrders', status: 'failed', at: T0.toISOString(), summary: '1 unresolved', code: 'STARTUP.UNRESOLVED_ORDERS' }));
    expect(failed).toMatchObject({ phase: 'STARTING', startup: { status: 'FAILED', failedStep: 'ReconcileOrders', error: { code: 'STARTUP.UNRESOLVED_ORDERS' } } });
    expect(markReady(v(failed, 1), 'R1', later(2))).toMatchObject({ ok: false, error: { code: 'LIFECYCLE.RUN_FINISHED' } });
    expect(failStartup(v(failed, 1), 'R1', { code: 'X', message: 'y', now: later(2) })).toMatchObject({ ok: false, error: { code: 'LIFECYCLE.ALREADY_RECORDED' } });
  });

  it('lets a shutdown win over a startup in progress: MarkReady then refuses', () => {
    const d = v(must(beginDrain(starting(), { drainId: 'D1', by: 'joe', reason: 'abort', timeoutS: 60, now: later(1) })), 1);
    expect(markReady(d, 'R1', later(2))).toMatchObject({ ok: false, error: { code: 'LIFECYCLE.NOT_STARTING' } });
  });

  it('refuses a step of a run that is no longer current', () => {
    expect(recordStartupStep(ready(), 'OLD', { step: 'ValidateConfig', status: 'ok', at: T0.toISOString(), summary: 'ok' })).toMatchObject({ ok: false, error: { code: 'LIFECYCLE.STALE_RUN' } });
  });

  it('drains to STOPPED when no order works, times out at the deadline, and ignores a superseded drain', () => {
    const d = draining(60);
    expect(judgeDrain(d, 'D1', 2, later(30))).toEqual({ kind: 'waiting', working: 2 });
    expect(judgeDrain(d, 'D1', 0, later(30))).toEqual({ kind: 'drained' });
    expect(judgeDrain(d, 'D1', 1, later(70))).toEqual({ kind: 'timed_out', working: 1 });
    expect(judgeDrain(d, 'OTHER', 0, later(30)).kind).toBe('superseded');
    expect(must(markStopped(d, 'D1', later(31)))).toMatchObject({ phase: 'STOPPED', by: 'jane', drain: { finishedAt: later(31).toISOString() } });
  });

  it('keeps a timed-out drain DRAINING with the working orders listed, and lets a second shutdown start a new drain', () => {
    const t = v(must(markDrainTimedOut(draining(), 'D1', ['CO-1', 'CO-2'], later(80))), 3);
    expect(t).toMatchObject({ phase: 'DRAINING', drain: { timedOut: true, workingOrders: ['CO-1', 'CO-2'] } });
    expect(beginDrain(draining(), { drainId: 'D2', by: 'joe', reason: 'x', timeoutS: 5, now: later(11) })).toMatchObject({ ok: false, error: { code: 'LIFECYCLE.ALREADY_DRAINING' } });
    expect(must(beginDrain(t, { drainId: 'D2', by: 'joe', reason: 'again', timeoutS: 5, now: later(90) })).drain).toMatchObject({ drainId: 'D2', timedOut: false });
  });

  it('refuses a shutdown of a STOPPED system', () => {
    expect(beginDrain(v(must(markStopped(draining(), 'D1', later(20))), 3), { drainId: 'D2', by: 'joe', reason: 'x', timeoutS: 5, now: later(30) })).toMatchObject({ ok: false, error: { code: 'LIFECYCLE.ALREADY_STOPPED' } });
  });
});

describe('newOrderDenial', () => {
  it('admits new orders only when READY or before the lifecycle ever ran', () => {
    expect(newOrderDenial(undefined)).toBeUndefined();
    expect(newOrderDenial(ready())).toBeUndefined();
    expect(newOrderDenial(starting())?.code).toBe('SYSTEM.STARTING');
    expect(newOrderDenial(draining())?.code).toBe('SYSTEM.DRAINING');
    expect(newOrderDenial(v(must(markStopped(draining(), 'D1', later(20))), 3))?.code).toBe('SYSTEM.STOPPED');
  });

  it('never lets a run of operations end READY after a shutdown unless a startup passed afterwards', () => {
    // Property: any interleaving of the operations leaves READY only if the last successful change was markReady.
    const op = fc.constantFrom('startup', 'ready', 'shutdown', 'stopped', 'timeout');
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        let cur: SystemPhaseRecord | undefined;
        let lastOk = '';
        let n = 0;
        for (const o of ops) {
          n++;
          const now = later(n);
          const runId = cur?.startup?.runId ?? 'none';
          const drainId = cur?.drain?.drainId ?? 'none';
          const r =
            o === 'startup' ? beginStartup(cur, { runId: `R${n}`, by: 'a', reason: '', now })
            : o === 'ready' ? markReady(cur, runId, now)
            : o === 'shutdown' ? beginDrain(cur, { drainId: `D${n}`, by: 'a', reason: '', timeoutS: 5, now })
            : o === 'stopped' ? markStopped(cur, drainId, now)
            : markDrainTimedOut(cur, drainId, [], now);
          if (r.ok) {
            cur = SystemPhaseRecordSchema.parse({ ...r.value, version: (cur?.version ?? -1) + 1 });
            lastOk = o;
          }
        }
        if (cur?.phase === 'READY') expect(lastOk).toBe('ready');
        if (cur !== undefined && cur.phase !== 'READY') expect(newOrderDenial(cur)).toBeDefined();
      }),
    );
  });
});

describe('lifecycle transitions after a lost monitor', () => {
  it('treats a drain past its deadline as over: a startup or a new shutdown may follow', () => {
    const d = draining(60);
    expect(beginStartup(d, { runId: 'R2', by: 'joe', reason: 'resume', now: later(71) }).ok).toBe(true);
    expect(beginDrain(d, { drainId: 'D2', by: 'joe', reason: 'again', timeoutS: 60, now: later(71) }).ok).toBe(true);
  });

  it('treats a startup run older than the workflow timeout as no longer running', () => {
    expect(beginStartup(starting(), { runId: 'R2', by: 'joe', reason: 'x', now: later(STARTUP_RUN_MAX_S - 1) }).ok).toBe(false);
    expect(beginStartup(starting(), { runId: 'R2', by: 'joe', reason: 'x', now: later(STARTUP_RUN_MAX_S) }).ok).toBe(true);
  });

  it('keeps STARTUP_RUN_MAX_S equal to the startup workflow timeout', () => {
    const asl = JSON.parse(readFileSync(new URL('../../../statemachines/startup.asl.json', import.meta.url), 'utf8')) as { TimeoutSeconds: number };
    expect(asl.TimeoutSeconds).toBe(STARTUP_RUN_MAX_S);
  });
});
