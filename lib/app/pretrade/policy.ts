import { z } from 'zod';
import type { AppConfig } from '../../config/schema.js';
import { ComplianceRulesSchema, RiskLimitsSchema } from '../../core/pretrade/limits.js';
import { min, parseDecimal, toDecimalString } from '../../core/money/fixed.js';
import type { PretradePolicy } from './check-tasks.js';

/**
 * The pre-trade policy from an environment's config — the one mapping both runtimes use (the
 * local runtime directly, AWS through the task Lambdas' environment, serialised at synth).
 * Leverage: warn at the `leverage_warning` alert, deny above the lower of `limits.maxLeverage`
 * and the `leverage_critical` alert; VaR utilisation levels come from `var_warning`/`var_critical`.
 */
export function pretradePolicyFromConfig(config: AppConfig): PretradePolicy {
  const threshold = (alert: string, fallback: string): string => {
    const t = config.alerts[alert]?.threshold;
    return typeof t === 'number' ? String(t) : fallback;
  };
  const { restrictedSymbols, noShortSymbols, blackoutWindows, surveillance: _surveillance, ...rules } = config.compliance;
  const l = config.limits;
  return {
    limits: {
      maxOrderQuantity: l.maxOrderQuantity,
      maxOrderNotional: l.maxOrderNotional,
      priceCollarBps: l.priceCollarBps,
      maxPositionNotionalPerInstrument: l.maxPositionNotionalPerInstrument,
      maxGrossExposure: l.maxGrossExposure,
      maxNetExposure: l.maxNetExposure,
      leverageWarning: threshold('leverage_warning', '1.5'),
      leverageCritical: toDecimalString(min(parseDecimal(l.maxLeverage), parseDecimal(threshold('leverage_critical', '1.8')))),
      dailyLossLimit: l.dailyLossLimit,
      varLimit: l.varLimit,
      varWarningUtilization: threshold('var_warning', '0.8'),
      varCriticalUtilization: threshold('var_critical', '0.9'),
      maxMessagesPerSecond: l.maxMessagesPerSecond,
      maxActiveOrdersPerContractSide: l.maxActiveOrdersPerContractSide,
    },
    compliance: rules,
    restrictedSymbols,
    noShortSymbols,
    blackoutWindows: blackoutWindows.map((w) => ({ symbol: w.symbol, from: w.from, to: w.to, ...(w.reason === undefined ? {} : { reason: w.reason }) })),
  };
}

/** The policy as it travels (the task Lambdas' environment): validated where it is read. */
export const PretradePolicySchema = z.strictObject({
  limits: RiskLimitsSchema,
  compliance: ComplianceRulesSchema,
  restrictedSymbols: z.array(z.string()),
  noShortSymbols: z.array(z.string()),
  blackoutWindows: z.array(z.strictObject({ symbol: z.string(), from: z.string(), to: z.string(), reason: z.string().optional() })),
});
