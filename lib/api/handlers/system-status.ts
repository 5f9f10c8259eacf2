import type { ApiResponse, RequestContext } from '../route-spec.js';

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
    },
  };
}
