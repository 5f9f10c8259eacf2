import { alertIdOf, AlertType, type AlertCandidate } from '../../core/surveillance/alert.js';
import { tradingDayOf } from '../../core/calendar/nyse.js';
import { dedupe, detectBlackout, detectRestricted, detectSpoofing, detectWashTrades, orderToTradeAlert } from '../../core/surveillance/detectors.js';
import { ObservationKind, type SurveillanceObservation } from '../../core/surveillance/observation.js';
import { exceedsOrderToTrade, orderToTradeEvidenceKey, orderToTradeTallyOf } from '../../core/surveillance/order-to-trade.js';
import { layeredCancelRange, layeredOrderRanges, mayBeSpoofed, spoofedFillRange, spoofedFillsFor, washTradeRange, type ObservationRange } from '../../core/surveillance/reads.js';
import type { SurveillanceRules } from '../../core/surveillance/rules.js';
import type { ComplianceAlertStore, SurveillanceActivityStore } from '../../ports/compliance-alerts.js';

type Obs = SurveillanceObservation;

export interface DetectEventDeps {
  activity: Pick<SurveillanceActivityStore, 'listRange' | 'countOnce'>;
  alerts: Pick<ComplianceAlertStore, 'get'>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every detector's candidates for one new (already recorded) observation, in the order restricted,
 * blackout, wash, spoofing, order-to-trade. Each detector reads only the kinds and times its
 * pattern needs (core/surveillance/reads.ts), and the order-to-trade ratio a counter, so the cost
 * of an event does not grow with the day's volume.
 * @example
 * for (const c of await detectEvent(deps, obs, rules)) await raise(c);
 */
export async function detectEvent(deps: DetectEventDeps, obs: Obs, rules: SurveillanceRules): Promise<AlertCandidate[]> {
  const read = async (r: ObservationRange): Promise<Obs[]> => deps.activity.listRange(obs.symbol, r.from, r.to, r.kind);
  const [wash, spoofing, orderToTrade] = await Promise.all([washTrades(obs, rules, read), spoofs(obs, rules, read), excessiveOrderToTrade(deps, obs, rules)]);
  return [...detectRestricted(obs, rules), ...detectBlackout(obs, rules), ...wash, ...spoofing, ...orderToTrade];
}

type Read = (r: ObservationRange) => Promise<Obs[]>;

async function washTrades(t: Obs, rules: SurveillanceRules, read: Read): Promise<AlertCandidate[]> {
  const range = washTradeRange(t, rules);
  return range === undefined ? [] : detectWashTrades(t, dedupe([t, ...(await read(range))]), rules);
}

/** The spoofing alerts of the fills the trigger can complete a pattern around: the fill itself, or those a placement or cancel could be layered against. */
async function spoofs(t: Obs, rules: SurveillanceRules, read: Read): Promise<AlertCandidate[]> {
  const fillRange = spoofedFillRange(t, rules);
  const fills = t.kind === ObservationKind.FILL ? (t.price === undefined ? [] : [t]) : fillRange === undefined ? [] : spoofedFillsFor(t, dedupe(await read(fillRange)));
  if (fills.length === 0) return [];
  const cancels = await read(layeredCancelRange(fills, rules));
  const suspects = fills.filter((f) => mayBeSpoofed(f, cancels, rules));
  if (suspects.length === 0) return [];
  const rest = await Promise.all(layeredOrderRanges(suspects, rules).map(read));
  const window = dedupe([t, ...cancels, ...rest.flat()]);
  return suspects.flatMap((f) => detectSpoofing(f, window, rules));
}

/**
 * Counts the observation once into its strategy's order-to-trade counter; an order message that
 * takes the ratio over the limit raises the alert, reading the strategy's day (for the evidence)
 * only while that alert does not exist yet: once per strategy, symbol and day.
 */
async function excessiveOrderToTrade(deps: DetectEventDeps, t: Obs, rules: SurveillanceRules): Promise<AlertCandidate[]> {
  const tally = orderToTradeTallyOf(t);
  if (tally === undefined) return [];
  const count = await deps.activity.countOnce(tally.key, tally.field, t.obsId);
  // the ratio only rises with order messages; a redelivered one re-checks (the raise may have been lost)
  if (tally.field !== 'orderMessages' || !exceedsOrderToTrade(count, rules)) return [];
  if ((await deps.alerts.get(alertIdOf(AlertType.EXCESSIVE_ORDER_TO_TRADE, orderToTradeEvidenceKey(tally.key)))) !== undefined) return [];
  const around = await deps.activity.listRange(t.symbol, shift(t.at, -DAY_MS), shift(t.at, DAY_MS));
  const same = dedupe([t, ...around]).filter((o) => o.strategyId === t.strategyId && tradingDayOf(new Date(o.at)) === tally.key.day);
  return [orderToTradeAlert(t, count, same, rules)];
}

const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
