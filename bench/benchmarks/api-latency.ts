import { startBenchSystem, waitReady } from '../lib/local-system.js';
import { OutcomeBuilder, type Benchmark } from '../lib/types.js';

/** The runbook's endpoints, in the order the on-call checks them. */
const ENDPOINTS = ['/health', '/ready', '/api/positions', '/api/orders/pending', '/api/system/status', '/api/agents/status'] as const;

/**
 * `api-latency`: sequential GETs of the runbook endpoints against one running local system, over
 * one keep-alive connection (Node's fetch pools connections), body read in full. Requests are
 * interleaved round-robin across endpoints so drift (GC, the simulator's ticks, heartbeats)
 * spreads evenly instead of landing on one endpoint.
 */
export const apiLatency: Benchmark = {
  name: 'api-latency',
  description: 'sequential keep-alive GETs of the runbook endpoints on a running local system: latency per endpoint',
  budgetMs: 60_000,
  async run(ctx) {
    const out = new OutcomeBuilder();
    const warmup = 20;
    const n = ctx.iterations(300, 60);
    const system = await startBenchSystem(ctx, 'api');
    try {
      await waitReady(system.apiUrl, { timeoutMs: 60_000, intervalMs: 20, signal: ctx.signal });
      const samples = new Map<string, number[]>(ENDPOINTS.map((e) => [e, []]));
      const bytes = new Map<string, number>();
      for (let i = 0; i < warmup + n; i++) {
        ctx.checkpoint();
        for (const path of ENDPOINTS) {
          const t0 = performance.now();
          const res = await fetch(`${system.apiUrl}${path}`);
          const body = await res.arrayBuffer();
          const ms = performance.now() - t0;
          if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${Buffer.from(body).toString().slice(0, 200)}`);
          if (i >= warmup) samples.get(path)!.push(ms);
          bytes.set(path, body.byteLength);
        }
      }
      const dists = ENDPOINTS.map((path) => out.dist(`GET ${path}`, samples.get(path)!, 'ms', { headline: true }));
      const fastest = dists.reduce((a, b) => (b.p50 < a.p50 ? b : a));
      for (const d of dists) if (d !== fastest) out.ratio(`${d.name} p50 / ${fastest.name} p50`, d.p50, fastest.p50, 'p50 ratio to the fastest endpoint');
      out.figure({ name: 'response sizes (bytes)', value: ENDPOINTS.map((p) => `${p} ${bytes.get(p)}`).join('; ') });
      out.note(`${warmup} warm-up rounds excluded; ${n} measured requests per endpoint, one at a time, round-robin; time = request sent → body read; every answer must be 200.`);
      out.note('Positions and health read the state store (dynalite) on each request; /health also probes the blob store (fauxqs) and the bus.');
    } finally {
      await system.stop();
    }
    return out.build();
  },
};
