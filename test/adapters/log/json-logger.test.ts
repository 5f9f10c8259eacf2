import { describe, expect, it } from 'vitest';
import { JsonLogger } from '../../../lib/adapters/log/json-logger.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { TradeOpsError } from '../../../lib/core/shared/errors.js';

const sink = () => {
  const lines: string[] = [];
  return { lines, stream: { write: (s: string) => lines.push(s) }, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
};

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, time, msg and bound fields first', () => {
    const out = sink();
    const log = new JsonLogger({ stream: out.stream, clock: new ManualClock('2026-11-26T14:30:00.000Z'), fields: { env: 'local' } }).child({ component: 'gateway' });

    log.info('order submitted', { correlationId: 'c-1', clientOrderId: 'CO-1' });

    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]!.endsWith('\n')).toBe(true);
    expect(Object.keys(out.parsed()[0]!)).toEqual(['level', 'time', 'msg', 'component', 'correlationId', 'env', 'clientOrderId']);
    expect(out.parsed()[0]).toEqual({ level: 'INFO', time: '2026-11-26T14:30:00.000Z', msg: 'order submitted', component: 'gateway', correlationId: 'c-1', env: 'local', clientOrderId: 'CO-1' });
  });

  it('drops lines below its level', () => {
    const out = sink();
    const log = new JsonLogger({ stream: out.stream, level: 'warn' });

    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');

    expect(out.parsed().map((l) => l.level)).toEqual(['WARN', 'ERROR']);
  });

  it('serialises errors with their code and survives cycles and bigints', () => {
    const out = sink();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;

    new JsonLogger({ stream: out.stream }).error('failed', { error: new TradeOpsError('STATE.VERSION_CONFLICT', 'lost the race'), cyclic, big: 10n });

    const line = out.parsed()[0]!;
    expect(line['error']).toMatchObject({ name: 'TradeOpsError', code: 'STATE.VERSION_CONFLICT', message: 'lost the race' });
    expect(line['cyclic']).toEqual({ a: 1, self: '[Circular]' });
    expect(line['big']).toBe('10');
  });

  it('never throws when the stream does', () => {
    const log = new JsonLogger({
      stream: {
        write: () => {
          throw new Error('closed');
        },
      },
    });
    expect(() => log.error('x')).not.toThrow();
  });
});
