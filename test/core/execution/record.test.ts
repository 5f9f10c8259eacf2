import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyExecutionFact, emptyExecutionRecord, foldExecutionFacts, canonical, type ExecutionFact } from '../../../lib/core/execution/record.js';
import { orderExecutionQuality } from '../../../lib/core/execution/quality.js';
import type { ClientOrderId } from '../../../lib/core/shared/ids.js';
import { ID, commission, denied, fill, proposed, rejected, status, submitted } from './facts.js';

describe('applyExecutionFact', () => {
  it('records a fill that arrives before OrderSubmitted and reconciles once the order is known', () => {
    // Prepare
    const early = foldExecutionFacts(ID, [fill('E1', 40, '100.1', '2026-11-26T14:30:02.000Z')]);

    // Act
    const later = foldExecutionFacts(ID, [fill('E1', 40, '100.1', '2026-11-26T14:30:02.000Z'), submitted(), proposed()]);

    // Assess
    expect(orderExecutionQuality(early)).toMatchObject({ filledQuantity: 40, orderedQuantity: undefined, outcome: 'WORKING' });
    expect(orderExecutionQuality(later)).toMatchObject({ filledQuantity: 40, orderedQuantity: 100, outcome: 'WORKING', strategyId: 'momentum-1' });
  });

  it('reports a duplicate fill (same execId) as no change', () => {
    const r = foldExecutionFacts(ID, [submitted(), fill('E1', 40, '100.1', '2026-11-26T14:30:02.000Z')]);

    const again = applyExecutionFact(r, fill('E1', 40, '100.1', '2026-11-26T14:30:02.000Z'));

    expect(again.changed).toBe(false);
    expect(again.record).toBe(r);
    expect(orderExecutionQuality(again.record).filledQuantity).toBe(40);
  });

  it('keeps the later truth when an older status report arrives after a newer one', () => {
    const r = foldExecutionFacts(ID, [submitted(), fill('E1', 100, '100', '2026-11-26T14:30:02.000Z'), status('FILLED', 100, '2026-11-26T14:30:02.100Z')]);

    const stale = applyExecutionFact(r, status('ACCEPTED', 0, '2026-11-26T14:30:01.500Z'));

    expect(stale.record.brokerFilled).toBe(100);
    expect(stale.record.lastStatusAt).toBe('2026-11-26T14:30:02.100Z');
    expect(orderExecutionQuality(stale.record).outcome).toBe('FILLED');
  });

  it('counts a fill that raced the cancel and completes the order as FILLED', () => {
    const r = foldExecutionFacts(ID, [submitted(), status('CANCELLED', 60, '2026-11-26T14:30:03.000Z'), fill('E1', 60, '100', '2026-11-26T14:30:02.000Z'), fill('E2', 40, '100', '2026-11-26T14:30:02.900Z')]);

    expect(orderExecutionQuality(r).outcome).toBe('FILLED');
  });

  it('keeps the earliest of two differing deliveries of the same fact whatever their order', () => {
    const a = submitted('2026-11-26T14:30:01.000Z');
    const b = submitted('2026-11-26T14:30:05.000Z');

    expect(foldExecutionFacts(ID, [a, b]).submitted?.at).toBe('2026-11-26T14:30:01.000Z');
    expect(foldExecutionFacts(ID, [b, a]).submitted?.at).toBe('2026-11-26T14:30:01.000Z');
  });

  it('keeps the larger commission when two amounts are reported for one execution', () => {
    expect(foldExecutionFacts(ID, [commission('E1', '1.2'), commission('E1', '1.05')]).commissions).toEqual([{ execId: 'E1', commission: '1.2' }]);
    expect(foldExecutionFacts(ID, [commission('E1', '1.05'), commission('E1', '1.2')]).commissions).toEqual([{ execId: 'E1', commission: '1.2' }]);
  });

  it.each([
    ['a denial', [proposed(), denied()], 'DENIED'],
    ['a broker rejection', [proposed(), submitted(), rejected()], 'REJECTED'],
    ['a cancel with nothing filled', [submitted(), status('CANCELLED', 0, '2026-11-26T14:31:00.000Z')], 'CANCELLED'],
    ['a partial fill then cancel', [submitted(), fill('E1', 10, '100', '2026-11-26T14:30:02.000Z'), status('CANCELLED', 10, '2026-11-26T14:31:00.000Z')], 'CANCELLED'],
    ['a broker FILLED status before the executions', [submitted(), status('FILLED', 100, '2026-11-26T14:31:00.000Z')], 'WORKING'],
  ] as const)('derives the outcome of %s', (_name, facts, outcome) => {
    expect(orderExecutionQuality(foldExecutionFacts(ID, facts as unknown as ExecutionFact[])).outcome).toBe(outcome);
  });

  it('refuses a fact about another order', () => {
    expect(() => applyExecutionFact(emptyExecutionRecord('CO-2' as ClientOrderId), submitted())).toThrow(expect.objectContaining({ code: 'EXECUTION.WRONG_ORDER' }));
  });

  it('yields the same record for any permutation of the facts, with duplicates', () => {
    const facts: ExecutionFact[] = [
      proposed(), submitted(), submitted('2026-11-26T14:30:04.000Z'),
      fill('E1', 30, '100.02', '2026-11-26T14:30:02.000Z'), fill('E2', 50, '100.05', '2026-11-26T14:30:03.000Z'), fill('E3', 20, '99.99', '2026-11-26T14:30:03.500Z'),
      commission('E1', '0.35'), commission('E3', '0.2'), commission('E3', '0.25'),
      status('ACCEPTED', 0, '2026-11-26T14:30:01.200Z'), status('PARTIALLY_FILLED', 30, '2026-11-26T14:30:02.100Z'), status('FILLED', 100, '2026-11-26T14:30:03.600Z'),
    ];
    const reference = canonical(foldExecutionFacts(ID, facts));
    const withDuplicates = fc.array(fc.integer({ min: 0, max: facts.length - 1 }), { maxLength: 10 }).map((extra) => [...facts, ...extra.map((i) => facts[i]!)]);

    fc.assert(fc.property(withDuplicates.chain((all) => fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })), (shuffled) => {
      expect(canonical(foldExecutionFacts(ID, shuffled))).toBe(reference);
    }), { numRuns: 100 });
  });
});
