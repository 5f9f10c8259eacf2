import type { DecimalString } from '../money/decimal-string.js';
import { RiskParameterError } from './errors.js';
import { reaches } from '../metrics/threshold.js';

/**
 * Limit utilisation and the runbook's alert levels, as pure classifiers. The config (alerts.yaml
 * thresholds) is mapped onto these types by the caller; the core does not read config.
 */

/** Runbook alerts.yaml: var_warning at 0.8, var_critical at 0.9 (action reduce_positions). */
export interface UtilizationLevels {
  warning: number;
  critical: number;
}
export const VAR_ALERT_LEVELS: UtilizationLevels = Object.freeze({ warning: 0.8, critical: 0.9 });
/** Runbook Key Metrics: leverage warning 1.5×, critical 1.8×. */
export const LEVERAGE_LEVELS: UtilizationLevels = Object.freeze({ warning: 1.5, critical: 1.8 });

export type RiskLevel = 'ok' | 'warning' | 'critical';
export type VarAlertName = 'var_warning' | 'var_critical';

export interface VarClassification {
  level: RiskLevel;
  /** The most severe alert whose threshold is reached, or null. */
  alert: VarAlertName | null;
  /** The alert's runbook action: var_critical → reduce_positions. */
  action: 'reduce_positions' | null;
}

/**
 * VaR / limit. The limit must be positive (a zero limit means "no VaR allowed", which is a config
 * error, not a division).
 * @throws RiskParameterError `RISK.INVALID_PARAMETER`
 * @example varUtilization(850_000, 1_000_000) // 0.85
 */
export function varUtilization(varValue: number, limit: number): number {
  if (!(limit > 0 && Number.isFinite(limit))) throw new RiskParameterError('limit', `must be a positive number, got ${limit}`);
  if (!Number.isFinite(varValue)) throw new RiskParameterError('var', `must be finite, got ${varValue}`);
  return varValue / limit;
}

/**
 * Classifies VaR utilisation against the runbook levels: warning from 0.8 inclusive, critical only
 * above 0.9 (the runbook's "80-90%" band and "> 90%"; see `reaches`). A negative VaR (tail scenario
 * still a gain) is ok.
 * @example classifyVarUtilization(0.92) // { level: 'critical', alert: 'var_critical', action: 'reduce_positions' }
 */
export function classifyVarUtilization(utilization: number, levels: UtilizationLevels = VAR_ALERT_LEVELS): VarClassification {
  assertLevels(levels);
  if (reaches('CRITICAL', 'above', utilization, levels.critical)) return { level: 'critical', alert: 'var_critical', action: 'reduce_positions' };
  if (reaches('WARNING', 'above', utilization, levels.warning)) return { level: 'warning', alert: 'var_warning', action: null };
  return { level: 'ok', alert: null, action: null };
}

/**
 * Classifies leverage (gross / net liquidation) against the runbook levels; `null` leverage (no
 * equity left) is critical.
 * @example classifyLeverage(1.6) // 'warning'
 */
export function classifyLeverage(value: number | null, levels: UtilizationLevels = LEVERAGE_LEVELS): RiskLevel {
  assertLevels(levels);
  if (value === null || reaches('CRITICAL', 'above', value, levels.critical)) return 'critical';
  return reaches('WARNING', 'above', value, levels.warning) ? 'warning' : 'ok';
}

function assertLevels(levels: UtilizationLevels): void {
  if (!(levels.warning > 0 && levels.critical >= levels.warning)) throw new RiskParameterError('levels', `need 0 < warning ≤ critical, got ${levels.warning} / ${levels.critical}`);
}

/** One row of the VaR decomposition (`var-decomposition`, `GET /api/risk/var`). */
export interface VarComponentRow {
  symbol: string;
  /** Signed exposure in account currency. */
  exposure: DecimalString;
  /** Component VaR (contribution); negative for a hedge. */
  component: DecimalString;
  /** Component / total VaR (null when the total is 0). */
  share: number | null;
  /** ∂VaR/∂exposure: VaR added per unit of extra exposure. */
  marginal: number;
}

/** The `GET /api/risk/var` body: `{ var, limit, utilization, … components }`. */
export interface VarReport {
  method: 'historical' | 'parametric';
  confidence: number;
  window: number;
  var: DecimalString;
  limit: DecimalString;
  utilization: number;
  level: RiskLevel;
  alert: VarAlertName | null;
  /** Positions with exposure, largest component first. */
  components: VarComponentRow[];
}

/**
 * Builds the report the API and the CLI print from a VaR result (historical or parametric), its
 * symbols and exposures. Money rounded to cents (VaR is an estimate; cents are display precision),
 * utilisation and shares to 4 decimals.
 * @example varReport(historicalVar(m, e), m.symbols, e, 1_000_000).utilization
 */
export function varReport(
  result: { method: 'historical' | 'parametric'; confidence: number; window: number; var: number; components: Float64Array; marginal: Float64Array },
  symbols: readonly string[],
  exposures: ArrayLike<number>,
  limit: number,
  levels: UtilizationLevels = VAR_ALERT_LEVELS,
): VarReport {
  const utilization = varUtilization(result.var, limit);
  const { level, alert } = classifyVarUtilization(utilization, levels);
  const components: VarComponentRow[] = [];
  symbols.forEach((symbol, i) => {
    const e = exposures[i]!;
    if (e === 0) return;
    const c = result.components[i]!;
    components.push({ symbol, exposure: money(e), component: money(c), share: result.var === 0 ? null : round4(c / result.var), marginal: result.marginal[i]! });
  });
  components.sort((a, b) => Number(b.component) - Number(a.component) || a.symbol.localeCompare(b.symbol));
  return { method: result.method, confidence: result.confidence, window: result.window, var: money(result.var), limit: money(limit), utilization: round4(utilization), level, alert, components };
}

/** A float money estimate as a decimal string with 2 places (no "-0.00"). @internal */
export function money(x: number): DecimalString {
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 + 0;
