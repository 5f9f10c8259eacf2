import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertIdOf } from '../../../lib/core/surveillance/alert.js';
import { detect, detectOrderToTrade, detectSpoofing, detectWashTrades } from '../../../lib/core/surveillance/detectors.js';
import type { SurveillanceObservation } from '../../../lib/core/surveillance/observation.js';
import { DEFAULT_SURVEILLANCE_RULES as RULES } from '../../../lib/core/surveillance/rules.js';
import { cancelled, fillObs, placed } from './obs.js';

const ids = (cs: ReturnType<typeof detect>) => cs.map((c) => alertIdOf(c.type, c.evidenceKey)).sort();

describe('detectWashTrades', () => {
  it('pairs an own buy and sell of the same size within the window and price tolerance', () => {
    const buy = fillObs('E1', 'BUY', 100, '187.20', 0);
    const sell = fillObs('E2', 'SELL', 100, '187.21', 30);

    const [c, ...rest] = detectWashTrades(sell, [buy], RULES);

    expect(rest).toEqual([]);
    expect(c).toMatchObject({ type: 'WASH_TRADE', severity: 'HIGH', account: 'DU1', symbol: 'AAPL' });
    expect(c!.evidence.fills.map((f) => [f.execId, f.at])).toEqual([['E1', buy.at], ['E2', sell.at]]);
  });

  it.each([
    ['too far apart', fillObs('E2', 'SELL', 100, '187.20', 61)],
    ['too far in price (> 10 bps)', fillObs('E2', 'SELL', 100, '187.40', 5)],
    ['the same side', fillObs('E2', 'BUY', 100, '187.20', 5)],
    ['another account', fillObs('E2', 'SELL', 100, '187.20', 5, { account: 'DU2' })],
  ])('ignores a fill %s', (_name, other) => {
    expect(detectWashTrades(other, [fillObs('E1', 'BUY', 100, '187.20', 0)], RULES)).toEqual([]);
  });

  it('rates unequal quantities MEDIUM', () => {
    expect(detectWashTrades(fillObs('E2', 'SELL', 40, '187.20', 5), [fillObs('E1', 'BUY', 100, '187.20', 0)], RULES)[0]?.severity).toBe('MEDIUM');
  });
});

describe('detectSpoofing', () => {
  // Two BUY orders resting below the market, a SELL fill, then the BUYs cancelled 3 s later.
  const events: SurveillanceObservation[] = [
    placed('B1', 'BUY', 500, '186.90', 0, { touch: { bid: '187.00', ask: '187.02' } }),
    placed('B2', 'BUY', 500, '186.80', 1, { touch: { bid: '187.00', ask: '187.02' } }),
    fillObs('S1', 'SELL', 200, '187.02', 10),
    cancelled('B1', 'BUY', 500, '186.90', 13),
    cancelled('B2', 'BUY', 500, '186.80', 13.5),
  ];

  it('finds the pattern whichever event completes it', () => {
    for (const trigger of events) {
      const found = detectSpoofing(trigger, events, RULES);
      const relevant = trigger.kind === 'FILL' || trigger.kind === 'ORDER_PLACED' || trigger.kind === 'ORDER_CANCELLED';
      expect(found.map((c) => c.type)).toEqual(relevant ? ['SPOOFING_LAYERING'] : []);
    }
    const c = detectSpoofing(events[2]!, events, RULES)[0]!;
    expect(c.severity).toBe('MEDIUM');
    expect(c.evidence.fills.map((f) => f.execId)).toEqual(['S1']);
    expect(c.evidence.orders.map((o) => `${o.event}:${o.clientOrderId}`)).toEqual(['ORDER_PLACED:B1', 'ORDER_PLACED:B2', 'ORDER_CANCELLED:B1', 'ORDER_CANCELLED:B2']);
  });

  it.each([
    ['cancelled too late', (e: SurveillanceObservation[]) => e.map((o) => (o.obsId === 'ORDER_CANCELLED#B2' ? cancelled('B2', 'BUY', 500, '186.80', 21) : o))],
    ['one order partly filled', (e: SurveillanceObservation[]) => [...e, fillObs('X', 'BUY', 10, '186.80', 12, { clientOrderId: 'B2' })]],
    ['one order marketable (through the touch)', (e: SurveillanceObservation[]) => e.map((o) => (o.obsId === 'ORDER_PLACED#B2' ? placed('B2', 'BUY', 500, '187.05', 1, { touch: { bid: '187.00', ask: '187.02' } }) : o))],
    ['too little quantity behind it', (e: SurveillanceObservation[]) => e.map((o) => (o.kind === 'FILL' ? fillObs('S1', 'SELL', 2000, '187.02', 10) : o))],
  ])('stays quiet when %s', (_name, change) => {
    const changed = change(events);
    const fill = changed.find((o) => o.kind === 'FILL' && o.side === 'SELL')!;
    expect(detectSpoofing(fill, changed, RULES)).toEqual([]);
  });

  it('rates four or more layered orders HIGH (layering)', () => {
    const more = [...events, placed('B3', 'BUY', 100, '186.70', 2), placed('B4', 'BUY', 100, '186.60', 3), cancelled('B3', 'BUY', 100, '186.70', 14), cancelled('B4', 'BUY', 100, '186.60', 14)];
    expect(detectSpoofing(more[2]!, more, RULES)[0]?.severity).toBe('HIGH');
  });
});

