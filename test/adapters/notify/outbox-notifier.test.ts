import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonLogger } from '../../../lib/adapters/log/json-logger.js';
import { OutboxNotifier } from '../../../lib/adapters/notify/outbox-notifier.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';

const dir = mkdtempSync(join(tmpdir(), 'tradeops-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OutboxNotifier', () => {
  it('appends one JSON line per notification, in order, creating the folder', async () => {
    const file = join(dir, 'nested', 'outbox.jsonl');
    const notifier = new OutboxNotifier({ file, clock: new ManualClock('2026-11-26T14:30:00.000Z') });

    await Promise.all(Array.from({ length: 20 }, (_, i) => notifier.notify({ audience: ['oncall'], severity: 'INFO', subject: `n${i}`, message: 'm'.repeat(5000) })));

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { subject: string; at: string });
    expect(lines.map((l) => l.subject)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
    expect(lines[0]!.at).toBe('2026-11-26T14:30:00.000Z');
  });

  it('logs each notification at the level of its severity', async () => {
    const logged: Array<{ level: string; severity: string }> = [];
    const logger = new JsonLogger({ stream: { write: (s: string) => logged.push(JSON.parse(s) as { level: string; severity: string }) } });
    const notifier = new OutboxNotifier({ file: join(dir, 'levels.jsonl'), clock: new ManualClock(), logger });

    await notifier.notify({ audience: ['oncall', 'risk_manager'], severity: 'CRITICAL', subject: 'Kill switch activated', message: 'x', correlationId: 'c-9' });
    await notifier.notify({ audience: ['compliance'], severity: 'WARNING', subject: 'w', message: 'x' });

    expect(logged.map((l) => [l.level, l.severity])).toEqual([
      ['ERROR', 'CRITICAL'],
      ['WARN', 'WARNING'],
    ]);
  });
});
