import type { CancelVerification } from '../../core/kill-switch/activation.js';
import type { CancelAllOrders } from '../../core/orders/commands.js';
import type { CorrelationId } from '../../core/shared/ids.js';
import type { KillSwitchDeps } from './deps.js';

/**
 * Runbook `cancel_all_orders.py --force` as a use case: sends CancelAllOrders to the bridge (which
 * withdraws unsent orders, sends a global cancel and verifies it against the broker's open orders),
 * audits the request with who asked, then waits up to `waitMs` for the bridge's verdict.
 * `verification` is `undefined` when the bridge has not answered in time (it may still be retrying;
 * `GET /api/system/status` shows the last verdict).
 * @example
 * const r = await cancelAllOrders({ ...deps, sleep }, { by: 'john.doe', reason: 'runbook', correlationId, waitMs: 5000 });
 */
export async function cancelAllOrders(
  deps: Pick<KillSwitchDeps, 'commands' | 'audit' | 'killSwitch' | 'clock'> & { sleep: (ms: number) => Promise<void> },
  req: { by: string; reason: string; correlationId: string; waitMs: number },
): Promise<{ requested: true; verification: CancelVerification | undefined }> {
  const cmd: CancelAllOrders = { kind: 'CancelAllOrders', reason: req.reason, correlationId: req.correlationId as CorrelationId, issuedAt: deps.clock.now().toISOString(), issuedBy: req.by };
  await deps.commands.send(cmd);
  await deps.audit.append({ actor: req.by, action: 'ORDERS_CANCEL_ALL_REQUESTED', subject: 'orders', correlationId: req.correlationId, data: { reason: req.reason } });
  const deadline = deps.clock.now().getTime() + req.waitMs;
  for (;;) {
    const v = await deps.killSwitch.getCancelVerification();
    if (v?.correlationId === req.correlationId) return { requested: true, verification: v };
    if (deps.clock.now().getTime() >= deadline) return { requested: true, verification: undefined };
    await deps.sleep(50);
  }
}
