import { describe, expect, it } from 'vitest';
import { detectSpoofing } from '../../../lib/core/surveillance/detectors.js';
import { layeredCancelRange, layeredOrderRanges, mayBeSpoofed, spoofedFillRange, spoofedFillsFor, washTradeRange } from '../../../lib/core/surveillance/reads.js';
import { DEFAULT_SURVEILLANCE_RULES as RULES } from '../../../lib/core/surveillance/rules.js';
import { at, cancelled, fillObs, placed } from './obs.js';

describe('washTradeRange', () => {
  it('reads the fills within washWindowMs either side of a priced fill, and nothing for order events', () => {
    expect(washTradeRange(fillObs('E1', 'BUY', 1, '10', 0), RULES)).toEqual({ kind: 'FILL', from: at(-60), to: at(60) });
    expect(washTradeRange(placed('O1', 'BUY', 1, '10', 0), RULES)).toBeUndefined();
  });
});

describe('spoofedFillRange', () => {
  it.each([
    ['a limit placement: fills up to spoofLookbackMs after it', placed('O1', 'BUY', 1, '10', 0), { kind: 'FILL', from: at(0), to: at(120) }],
    ['a cancel: fills up to spoofCancelWithinMs before it', cancelled('O1', 'BUY', 1, '10', 30), { kind: 'FILL', from: at(20), to: at(30) }],
    ['a market placement (never layered)', placed('O1', 'BUY', 1, undefined, 0), undefined],
    ['a fill (its own candidate)', fillObs('E1', 'BUY', 1, '10', 0), undefined],
  ])('reads for %s', (_name, trigger, range) => {
    expect(spoofedFillRange(trigger, RULES)).toEqual(range);
  });

  it('keeps the fills of the same account on the other side', () => {
    const p = placed('O1', 'BUY', 1, '10', 0);
    const fills = [fillObs('S1', 'SELL', 1, '10', 5), fillObs('B1', 'BUY', 1, '10', 5), fillObs('S2', 'SELL', 1, '10', 5, { account: 'DU2' })];
    expect(spoofedFillsFor(p, fills).map((f) => f.execId)).toEqual(['S1']);
  });
});

describe('mayBeSpoofed', () => {
  const f = fillObs('S1', 'SELL', 100, '50', 10);

  it('needs spoofMinOrders distinct orders of the account, on the other side, cancelled within spoofCancelWithinMs after the fill', () => {
    const two = [cancelled('B1', 'BUY', 1, '49', 12), cancelled('B2', 'BUY', 1, '49', 20)];
    expect(mayBeSpoofed(f, two, RULES)).toBe(true);
    expect(mayBeSpoofed(f, [two[0]!], RULES)).toBe(false);
  });

  it.each([
    ['the same order twice', cancelled('B1', 'BUY', 1, '49', 13)],
    ['the fill’s own side', cancelled('B2', 'SELL', 1, '51', 12)],
    ['another account', cancelled('B2', 'BUY', 1, '49', 12, { account: 'DU2' })],
    ['before the fill', cancelled('B2', 'BUY', 1, '49', 9)],
    ['too long after it', cancelled('B2', 'BUY', 1, '49', 20.001)],
  ])('does not count %s', (_name, second) => {
    expect(mayBeSpoofed(f, [cancelled('B1', 'BUY', 1, '49', 12), second], RULES)).toBe(false);
  });

  it('holds whenever the detector finds the pattern (it is the detector’s necessary condition)', () => {
    const events = [placed('B1', 'BUY', 500, '49.90', 0), placed('B2', 'BUY', 500, '49.80', 1), f, cancelled('B1', 'BUY', 500, '49.90', 13), cancelled('B2', 'BUY', 500, '49.80', 14)];
    expect(detectSpoofing(f, events, RULES)).toHaveLength(1);
    expect(mayBeSpoofed(f, events, RULES)).toBe(true);
  });
});

describe('layered ranges', () => {
  it('span the cancels after, and the placements and fills around, every suspect fill', () => {
    const fills = [fillObs('S2', 'SELL', 1, '10', 20), fillObs('S1', 'SELL', 1, '10', 10)];

    expect(layeredCancelRange(fills, RULES)).toEqual({ kind: 'ORDER_CANCELLED', from: at(10), to: at(30) });
    expect(layeredOrderRanges(fills, RULES)).toEqual([
      { kind: 'ORDER_PLACED', from: at(-110), to: at(20) },
      { kind: 'FILL', from: at(-120), to: at(150) },
    ]);
  });
});
