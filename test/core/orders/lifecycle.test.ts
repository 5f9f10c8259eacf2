import { describe, expect, it } from 'vitest';
import { ORDER_TRANSITIONS, TERMINAL_STATUSES, canTransition, isTerminal, transition } from '../../../lib/core/orders/lifecycle.js';
import { IllegalOrderTransitionError } from '../../../lib/core/orders/errors.js';
import { InvariantError } from '../../../lib/core/shared/errors.js';
import { OrderStatus, WORKING_STATUSES, type OrderStatus as Status } from '../../../lib/core/orders/order.js';
import { anOrder } from '../builders.js';

const ALL = Object.values(OrderStatus) as Status[];
const AT = '2026-11-26T15:00:00.000Z';

describe('ORDER_TRANSITIONS', () => {
  it('has a row for every status and only known targets', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ALL].sort());
    for (const targets of Object.values(ORDER_TRANSITIONS)) for (const t of targets) expect(ALL).toContain(t);
  });

  it('treats FILLED, REJECTED and DENIED as terminal and nothing else', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['DENIED', 'FILLED', 'REJECTED']);
    expect(isTerminal('CANCELLED')).toBe(false);
  });

  it('lets a fill race a cancel', () => {
    expect(canTransition('PENDING_CANCEL', 'FILLED')).toBe(true);
    expect(canTransition('PENDING_CANCEL', 'PARTIALLY_FILLED')).toBe(true);
    expect(canTransition('CANCELLED', 'FILLED')).toBe(true);
  });

  it('resolves an UNRESOLVED order to any state the broker can report', () => {
    for (const s of ['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'PENDING_CANCEL', 'CANCELLED', 'REJECTED'] as const) expect(canTransition('UNRESOLVED', s)).toBe(true);
    expect(canTransition('UNRESOLVED', 'PROPOSED')).toBe(false);
  });

  it('lets every order at the broker become UNRESOLVED and no order that is not', () => {
    for (const s of ALL) {
      const atBroker = ['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'PENDING_CANCEL'].includes(s);
      expect(canTransition(s, 'UNRESOLVED')).toBe(atBroker || s === 'UNRESOLVED');
    }
  });

  it('never leaves a terminal status and never returns to PROPOSED', () => {
    for (const from of ALL) {
      for (const to of ALL) {
        if (from === to) continue;
        if (TERMINAL_STATUSES.has(from)) expect(canTransition(from, to)).toBe(false);
        if (to === 'PROPOSED') expect(canTransition(from, to)).toBe(false);
      }
    }
  });

  it('keeps every non-terminal status reachable from PROPOSED', () => {
    const seen = new Set<Status>(['PROPOSED']);
    const queue: Status[] = ['PROPOSED'];
    while (queue.length > 0) {
      for (const t of ORDER_TRANSITIONS[queue.shift() as Status]) {
        if (!seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
      }
    }
    expect([...seen].sort()).toEqual([...ALL].sort());
  });

  it('counts as working exactly the statuses that may still trade', () => {
    for (const s of WORKING_STATUSES) expect(isTerminal(s)).toBe(false);
  });
});

describe('transition', () => {
  it('returns a new order with the status, time and version moved on', () => {
    const order = anOrder({ status: 'APPROVED', version: 4 });
    const next = transition(order, 'SUBMITTED', new Date(AT));
    expect(next).toMatchObject({ status: 'SUBMITTED', updatedAt: AT, version: 5 });
    expect(order.status).toBe('APPROVED');
  });

  it('records the reason and code of a denial', () => {
    const next = transition(anOrder({ status: 'PROPOSED' }), 'DENIED', AT, { reasonCode: 'RISK.NOTIONAL_EXCEEDS_MAX', reason: 'notional 120000 > 100000' });
    expect(next).toMatchObject({ status: 'DENIED', reasonCode: 'RISK.NOTIONAL_EXCEEDS_MAX', reason: 'notional 120000 > 100000' });
  });

  it('clears an old reason on a move without one', () => {
    const next = transition(anOrder({ status: 'UNRESOLVED', reasonCode: 'BROKER.DISCONNECTED' }), 'ACCEPTED', AT);
    expect(next.reasonCode).toBeUndefined();
  });

  it('is a no-op for a move to the same status', () => {
    const order = anOrder({ status: 'FILLED', filledQuantity: 100 });
    expect(transition(order, 'FILLED', AT)).toBe(order);
  });

  it.each(ALL.flatMap((from) => ALL.filter((to) => to !== from && !ORDER_TRANSITIONS[from].includes(to)).map((to) => [from, to] as const)))('refuses %s → %s with ORDER.ILLEGAL_TRANSITION', (from, to) => {
    const attempt = () => transition(anOrder({ status: from }), to, AT);
    expect(attempt).toThrow(IllegalOrderTransitionError);
    expect(attempt).toThrow(InvariantError);
    try {
      attempt();
    } catch (e) {
      expect((e as InvariantError).code).toBe('ORDER.ILLEGAL_TRANSITION');
      expect((e as InvariantError).details).toMatchObject({ from, to });
    }
  });
});
