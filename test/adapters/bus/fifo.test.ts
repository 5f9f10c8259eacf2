import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fifo } from '../../../lib/adapters/bus/fifo.js';

describe('Fifo', () => {
  it('behaves like an array used as a queue, whatever the operations', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.record({ op: fc.constant('push' as const), v: fc.nat() }), fc.record({ op: fc.constant('shift' as const) }), fc.record({ op: fc.constant('removeOdd' as const) }), fc.record({ op: fc.constant('unshift' as const), vs: fc.array(fc.nat(), { maxLength: 3 }) })), { maxLength: 3000 }), (ops) => {
        const q = new Fifo<number>();
        const model: number[] = [];
        for (const o of ops) {
          if (o.op === 'push') {
            q.push(o.v);
            model.push(o.v);
          } else if (o.op === 'shift') expect(q.shift()).toBe(model.shift());
          else if (o.op === 'removeOdd') {
            const odd = model.filter((x) => x % 2 === 1);
            expect(q.removeWhere((x) => x % 2 === 1)).toEqual(odd);
            model.splice(0, model.length, ...model.filter((x) => x % 2 === 0));
          } else {
            q.unshiftAll(o.vs);
            model.unshift(...o.vs);
          }
          expect(q.length).toBe(model.length);
        }
        expect([...q]).toEqual(model);
      }),
      { numRuns: 50 },
    );
  });

  it('compacts: shifting a long queue keeps it linear', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 200_000; i += 1) q.push(i);
    let last = -1;
    for (let i = 0; i < 200_000; i += 1) last = q.shift()!;

    expect(last).toBe(199_999);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});
