import { describe, expect, it } from 'vitest';
import { checkCompliance, checkOrder, checkRisk, mergeResults } from '../../../lib/core/pretrade/check.js';
import { prepareContext } from '../../../lib/core/pretrade/context.js';
import { reducesExposure } from '../../../lib/core/pretrade/exposure.js';
import { prepareOrder } from '../../../lib/core/pretrade/order.js';
import { formatMicros, MAX_MONEY_MICROS, toMicros } from '../../../lib/core/pretrade/units.js';
import { anOrderInput, aWorkingOrder, baseContext } from './fixtures.js';

describe('units', () => {
  it('converts decimal strings to exact micro-units and back', () => {
    expect(toMicros('187.25', 'p')).toBe(187_250_000);
    expect(toMicros('-0.000001', 'p')).toBe(-1);
    expect(toMicros('9007199254.740991', 'p')).toBe(MAX_MONEY_MICROS);
    expect(formatMicros(187_250_000)).toBe('187.25');
    expect(formatMicros(-1)).toBe('-0.000001');
    expect(formatMicros(100_000_000_000)).toBe('100000.00');
  });

  it('refuses a figure beyond the exact range and a non-decimal, naming the field', () => {
    expect(() => toMicros('9007199254.740992', 'limits.maxGrossExposure')).toThrow(/limits\.maxGrossExposure/);
    expect(() => toMicros('1e5', 'account.netLiquidation')).toThrow(expect.objectContaining({ code: 'PRETRADE.INVALID_DECIMAL' }));
  });
});

describe('reducesExposure', () => {
  it.each([
    [100, -1, 100, 0, true],
    [100, -1, 101, 0, false],
    [100, 1, 1, 0, false],
    [0, -1, 1, 0, false],
    [-50, 1, 50, 0, true],
    [-50, 1, 30, 21, false],
    [-50, 1, 30, 20, true],
  ] as const)('position %i, side %i, quantity %i, working %i → %s', (position, side, quantity, working, expected) => {
    expect(reducesExposure(position, side, quantity, working)).toBe(expected);
  });
});

describe('prepareContext', () => {
  it('values positions at the quote, else the position price, and sums gross and net exposure', () => {
    const ctx = prepareContext(baseContext({ positions: [...baseContext().positions, { symbol: 'IBM', quantity: -10, avgCost: '250.5' }] }));
    // AAPL 100 × 100 + |MSFT −200 × 200.01| + |IBM −10 × 250.5 (avgCost, no quote)|
    expect(ctx.grossExposure).toBe((10_000 + 40_002 + 2_505) * 1e6);
    expect(ctx.netExposure).toBe((10_000 - 40_002 - 2_505) * 1e6);
  });

  it('fails loudly on a malformed context, naming the field', () => {
    expect(() => prepareContext(baseContext({ account: { netLiquidation: 'lots', buyingPower: '1' } }))).toThrow(/account\.netLiquidation/);
    expect(() => prepareContext(baseContext({ asOf: 'yesterday' }))).toThrow(expect.objectContaining({ code: 'PRETRADE.INVALID_TIMESTAMP' }));
    expect(() => prepareContext(baseContext({ messagesInWindow: -1 }))).toThrow(expect.objectContaining({ code: 'PRETRADE.INVALID_COUNT' }));
    expect(() => prepareContext(baseContext({ limits: { ...baseContext().limits, maxMessagesPerSecond: 51 } }))).toThrow();
    expect(() => prepareContext(baseContext({ workingOrders: [aWorkingOrder({ createdAt: 'x' })] }))).toThrow(/workingOrders\[0\]\.createdAt/);
  });

  it('applies the runbook defaults', () => {
    const { limits } = prepareContext(baseContext());
    expect([limits.leverageWarning, limits.leverageCritical, limits.varWarning, limits.varCritical, limits.maxMessagesPerSecond, limits.maxActiveOrders]).toEqual([1.5, 1.8, 0.8, 0.9, 40, 20]);
  });
});

describe('prepareOrder', () => {
  it('refuses a limit order without a price and a fractional quantity', () => {
    expect(() => prepareOrder(anOrderInput({ limitPrice: undefined }))).toThrow(expect.objectContaining({ code: 'PRETRADE.INVALID_ORDER' }));
    expect(() => prepareOrder(anOrderInput({ quantity: 1.5 }))).toThrow(expect.objectContaining({ code: 'PRETRADE.INVALID_ORDER' }));
    expect(() => prepareOrder(anOrderInput({ limitPrice: '0' }))).toThrow(expect.objectContaining({ code: 'PRETRADE.INVALID_ORDER' }));
  });

  it('takes the strategy from the order origin', () => {
    expect(prepareOrder({ ...anOrderInput({ strategyId: undefined }), origin: { strategyId: 'pairs' } }).strategyId).toBe('pairs');
  });
});

describe('checkRisk ∥ checkCompliance', () => {
  it('merge to the same result as checkOrder', () => {
    const order = prepareOrder(anOrderInput({ quantity: 1001, side: 'SELL' }));
    const ctx = prepareContext(baseContext({ restrictedSymbols: ['AAPL'], var: undefined }));
    const risk = checkRisk(order, ctx);
    const compliance = checkCompliance(order, ctx);
    expect(risk.reasons.every((d) => d.code.startsWith('RISK.'))).toBe(true);
    expect(compliance.reasons.every((d) => d.code.startsWith('COMPLIANCE.'))).toBe(true);
    expect(mergeResults(risk, compliance)).toEqual(checkOrder(order, ctx));
  });
});

describe('rule lists', () => {
  it('name every rule the checks run, in order', async () => {
    const { RULES } = await import('../../../lib/core/pretrade/check.js');
    const src = (await import('node:fs')).readFileSync(new URL('../../../lib/core/pretrade/check.ts', import.meta.url), 'utf8');
    const calls = (fn: string) => [...(src.split(`function ${fn}(`)[1]!.split('\n}')[0]!.matchAll(/^\s+(\w+)\(o, ctx, v, f\);$/gm))].map((m) => m[1]);
    expect(calls('runRisk')).toEqual(RULES.risk.map((r) => r.name));
    expect(calls('runCompliance')).toEqual(RULES.compliance.map((r) => r.name));
  });
});

describe('toMicros fast path', () => {
  it('agrees with the exact bigint conversion on every short decimal', async () => {
    const fc = (await import('fast-check')).default;
    const { divRound, parseDecimal } = await import('../../../lib/core/money/fixed.js');
    const decimal = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.integer({ min: 0, max: 8 })).map(([neg, units, places]) => {
      const digits = units.toString().padStart(places + 1, '0');
      const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
      return neg ? `-${text}` : text;
    });
    fc.assert(
      fc.property(decimal, (text) => {
        const exact = divRound(parseDecimal(text), 10_000n, 'HALF_EVEN');
        if (exact > BigInt(MAX_MONEY_MICROS) || -exact > BigInt(MAX_MONEY_MICROS)) expect(() => toMicros(text, 'x')).toThrow();
        else expect(toMicros(text, 'x')).toBe(Number(exact));
      }),
      { numRuns: 2000 },
    );
    for (const bad of ['', '-', '.5', '5.', '1.2.3', '1e3', ' 1', '+1', '0x10']) expect(() => toMicros(bad, 'x')).toThrow();
  });
});
