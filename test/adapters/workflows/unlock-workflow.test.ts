import { afterEach, describe, expect, it } from 'vitest';
import { LocalWorkflowRunner } from '../../../lib/adapters/workflows/local-workflow-runner.js';
import { cancelUnlockRequest, approveUnlockRequest, requestUnlock } from '../../../lib/app/unlock/unlock-service.js';
import { createAwaitUnlockApprovalTask, createCheckUnlockPreconditionsTask, createExecuteUnlockTask, createExpireUnlockRequestTask } from '../../../lib/app/unlock/unlock-tasks.js';
import type { UnlockPolicy, UnlockRequest } from '../../../lib/core/controls/unlock-request.js';
import { poll } from '../../support/poll.js';
import { unlockFixture } from '../../app/unlock/unlock-fixture.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const c = 'c-asl';
const runners: LocalWorkflowRunner[] = [];
const errors: string[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
  expect(errors.splice(0)).toEqual([]);
});

/** The unlock use cases with statemachines/unlock.asl.json running in the local interpreter, callbacks emulated. */
async function withWorkflow(policy: Partial<UnlockPolicy> = {}) {
  const f = await unlockFixture({ policy });
  const deps = { unlock: f.deps };
  const runner = new LocalWorkflowRunner({
    root: ROOT,
    handlers: {
      AwaitUnlockApproval: createAwaitUnlockApprovalTask(deps),
      CheckUnlockPreconditions: createCheckUnlockPreconditionsTask(deps),
      ExecuteUnlock: createExecuteUnlockTask(deps),
      ExpireUnlockRequest: createExpireUnlockRequestTask(deps),
    },
    onExecutionError: (_wf, name, e) => errors.push(`${name}: ${e instanceof Error ? `${e.name} ${e.message}` : String(e)}`),
  });
  runners.push(runner);
  f.deps.tokens = runner.tokens;
  f.deps.workflows = runner;
  const open = async (): Promise<UnlockRequest> => {
    const r = await requestUnlock(f.deps, { requestor: 'john.doe', roles: ['operator'], reason: 'ready', targetMode: 'ACTIVE', correlationId: c });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.workflow).toBe('started');
    return r.value.request;
  };
  /** Waits until the workflow's wait state holds a token other than `previous`. */
  const waiting = (id: string, previous?: string) => poll(`a task token on ${id}`, async () => {
    const t = (await f.stores.unlockRequests.get(id))?.taskToken;
    return t !== undefined && t !== previous && runner.tokens.pending === 1 ? t : undefined;
  }, 5_000, 10);
  const approve = (requestId: string, approver: string) => approveUnlockRequest(f.deps, { requestId, approver, roles: ['risk_manager'], correlationId: c });
  const finished = () => poll('the workflow to finish', async () => (runner.running === 0 ? true : undefined), 5_000, 10);
  return { ...f, runner, open, waiting, approve, finished };
}

describe('the unlock workflow (statemachines/unlock.asl.json) in the local interpreter', () => {
  it('waits for the approver\'s task token, then checks and executes HALTED → ACTIVE once', async () => {
    const w = await withWorkflow();
    const req = await w.open();
    await w.waiting(req.requestId);

    const r = await w.approve(req.requestId, 'jane.smith');
    await w.finished();

    // The approval only completed the token; the workflow's ExecuteUnlock made the write.
    expect(r.ok && r.value.execution).toBeUndefined();
    expect(await w.stores.tradingState.get()).toMatchObject({ mode: 'ACTIVE', version: 2 });
    expect(w.publisher.ofType('TradingStateChanged')).toHaveLength(1);
    expect(w.stores.audit.entries.find((e) => e.action === 'UNLOCK_EXECUTED')?.data).toMatchObject({ trigger: 'workflow', approvers: ['jane.smith'] });
    expect((await w.stores.unlockRequests.get(req.requestId))!.status).toBe('EXECUTED');
  });

  it('ends the workflow when the request is withdrawn while it waits for approvers', async () => {
    const w = await withWorkflow();
    const req = await w.open();
    await w.waiting(req.requestId);
    const r = await cancelUnlockRequest(w.deps, { requestId: req.requestId, by: 'john.doe', roles: ['operator'], reason: 'wrong halt', correlationId: c });
    expect(r.ok).toBe(true);
    await w.finished();
    expect((await w.stores.unlockRequests.get(req.requestId))!.status).toBe('CANCELLED');
    expect((await w.stores.tradingState.get())?.mode).toBe('HALTED');
    expect(w.runner.tokens.pending).toBe(0);
  });

  it('loops on the wait state until M = 2 distinct approvals', async () => {
    const w = await withWorkflow({ approvalsRequired: 2 });
    const req = await w.open();
    const first = await w.waiting(req.requestId);

    await w.approve(req.requestId, 'jane.smith');
    await w.waiting(req.requestId, first);
    const halfway = (await w.stores.tradingState.get())!.mode;
    await w.approve(req.requestId, 'raj.risk');
    await w.finished();

    expect(halfway).toBe('HALTED');
    expect((await w.stores.tradingState.get())!.mode).toBe('ACTIVE');
  });

  it('expires the request when the wait state times out', async () => {
    const w = await withWorkflow({ expiryMs: 1_000 });
    const req = await w.open();
    await w.waiting(req.requestId);

    await w.finished();

    expect((await w.stores.unlockRequests.get(req.requestId))!.status).toBe('EXPIRED');
    expect((await w.stores.tradingState.get())!.mode).toBe('HALTED');
    expect(w.runner.tokens.pending).toBe(0);
  });

  it('re-checks a blocked request until the broker is reconciled, then executes', async () => {
    const w = await withWorkflow();
    await w.broker({ connected: true, reconciled: false }, 'degraded');
    const req = await w.open();
    await w.waiting(req.requestId);

    await w.approve(req.requestId, 'jane.smith');
    await poll('the blocked report', async () => ((await w.stores.unlockRequests.get(req.requestId))?.preconditions?.ok === false ? true : undefined), 5_000, 10);
    expect((await w.stores.tradingState.get())!.mode).toBe('HALTED');
    await w.broker({ connected: true, reconciled: true });
    await w.finished();

    expect((await w.stores.tradingState.get())!.mode).toBe('ACTIVE');
  });
});
