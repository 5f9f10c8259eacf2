import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectEvent } from '../../../lib/app/surveillance/detect-event.js';
import { alertIdOf, newAlert, type AlertCandidate } from '../../../lib/core/surveillance/alert.js';
import { detect } from '../../../lib/core/surveillance/detectors.js';
import type { ObservationKind, SurveillanceObservation } from '../../../lib/core/surveillance/observation.js';
import { DEFAULT_SURVEILLANCE_RULES, type SurveillanceRules } from '../../../lib/core/surveillance/rules.js';
import { cancelled, fillObs, placed } from '../../core/surveillance/obs.js';
import { InMemoryComplianceAlertStore, InMemorySurveillanceActivityStore } from '../../../lib/adapters/memory/execution-stores.js';

type Obs = SurveillanceObservation;
const RULES: SurveillanceRules = { ...DEFAULT_SURVEILLANCE_RULES, otrMinOrders: 4, otrMaxRatio: 1 };

// Washes W1/W2 and W1/S1, spoofing around S1 (B1, B2 layered), the order-to-trade ratio of s1
// over its limit, a partly filled order that is no layering (B3), and another account's noise.
const scenario: Obs[] = [
  fillObs('W1', 'BUY', 100, '50.00', 0), fillObs('W2', 'SELL', 100, '50.01', 20),
  placed('B1', 'BUY', 300, '49.90', 25), placed('B2', 'BUY', 300, '49.80', 26), placed('B3', 'BUY', 300, '49.70', 27),
  fillObs('S1', 'SELL', 100, '50.00', 30), fillObs('X3', 'BUY', 10, '49.70', 31, { clientOrderId: 'B3' }),
  cancelled('B1', 'BUY', 300, '49.90', 32), cancelled('B2', 'BUY', 300, '49.80', 33), cancelled('B3', 'BUY', 290, '49.70', 34),
  placed('N1', 'BUY', 300, '49.90', 25, { account: 'DU2', strategyId: 's2' }), cancelled('N1', 'BUY', 300, '49.90', 32, { account: 'DU2', strategyId: 's2' }),
];

/** What the agent does per event: record, detect with bounded reads, raise once. */
async function runAgent(arrivals: readonly Obs[], activity = new InMemorySurveillanceActivityStore()) {
  const alerts = new InMemoryComplianceAlertStore();
  const raised = new Map<string, AlertCandidate>();
  for (const o of arrivals) {
    await activity.recordIfNew(o);
    for (const c of await detectEvent({ activity, alerts }, o, RULES)) {
      if (await alerts.createIfNew(newAlert(c, '2026-11-26T16:00:00.000Z'))) raised.set(alertIdOf(c.type, c.evidenceKey), c);
    }
  }
  return raised;
}

/** The reference: every detector over everything seen so far (what the agent did before its reads were bounded). */
function runReference(arrivals: readonly Obs[]) {
  const seen: Obs[] = [];
  const raised = new Map<string, AlertCandidate>();
  for (const o of arrivals) {
    seen.push(o);
    for (const c of detect(o, seen, seen, RULES)) {
      const id = alertIdOf(c.type, c.evidenceKey);
      if (!raised.has(id)) raised.set(id, c);
    }
  }
  return raised;
}

/** A store that counts what each read returns. */
class CountingActivityStore extends InMemorySurveillanceActivityStore {
  readonly reads: Array<{ kind: ObservationKind | undefined; items: number }> = [];
  override async listRange(symbol: string, from: string, to: string, kind?: ObservationKind): Promise<Obs[]> {
    const found = await super.listRange(symbol, from, to, kind);
    this.reads.push({ kind, items: found.length });
    return found;
  }
}

describe('detectEvent', () => {
  it('raises the same alerts, with the same evidence, as the detectors over everything seen', async () => {
    // Act
    const bounded = await runAgent(scenario);
    const reference = runReference(scenario);

    // Assess
    expect([...bounded.values()].map((c) => c.type).sort()).toEqual(['EXCESSIVE_ORDER_TO_TRADE', 'SPOOFING_LAYERING', 'WASH_TRADE', 'WASH_TRADE']);
    expect(new Map([...bounded].sort())).toEqual(new Map([...reference].sort()));
  });

  it('raises the same alert ids whatever order and however often the events arrive', async () => {
    const reference = [...runReference(scenario).keys()].sort();

    await fc.assert(fc.asyncProperty(fc.shuffledSubarray([...scenario, ...scenario.slice(0, 6)], { minLength: scenario.length + 6, maxLength: scenario.length + 6 }), async (arrivals) => {
      expect([...(await runAgent(arrivals)).keys()].sort()).toEqual(reference);
    }), { numRuns: 60 });
  });

  it('raises one wash alert per fill of a churning strategy, with the reference\'s ids and evidence in any arrival order', async () => {
    // a fill a second for 90 s, alternating sides: each fill matches every opposite fill of the last 60 s
    const churn = Array.from({ length: 90 }, (_, i) => fillObs(`C${String(i).padStart(2, '0')}`, i % 2 === 0 ? 'BUY' : 'SELL', 100, '50.00', i));

    const inOrder = await runAgent(churn);

    expect([...inOrder.values()].map((c) => c.evidenceKey)).toEqual(churn.slice(1).map((f) => `DU1|AAPL|${f.execId!}`));
    expect(new Map([...inOrder].sort())).toEqual(new Map([...runReference(churn)].sort()));
    const reversed = await runAgent([...churn].reverse());
    expect([...reversed.keys()].sort()).toEqual([...inOrder.keys()].sort());
  });

  it('counts a redelivered order message once, also under another time', async () => {
    const messages = [placed('O1', 'BUY', 1, '10', 0), cancelled('O1', 'BUY', 1, '10', 1), placed('O2', 'BUY', 1, '10', 2)];
    const again = [...messages, ...messages, cancelled('O1', 'BUY', 1, '10', 5)];

    const raised = await runAgent(again);

    expect([...raised.values()].map((c) => c.type)).toEqual([]); // 3 distinct messages, below otrMinOrders 4
  });

  it.each([100, 2_000])('reads no more per event after %i others in the day than on a quiet day', async (n) => {
    // Prepare: a busy day of another strategy and account, before the events' windows
    const quiet = new CountingActivityStore();
    const busy = new CountingActivityStore();
    const noise = Array.from({ length: n }, (_, i) => {
      const seconds = -3600 + (i * 3000) / n;
      return i % 2 === 0 ? placed(`Z${i}`, 'SELL', 1, '50.10', seconds, { account: 'DU2', strategyId: 'z' }) : fillObs(`ZF${i}`, 'SELL', 1, '50.10', seconds, { account: 'DU2', strategyId: 'z' });
    });
    for (const o of noise) await busy.recordIfNew(o);

    // Act
    await runAgent(scenario, quiet);
    await runAgent(scenario, busy);

    // Assess: the detectors read the same; the order-to-trade evidence (the symbol's day) is read
    // once, when its alert is raised
    const byKind = (s: CountingActivityStore) => s.reads.filter((r) => r.kind !== undefined);
    const dayReads = (s: CountingActivityStore) => s.reads.filter((r) => r.kind === undefined).map((r) => r.items);
    expect(byKind(busy)).toEqual(byKind(quiet));
    expect(byKind(quiet).length).toBeGreaterThan(0);
    expect(dayReads(busy)).toEqual(dayReads(quiet).map((items) => items + n));
    expect(dayReads(quiet)).toHaveLength(1);
  });
});
