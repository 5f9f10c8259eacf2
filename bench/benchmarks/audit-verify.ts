import type { AuditEntry } from '../../lib/core/audit/audit-entry.js';
import { nextEntry, verifyChain } from '../../lib/core/audit/chain.js';
import { OutcomeBuilder, type BenchContext, type Benchmark } from '../lib/types.js';

/**
 * `audit-verify`: the cost of `verifyChain` (re-hash every entry over its canonical JSON, check
 * links and sequence) on in-memory chains of 10,000 and 100,000 entries shaped like the
 * bridge's order audit records. Tells how long a full audit check takes as the log grows, and
 * whether the cost per entry stays flat (it should: the walk is linear).
 */
export const auditVerify: Benchmark = {
  name: 'audit-verify',
  description: 'verifyChain over 10,000 and 100,000 in-memory entries built with nextEntry: ms per verify and µs per entry',
  budgetMs: 90_000,
  async run(ctx) {
    const out = new OutcomeBuilder();
    const sizes = [10_000, 100_000] as const;
    const reps: Record<(typeof sizes)[number], number> = { 10_000: ctx.iterations(10, 3), 100_000: ctx.iterations(3, 1) };

    const tBuild = performance.now();
    const chain = buildChain(sizes[1], ctx);
    const buildMs = performance.now() - tBuild;
    out.figure({ name: `build ${sizes[1].toLocaleString('en-US')} entries with nextEntry`, value: Math.round(buildMs), unit: 'ms' });
    out.figure({ name: 'nextEntry (build) per entry', value: Math.round((buildMs * 1000 * 100) / sizes[1]) / 100, unit: 'µs' });

    // Warm-up: one untimed verify of the small chain so the hash and JSON paths are compiled.
    verifyOrThrow(chain.slice(0, sizes[0]), sizes[0]);
    const perEntryP50: number[] = [];
    for (const size of sizes) {
      const entries = size === chain.length ? chain : chain.slice(0, size);
      const ms: number[] = [];
      for (let r = 0; r < reps[size]; r++) {
        ctx.checkpoint();
        const t0 = performance.now();
        verifyOrThrow(entries, size);
        ms.push(performance.now() - t0);
      }
      const d = out.dist(`verifyChain ${size.toLocaleString('en-US')} entries (total)`, ms, 'ms', { headline: true });
      out.dist(`verifyChain ${size.toLocaleString('en-US')} entries (per entry)`, ms.map((x) => (x * 1000) / size), 'µs');
      perEntryP50.push((d.p50 * 1000) / size);
      ctx.log(`verifyChain ${size}: p50 ${d.p50.toFixed(0)} ms`);
    }
    out.ratio('µs/entry at 100k / at 10k', perEntryP50[1]!, perEntryP50[0]!, 'p50 per-entry cost ratio (1 = linear)');
    out.note(`One untimed warm-up verify of ${sizes[0].toLocaleString('en-US')} entries; then ${reps[10_000]} × 10k and ${reps[100_000]} × 100k timed verifies of a valid chain (each must return ok with the full count).`);
    return out.build();
  },
};

function buildChain(n: number, ctx: BenchContext): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const start = Date.parse('2026-11-26T14:30:00.000Z');
  let prev: AuditEntry | undefined;
  for (let i = 0; i < n; i++) {
    if (i % 10_000 === 0) ctx.checkpoint();
    const id = `CO-20261126-${String(i).padStart(6, '0')}`;
    prev = nextEntry(
      prev,
      { actor: 'gateway', action: 'ORDER_STATE_CHANGED', subject: id, data: { from: 'SUBMITTED', to: 'FILLED', brokerOrderId: String(1000 + i), filledQuantity: 100, avgFillPrice: '187.20' }, correlationId: `c-${i}` },
      new Date(start + i * 10).toISOString(),
    );
    entries.push(prev);
  }
  return entries;
}

function verifyOrThrow(entries: readonly AuditEntry[], expected: number): void {
  const v = verifyChain(entries);
  if (!v.ok || v.count !== expected) throw new Error(`verifyChain on a valid chain of ${expected}: ${JSON.stringify(v)}`);
}
