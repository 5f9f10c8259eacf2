import { z } from 'zod';
import { CioConfigSchema, type AppConfig } from '../config/schema.js';
import type { AgentDeps } from './agents.js';
import { cioConfigFromConfig } from './cio/cio-config.js';
import { riskPolicyFromConfig } from './risk/policy.js';
import { RiskPolicySchema } from '../ports/risk.js';
import { DEFAULT_SURVEILLANCE_RULES, type SurveillanceRules } from '../core/surveillance/rules.js';
import { KEY_METRIC_NAMES, type KeyMetricAlert } from '../core/metrics/key-metrics.js';

/** The config's alerts.yaml entries as the Key Metrics dashboard classifies readings with them. */
export function keyMetricAlertsFromConfig(config: AppConfig): KeyMetricAlert[] {
  return Object.entries(config.alerts).map(([name, a]) => ({ name, metric: a.metric, threshold: a.threshold, comparison: a.comparison, severity: a.severity }));
}
// broker resilience (issue 4)
import { BrokerWatchSettingsSchema, brokerWatchSettingsFromConfig } from './broker-watch/settings.js';

/**
 * The settings agents act on, as they travel to a Lambda (serialised from config at synth into
 * `TRADEOPS_AGENT_SETTINGS`) — validated where they are read.
 */
export const AgentSettingsSchema = z.strictObject({
  cio: CioConfigSchema.omit({ maxQuoteAgeMs: true }).extend({
    instruments: z.record(z.string(), z.strictObject({ lotSize: z.number().int().positive(), tickSize: z.string() })),
  }),
  accountId: z.string().optional(),
  maxQuoteAgeMs: z.number().int().positive().optional(),
  risk: z.strictObject({ policy: RiskPolicySchema, minIntervalMs: z.number().int().min(0), maxMissingDays: z.number().int().min(0), lotSizes: z.record(z.string(), z.number().int().positive()) }),
  alerts: z.array(z.strictObject({ name: z.string(), metric: z.enum(KEY_METRIC_NAMES), threshold: z.union([z.number(), z.boolean()]), comparison: z.enum(['above', 'below', 'equals']), severity: z.enum(['WARNING', 'CRITICAL']) })),
  surveillance: z.custom<SurveillanceRules>((v) => typeof v === 'object' && v !== null && 'washWindowMs' in v, 'surveillance rules'),
  brokerWatch: BrokerWatchSettingsSchema.optional(),
});

/** One mapping from an environment's config to the agents' settings, for both runtimes. */
export function agentSettingsFromConfig(config: AppConfig): AgentDeps['settings'] {
  return {
    cio: cioConfigFromConfig(config),
    ...(config.account.id === undefined ? {} : { accountId: config.account.id }),
    maxQuoteAgeMs: config.cio.maxQuoteAgeMs,
    // Post-trade surveillance watches the same restricted and blackout lists the pre-trade checks enforce.
    alerts: keyMetricAlertsFromConfig(config),
    risk: { policy: riskPolicyFromConfig(config), minIntervalMs: 1_000, maxMissingDays: config.risk.maxMissingDays, lotSizes: Object.fromEntries(config.universe.map((u) => [u.symbol, u.lotSize])) },
    brokerWatch: brokerWatchSettingsFromConfig(config),
    surveillance: {
      ...DEFAULT_SURVEILLANCE_RULES,
      ...config.compliance.surveillance,
      restricted: config.compliance.restrictedSymbols.map((symbol) => ({ symbol })),
      blackouts: config.compliance.blackoutWindows.map((w) => ({ symbol: w.symbol, from: w.from, to: w.to, ...(w.reason === undefined ? {} : { reason: w.reason }) })),
    },
  };
}
