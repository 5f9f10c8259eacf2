import { toEventBridgeShape } from '../../lib/core/events/catalog.js';
import { createEvent } from '../../lib/core/events/catalog.js';
import { matchesPattern, validatePattern, type EventPattern } from '../../lib/core/events/pattern.js';
import { OutcomeBuilder, type Benchmark } from '../lib/types.js';

const BATCH = 1000;

/** A FillReport as the bridge publishes it, in the EventBridge shape rules see. */
function fillEvent(): unknown {
  const envelope = createEvent(
    'FillReport',
    { fill: { execId: '0000e0d5.00000001.01.01', clientOrderId: 'CO-20261126-000001', brokerOrderId: '1001', account: 'DU0000001', symbol: 'AAPL', side: 'BUY', quantity: 100, price: '187.20', currency: 'USD', executedAt: '2026-11-26T14:31:00.000Z' } },
    { eventId: 'e-1', now: new Date('2026-11-26T14:31:00.010Z'), correlationId: 'c-1' },
  );
  return toEventBridgeShape(envelope, { account: '000000000000', region: 'us-east-1' });
}

/**
 * The cases: the rule shape every consumer uses (source + detail-type lists), a content filter
 * reaching into the detail with operators, and a miss (the common case on a busy bus: most
 * rules do not match most events).
 */
const CASES: ReadonlyArray<{ name: string; pattern: EventPattern; expected: boolean }> = [
  { name: 'typical rule (source + detail-type), match', pattern: { source: ['tradeops.gateway'], 'detail-type': ['FillReport', 'CommissionReport'] }, expected: true },
  {
    name: 'content filter (prefix, numeric, anything-but), match',
    pattern: { source: ['tradeops.gateway'], 'detail-type': [{ prefix: 'Fill' }], detail: { detail: { fill: { symbol: [{ 'anything-but': ['SPY'] }], quantity: [{ numeric: ['>=', 10, '<', 10_000] }] } } } },
    expected: true,
  },
  { name: 'typical rule, no match (other detail-type)', pattern: { source: ['tradeops.gateway'], 'detail-type': ['OrderStatusReport'] }, expected: false },
];

/**
 * `pattern-match`: `matchesPattern` (the local bus's EventBridge matcher, run for every rule on
 * every published event) on typical rules against a FillReport. Timed in batches of 1000 calls
 * with `process.hrtime.bigint()`, so timer overhead is amortised; each sample is one batch's ns/op.
 */
export const patternMatch: Benchmark = {
  name: 'pattern-match',
  description: `matchesPattern on typical rules vs a FillReport: ns/op per batch of ${BATCH}`,
  budgetMs: 30_000,
  async run(ctx) {
    const out = new OutcomeBuilder();
    const event = fillEvent();
    const warmupBatches = 50;
    const batches = ctx.iterations(500, 100);
    const p50s: number[] = [];
    for (const c of CASES) {
      const issues = validatePattern(c.pattern);
      if (issues.length > 0) throw new Error(`${c.name}: invalid pattern ${JSON.stringify(issues)}`);
      const nsPerOp: number[] = [];
      let agree = 0;
      for (let b = 0; b < warmupBatches + batches; b++) {
        if (b % 100 === 0) ctx.checkpoint();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < BATCH; i++) if (matchesPattern(c.pattern, event) === c.expected) agree++;
        const ns = Number(process.hrtime.bigint() - t0);
        if (b >= warmupBatches) nsPerOp.push(ns / BATCH);
      }
      // The count both checks the matcher's answer and keeps the loop's result alive.
      if (agree !== (warmupBatches + batches) * BATCH) throw new Error(`${c.name}: matcher disagreed with the expected ${c.expected} ${(warmupBatches + batches) * BATCH - agree} times`);
      p50s.push(out.dist(c.name, nsPerOp, 'ns', { headline: c === CASES[0] }).p50);
    }
    out.ratio('content filter / typical rule (p50)', p50s[1]!, p50s[0]!, 'p50 ns/op ratio');
    out.ratio('miss / match, typical rule (p50)', p50s[2]!, p50s[0]!, 'p50 ns/op ratio');
    out.figure({ name: 'typical-rule matches per second per core (from p50)', value: Math.round(1e9 / p50s[0]!), unit: 'ops/s' });
    out.note(`${warmupBatches} warm-up batches excluded per case; ${batches} timed batches of ${BATCH} calls; ns/op = batch ns / ${BATCH}.`);
    return out.build();
  },
};
