import { z } from 'zod';
import { CioConfigSchema, type AppConfig } from '../config/schema.js';
import type { AgentDeps } from './agents.js';
import { cioConfigFromConfig } from './cio/cio-config.js';

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
});

/** One mapping from an environment's config to the agents' settings, for both runtimes. */
export function agentSettingsFromConfig(config: AppConfig): AgentDeps['settings'] {
  return { cio: cioConfigFromConfig(config), ...(config.account.id === undefined ? {} : { accountId: config.account.id }), maxQuoteAgeMs: config.cio.maxQuoteAgeMs };
}
