import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../lib/core/events/catalog.js';
import { SCHEDULE_TARGETS } from '../../../lib/catalog/schedule-targets.js';
import { loadConfig, ENV_NAMES } from '../../../lib/config/index.js';

describe('scheduled risk cycle', () => {
  it('parses the envelope EventBridge Scheduler builds from its context attributes', () => {
    // What the scheduler delivers: our envelope as `detail`, placeholders replaced by the execution id and scheduled time.
    const delivered = {
      version: '0',
      id: 'x',
      source: 'tradeops.system',
      'detail-type': 'RiskCycleRequested',
      account: '123456789012',
      region: 'us-east-1',
      time: '2026-11-27T14:45:00Z',
      resources: [],
      detail: { eventId: '8b2c4f8e-2f5c-4f8b-9a55-0d4c1f1c1a11', source: 'tradeops.system', detailType: 'RiskCycleRequested', tsEvent: '2026-11-27T14:45:00Z', tsInit: '2026-11-27T14:45:00Z', correlationId: '8b2c4f8e-2f5c-4f8b-9a55-0d4c1f1c1a11', detail: { schedule: 'risk-cycle', tradingDaysOnly: true } },
    };
    const e = parseEvent(delivered);
    expect(e).toMatchObject({ detailType: 'RiskCycleRequested', detail: { schedule: 'risk-cycle', tradingDaysOnly: true } });
  });

  it('has a schedule in every environment whose target is a catalogued schedule target', () => {
    for (const env of ENV_NAMES) {
      const risk = loadConfig(env).schedules.find((s) => s.target === 'risk:cycle');
      expect(risk).toMatchObject({ cron: '0/15 9-16 ? * MON-FRI *', timezone: 'America/New_York', tradingDaysOnly: true });
      expect(SCHEDULE_TARGETS[risk!.target]).toBeDefined();
    }
  });
});
