import { z } from 'zod';
import { IsoTimestampSchema } from '../shared/ids.js';

export const HealthStatusSchema = z.enum(['ok', 'degraded', 'down']);
export type HealthStatus = z.infer<typeof HealthStatusSchema>;

/**
 * One component's health as reported to `/health`, e.g. the broker bridge's heartbeat.
 * @example
 * { component: 'broker', status: 'ok', detail: { connected: true, serverVersion: 193, lastRoundTripMs: 2 }, observedAt: '…' }
 */
export const ComponentHealthSchema = z.strictObject({
  component: z.string().min(1),
  status: HealthStatusSchema,
  detail: z.record(z.string(), z.unknown()).default({}),
  observedAt: IsoTimestampSchema,
});
export type ComponentHealth = z.infer<typeof ComponentHealthSchema>;
