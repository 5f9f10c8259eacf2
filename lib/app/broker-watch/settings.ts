import type { AppConfig } from '../../config/schema.js';
import { BrokerWatchSettingsSchema, DEFAULT_BROKER_WATCH_ALERT, type BrokerWatchSettings } from './broker-watch.js';

export { BrokerWatchSettingsSchema };

/**
 * broker-watch's settings from an environment's config: the alert on metric `broker_connected`
 * (the runbook's `broker_disconnect`; the runbook's values when absent) and `broker.maintenanceWindows`.
 */
export function brokerWatchSettingsFromConfig(config: AppConfig): BrokerWatchSettings {
  const alert = Object.values(config.alerts).find((a) => a.metric === 'broker_connected');
  return {
    alert: alert === undefined ? DEFAULT_BROKER_WATCH_ALERT : { severity: alert.severity, notify: [...alert.notify], haltTrading: alert.action === 'halt_trading' },
    maintenanceWindows: config.broker.maintenanceWindows.map((w) => ({ name: w.name, at: w.at, ...(w.days === undefined ? {} : { days: [...w.days] }), timezone: w.timezone, durationMinutes: w.durationMinutes })),
  };
}
