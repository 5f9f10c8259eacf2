import { apiLatency } from './benchmarks/api-latency.js';
import { auditVerify } from './benchmarks/audit-verify.js';
import { dynamodbAdapter } from './benchmarks/dynamodb-adapter.js';
import { localStart } from './benchmarks/local-start.js';
import { orderRoundtrip } from './benchmarks/order-roundtrip.js';
import { signalToFill } from './benchmarks/signal-to-fill.js';
import { patternMatch } from './benchmarks/pattern-match.js';
import { pretradeCheck } from './benchmarks/pretrade-check.js';
import { varHistorical } from './benchmarks/var-historical.js';
import { varMonteCarlo } from './benchmarks/var-montecarlo.js';
import { lambdaBundles } from './benchmarks/lambda-bundles.js';
// kill switch
import { killSwitch } from './benchmarks/kill-switch.js';
import { brokerOutage } from './benchmarks/broker-outage.js';
import type { Benchmark } from './lib/types.js';

/**
 * Every benchmark `npm run bench` knows, in run order. To add one: write
 * `bench/benchmarks/<name>.ts` exporting a `Benchmark`, append it here. Names are stable
 * (`--only` and the comparison with the previous results use them).
 *
 * Order matters a little: the local-system benchmarks run first, before the in-memory ones grow
 * the heap, so the in-process RSS they report carries as little of the harness as possible.
 */
export const BENCHMARKS: readonly Benchmark[] = [localStart, apiLatency, signalToFill('dynalite'), signalToFill('memory'), orderRoundtrip, dynamodbAdapter, auditVerify, patternMatch, pretradeCheck, varHistorical, varMonteCarlo, lambdaBundles,
  // kill switch
  killSwitch,
  brokerOutage,
];

/**
 * The benchmarks named in `only` (all when empty), in registry order.
 * @throws Error naming the unknown names and the known ones
 */
export function selectBenchmarks(only: readonly string[], registry: readonly Benchmark[] = BENCHMARKS): Benchmark[] {
  const known = new Set(registry.map((b) => b.name));
  const unknown = only.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new Error(`unknown benchmark${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  return only.length === 0 ? [...registry] : registry.filter((b) => only.includes(b.name));
}
