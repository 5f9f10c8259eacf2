import { z } from 'zod';
import { UnlockPolicySchema } from '../../core/controls/unlock-request.js';
import type { AppConfig } from '../../config/schema.js';
import type { UnlockSettings } from './unlock-deps.js';

/** `controls.unlock` of config → the unlock use cases' policy (read once at the edge). */
export function unlockSettingsFromConfig(config: Pick<AppConfig, 'controls'>): UnlockSettings {
  const u = config.controls.unlock;
  return {
    policy: { approvalsRequired: u.approvalsRequired, approverRoles: [...u.approverRoles], requestorRoles: [...u.requestorRoles], expiryMs: u.expiryMinutes * 60_000 },
    recheckSeconds: u.recheckSeconds,
  };
}

/** The settings as they travel to a Lambda (JSON in `TRADEOPS_UNLOCK_SETTINGS`), validated on arrival. */
export const UnlockSettingsSchema = z.strictObject({ policy: UnlockPolicySchema, recheckSeconds: z.number().int().min(1) });
