import { z } from 'zod';
import { RUNTIME_ENV } from '../../lib/config/runtime-env.js';

/**
 * The environment a Lambda of ours reads, validated once at cold start: a missing binding fails
 * the INIT with the variable named, not the first request with an undefined table name.
 */
export const LambdaEnvSchema = z.object({
  [RUNTIME_ENV.env]: z.string().min(1),
  [RUNTIME_ENV.accountMode]: z.enum(['paper', 'live']),
  [RUNTIME_ENV.stateTable]: z.string().min(1),
  [RUNTIME_ENV.backupBucket]: z.string().min(1).optional(),
  [RUNTIME_ENV.eventBus]: z.string().min(1).optional(),
  // event bus operations (issue 4): bound on the ops API only
  [RUNTIME_ENV.busDeadLetterQueueUrl]: z.string().min(1).optional(),
  [RUNTIME_ENV.agentFunctions]: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1),
});

export function readLambdaEnv(source: NodeJS.ProcessEnv = process.env): z.infer<typeof LambdaEnvSchema> {
  const r = LambdaEnvSchema.safeParse(source);
  if (!r.success) throw new Error(`Lambda environment is incomplete: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/**
 * A component heartbeat older than this counts as down (health, the unlock's "broker connected",
 * the startup's broker step): the bridge and the agents heartbeat every few seconds, so 30 s of
 * silence is an outage, not jitter. One value for every Lambda of the environment.
 */
export const HEARTBEAT_STALE_AFTER_MS = 30_000;
