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
