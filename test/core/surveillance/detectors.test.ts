import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertIdOf } from '../../../lib/core/surveillance/alert.js';
import { detect, detectOrderToTrade, detectSpoofing, detectWashTrades, WASH_EVIDENCE_MATCHES } from '../../../lib/core/surveillance/detectors.js';
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
    expect(c).toMatchObject({ type: 'WASH_TRADE', severity: 'HIGH', account: 'DU1', symbol: 'AAPL', strategyId: 's1', evidenceKey: 'DU1|AAPL|E2', detectedAt: sell.at });
    // the later fill first, then its matches nearest first
    expect(c!.evidence.fills.map((f) => [f.execId, f.at])).toEqual([['E2', sell.at], ['E1', buy.at]]);
    expect(c!.evidence.metrics).toEqual({ matches: '1', gapMs: '30000', priceDiff: '0.01' });
  });

  it('keys the alert by the later fill whichever of the two arrives last', () => {
    const buy = fillObs('E1', 'BUY', 100, '187.20', 0);
    const sell = fillObs('E2', 'SELL', 100, '187.21', 30);

    const late = detectWashTrades(buy, [sell], RULES);

    expect(late).toEqual(detectWashTrades(sell, [buy], RULES));
    // at the same time, execId decides which is later
    const a = fillObs('A', 'SELL', 100, '187.20', 5);
    const b = fillObs('B', 'BUY', 100, '187.20', 5);
    expect(detectWashTrades(a, [b], RULES).map((c) => c.evidenceKey)).toEqual(['DU1|AAPL|B']);
    expect(detectWashTrades(b, [a], RULES).map((c) => c.evidenceKey)).toEqual(['DU1|AAPL|B']);
  });

  it.each([
    ['too far apart', fillObs('E2', 'SELL', 100, '187.20', 61)],
    ['too far in price (> 10 bps)', fillObs('E2', 'SELL', 100, '187.40', 5)],
    ['the same side', fillObs('E2', 'BUY', 100, '187.20', 5)],
    ['another account', fillObs('E2', 'SELL', 100, '187.20', 5, { account: 'DU2' })],
  ])('ignores a fill %s', (_name, other) => {
    expect(detectWashTrades(other, [fillObs('E1', 'BUY', 100, '187.20', 0)], RULES)).toEqual([]);
  });

  it('rates unequal quantities MEDIUM, and HIGH when any match has the same quantity', () => {
    expect(detectWashTrades(fillObs('E2', 'SELL', 40, '187.20', 5), [fillObs('E1', 'BUY', 100, '187.20', 0)], RULES)[0]?.severity).toBe('MEDIUM');
    expect(detectWashTrades(fillObs('E3', 'SELL', 40, '187.20', 5), [fillObs('E1', 'BUY', 40, '187.20', 0), fillObs('E2', 'BUY', 100, '187.20', 4)], RULES)[0]?.severity).toBe('HIGH');
  });

  // A strategy churning one name: a fill a second, alternating sides, all within the window and tolerance.
  const burst = Array.from({ length: 40 }, (_, i) => fillObs(`F${String(i).padStart(2, '0')}`, i % 2 === 0 ? 'BUY' : 'SELL', 100, i % 3 === 0 ? '50.00' : '50.01', i));
  const washIdsOver = (arrivals: readonly SurveillanceObservation[]) => {
    const seen: SurveillanceObservation[] = [];
    const raised = new Set<string>();
    const perEvent: number[] = [];
    for (const e of arrivals) {
      seen.push(e);
      const found = detect(e, seen, seen, RULES).filter((c) => c.type === 'WASH_TRADE');
      perEvent.push(found.length);
      for (const c of found) raised.add(alertIdOf(c.type, c.evidenceKey));
    }
    return { ids: [...raised].sort(), perEvent };
  };

  it('raises at most one alert per fill of a burst of alternating buys and sells, not one per pair', () => {
    const { ids: raised, perEvent } = washIdsOver(burst);

    // 400 opposite pairs (20 buys × 20 sells, all within 39 s); one alert per fill with an earlier opposite fill
    expect(perEvent).toEqual([0, ...Array.from({ length: 39 }, () => 1)]);
    expect(raised).toEqual(burst.slice(1).map((f) => alertIdOf('WASH_TRADE', `DU1|AAPL|${f.execId!}`)).sort());
  });

  it('raises the same alert ids for the burst whatever order its fills arrive in', () => {
    const reference = washIdsOver(burst).ids;

    expect(washIdsOver([...burst].reverse()).ids).toEqual(reference);
    fc.assert(fc.property(fc.shuffledSubarray([...burst, ...burst.slice(0, 10)], { minLength: burst.length + 10, maxLength: burst.length + 10 }), (arrivals) => {
      expect(washIdsOver(arrivals).ids).toEqual(reference);
    }), { numRuns: 50 });
  });

  it('lists the later fill, then its nearest matches first, capped, with the count of all', () => {
    const last = burst[39]!; // SELL at 39 s; its 20 earlier BUYs at 0, 2, …, 38 s
    const [c, ...rest] = detectWashTrades(last, burst, RULES);

    expect(rest).toEqual([]);
    expect(c!.evidence.fills.map((f) => f.execId)).toEqual(['F39', 'F38', 'F36', 'F34', 'F32', 'F30']);
    expect(c!.evidence.fills).toHaveLength(1 + WASH_EVIDENCE_MATCHES);
    expect(c!.evidence.metrics).toEqual({ matches: '20', gapMs: '1000', priceDiff: '0.01', evidenceOmitted: '15' }); // F39 @ 50.00, F38 @ 50.01
    expect(c!.summary).toContain('and 19 more opposite fills');
  });

  it('completes, from a late earlier fill, the alert of each later fill with all that fill\'s matches in the window', () => {
    const early = burst[0]!; // BUY at 0 s, arriving after the rest
    const found = detectWashTrades(early, burst.slice(1), RULES);

    // each later SELL's own alert (the fill itself among its matches); in time order
    expect(found.map((c) => c.evidenceKey)).toEqual(burst.filter((f) => f.side === 'SELL').map((f) => `DU1|AAPL|${f.execId!}`));
    expect(found[0]!.evidence.fills.map((f) => f.execId)).toEqual(['F01', 'F00']);
    expect(found.at(-1)).toEqual(detectWashTrades(burst[39]!, burst, RULES)[0]);
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

    expect(reference).toHaveLength(3); // washes completed by W2 and by S1 (each with W1), spoofing around S1
    fc.assert(fc.property(fc.shuffledSubarray([...events, ...events.slice(0, 3)], { minLength: events.length + 3, maxLength: events.length + 3 }), (arrivals) => {
      expect(analyseAll(arrivals)).toEqual(reference);
    }), { numRuns: 100 });
  });
});
