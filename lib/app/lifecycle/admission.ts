import { newOrderDenial } from '../../core/lifecycle/phase.js';
import type { SystemPhaseStore } from '../../ports/system-phase.js';

/**
 * The lifecycle's word on a new order, as a pre-trade reason (`SYSTEM.DRAINING`, …), or undefined
 * when the phase admits it. Read per check, like the trading state: a shutdown requested a moment
 * ago denies the next order.
 */
export async function lifecycleDenial(phases: SystemPhaseStore | undefined): Promise<{ code: string; message: string } | undefined> {
  if (phases === undefined) return undefined;
  return newOrderDenial(await phases.get());
}
