import type { ApiResponse, RequestContext } from '../route-spec.js';
import { activationMatches } from '../../core/kill-switch/rules.js';

/**
 * `GET /api/system/status` — the runbook's kill-switch check:
 * `{"kill_switch": false, "trading_enabled": true, "trading_state": "ACTIVE", ...}`.
 * Snake case because the runbook and its operators' scripts read these names.
 */
export async function systemStatus(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const state = await deps.stores.tradingState.get();
  if (!state) {
    // Not initialised yet (first start in progress): fail safe, report no trading.
    return { status: 200, body: { kill_switch: false, trading_enabled: false, trading_state: 'UNINITIALISED', env: deps.env, account_mode: deps.accountMode } };
  }
  // kill switch: who pressed it, the incident, halted strategies, the bridge's last cancel verdict
  const [activation, halts, cancel] = await Promise.all([deps.stores.killSwitch.getActivation(), deps.stores.killSwitch.listStrategyHalts(), deps.stores.killSwitch.getCancelVerification()]);
  const current = activationMatches(state, activation) ? activation : undefined;
  return {
    status: 200,
    body: {
      kill_switch: state.mode === 'HALTED',
      trading_enabled: state.mode !== 'HALTED',
      trading_state: state.mode,
      version: state.version,
      changed_at: state.changedAt,
      changed_by: state.changedBy,
      reason: state.reason,
      env: deps.env,
      account_mode: deps.accountMode,
      // broker resilience (issue 4): the broker as the bridge last reported it
      broker: await brokerSummary(deps),
      activated_by: current?.activatedBy ?? (state.mode === 'HALTED' ? state.changedBy : null),
      activated_at: current?.activatedAt ?? (state.mode === 'HALTED' ? state.changedAt : null),
      activation_reason: current?.reason ?? (state.mode === 'HALTED' ? state.reason : null),
      incident_id: current?.incidentId ?? null,
      halted_strategies: halts.map((h) => ({ strategyId: h.strategyId, halted_by: h.haltedBy, halted_at: h.haltedAt, reason: h.reason, incident_id: h.incidentId ?? null })),
      last_cancel_verification: cancel ?? null,
    },
  };
}

/** Connected, reconciled and aligned, or "broker maintenance" (an expected outage in a known window). */
async function brokerSummary(deps: RequestContext['deps']): Promise<Record<string, unknown>> {
  const broker = (await deps.stores.health.list()).find((h) => h.component === 'broker');
  if (broker === undefined) return { connected: false, reported: false };
  const d = broker.detail;
  const rec = d['reconciliation'] as { aligned?: boolean; differences?: unknown[]; reconciledAt?: string } | undefined;
  return {
    connected: d['connected'] === true,
    reconciled: d['reconciled'] === true,
    broker_maintenance: d['broker_maintenance'] === true,
    ...(typeof d['maintenance_window'] === 'string' ? { maintenance_window: d['maintenance_window'], maintenance_ends_at: d['maintenance_ends_at'] } : {}),
    ...(rec === undefined ? {} : { aligned: rec.aligned === true, differences: rec.differences ?? [], reconciled_at: rec.reconciledAt }),
    observed_at: broker.observedAt,
  };
}