describe('detectOrderToTrade', () => {
  const messages = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? placed(`O${i}`, 'BUY', 1, '10', i) : cancelled(`O${i - 1}`, 'BUY', 1, '10', i)));
  const fills = (n: number) => Array.from({ length: n }, (_, i) => fillObs(`F${i}`, 'BUY', 1, '10', 100 + i));

  it.each([
    ['50 messages for 2 fills (ratio 25)', 50, 2, undefined],
    ['51 messages for 2 fills (ratio 25.5)', 51, 2, 'MEDIUM'],
    ['51 messages for no fill', 51, 0, 'HIGH'],
    ['49 messages for no fill (below the minimum)', 49, 0, undefined],
  ] as const)('judges %s', (_name, m, f, severity) => {
    const day = [...messages(m), ...fills(f)];

    const found = detectOrderToTrade(day[0]!, day, RULES);

    expect(found.map((c) => c.severity)).toEqual(severity === undefined ? [] : [severity]);
    if (severity !== undefined) expect(found[0]!.evidence.metrics).toMatchObject({ orderMessages: String(m), trades: String(f), day: '2026-11-26' });
  });

  it('counts each strategy on its own', () => {
    const day = Array.from({ length: 60 }, (_, i) => placed(`O${i}`, 'BUY', 1, '10', i, { strategyId: i % 2 === 0 ? 's1' : 's2' }));
    expect(detectOrderToTrade(day[0]!, day, RULES)).toEqual([]);
  });
});

describe('detect', () => {
  it('raises restricted and blackout alerts for trading in those names and not for cancels', () => {
    const rules = { ...RULES, restricted: [{ symbol: 'AAPL', reason: 'MNPI' }], blackouts: [{ symbol: 'AAPL', from: '2026-11-26T14:00:00.000Z', to: '2026-11-26T16:00:00.000Z' }] };
    const p = placed('O1', 'BUY', 10, '187', 0);

    expect(detect(p, [], [], rules).map((c) => `${c.type}:${c.severity}`)).toEqual(['RESTRICTED_INSTRUMENT:CRITICAL', 'BLACKOUT_WINDOW:HIGH']);
    expect(detect(cancelled('O1', 'BUY', 10, '187', 1), [], [], rules)).toEqual([]);
  });

  it('gives the same alert ids whatever the order events arrive in and however often', () => {
    const events = [
      fillObs('W1', 'BUY', 100, '50.00', 0), fillObs('W2', 'SELL', 100, '50.01', 20),
      placed('B1', 'BUY', 300, '49.90', 25), placed('B2', 'BUY', 300, '49.80', 26), fillObs('S1', 'SELL', 100, '50.00', 30),
      cancelled('B1', 'BUY', 300, '49.90', 32), cancelled('B2', 'BUY', 300, '49.80', 33),
    ];
    const analyseAll = (arrivals: SurveillanceObservation[]) => {
      const seen: SurveillanceObservation[] = [];
      const raised = new Set<string>();
      for (const e of arrivals) {
        seen.push(e);
        for (const id of ids(detect(e, seen, seen, RULES))) raised.add(id);
      }
      return [...raised].sort();
    };
    const reference = analyseAll(events);

    expect(reference).toHaveLength(3); // washes W1/W2 and W1/S1, spoofing around S1
    fc.assert(fc.property(fc.shuffledSubarray([...events, ...events.slice(0, 3)], { minLength: events.length + 3, maxLength: events.length + 3 }), (arrivals) => {
      expect(analyseAll(arrivals)).toEqual(reference);
    }), { numRuns: 100 });
  });
});
