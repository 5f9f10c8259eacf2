/**
 * What a schedule's `target` (config `schedules[].target`, "<kind>:<name>") does when it fires: the
 * catalog event it publishes on the bus. The CDK app makes an EventBridge Scheduler schedule only
 * for targets listed here; the others (checklists, backups) arrive with their issues.
 */
export const SCHEDULE_TARGETS: Readonly<Record<string, { detailType: string; source: string }>> = {
  'risk:cycle': { detailType: 'RiskCycleRequested', source: 'tradeops.system' },
};
