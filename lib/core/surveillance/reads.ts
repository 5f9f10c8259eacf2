import { ObservationKind, type SurveillanceObservation } from './observation.js';
import { windowRadiusMs, type SurveillanceRules } from './rules.js';

type Obs = SurveillanceObservation;

/** One kind of observation of the trigger's symbol within from ≤ at ≤ to: a read a detector needs. */
export interface ObservationRange {
  kind: ObservationKind;
  from: string;
  to: string;
}

/*
 * Which observations each time-based detector needs, so a new event costs reads bounded by the
 * pattern it can complete rather than by the day's volume. Each pattern is found when its last
 * event arrives and that event takes part in it, so a trigger only reads around the patterns it
 * can belong to; the detectors (detectors.ts) then run unchanged over what was read.
 */

/** A wash trade completes at a priced fill: the fills within `washWindowMs` either side of it. */
export function washTradeRange(t: Obs, rules: SurveillanceRules): ObservationRange | undefined {
  if (t.kind !== ObservationKind.FILL || t.price === undefined) return undefined;
  return { kind: ObservationKind.FILL, from: shift(t.at, -rules.washWindowMs), to: shift(t.at, rules.washWindowMs) };
}

/**
 * Spoofing completes at its fill, at one of its limit placements (arriving late) or at one of its
 * cancels. For a placement, the fills it could have been layered against lie up to
 * `spoofLookbackMs` after it; for a cancel, up to `spoofCancelWithinMs` before it. Undefined for a
 * fill (it is its own candidate) and for events that take no part in the pattern.
 * @example
 * spoofedFillRange(cancelAt('15:00:08'), rules) // { kind: 'FILL', from: '…15:59:58', to: '…15:00:08' } with spoofCancelWithinMs 10 s
 */
export function spoofedFillRange(t: Obs, rules: SurveillanceRules): ObservationRange | undefined {
  if (t.kind === ObservationKind.ORDER_PLACED && t.price !== undefined && t.orderType !== 'MKT') {
    return { kind: ObservationKind.FILL, from: t.at, to: shift(t.at, rules.spoofLookbackMs) };
  }
  if (t.kind === ObservationKind.ORDER_CANCELLED) return { kind: ObservationKind.FILL, from: shift(t.at, -rules.spoofCancelWithinMs), to: t.at };
  return undefined;
}

/** The fills among `fills` the order event `t` could be layered against: same account, other side, priced. */
export const spoofedFillsFor = (t: Obs, fills: readonly Obs[]): Obs[] =>
  fills.filter((f) => f.kind === ObservationKind.FILL && f.account === t.account && f.side !== t.side && f.price !== undefined);

/** The cancels that could be layered on any of `fills`: within `spoofCancelWithinMs` after each. */
export function layeredCancelRange(fills: readonly Obs[], rules: SurveillanceRules): ObservationRange {
  const { first, last } = span(fills);
  return { kind: ObservationKind.ORDER_CANCELLED, from: first, to: shift(last, rules.spoofCancelWithinMs) };
}

/**
 * Whether `f` has at least `spoofMinOrders` cancels of its account's orders on the other side within
 * `spoofCancelWithinMs` after it: the detector's own necessary condition, so the placements and
 * fills around `f` are read only when the pattern can be there.
 */
export function mayBeSpoofed(f: Obs, cancels: readonly Obs[], rules: SurveillanceRules): boolean {
  const tf = Date.parse(f.at);
  const orders = new Set<string>();
  for (const c of cancels) {
    const tc = Date.parse(c.at);
    if (c.kind !== ObservationKind.ORDER_CANCELLED || c.account !== f.account || c.side === f.side || c.clientOrderId === undefined) continue;
    if (tc >= tf && tc - tf <= rules.spoofCancelWithinMs) orders.add(c.clientOrderId);
  }
  return orders.size >= rules.spoofMinOrders;
}

/**
 * The rest of the pattern around `fills`: the placements up to `spoofLookbackMs` before each, and
 * the fills within the detection radius of each (a layered order must never have filled).
 */
export function layeredOrderRanges(fills: readonly Obs[], rules: SurveillanceRules): ObservationRange[] {
  const { first, last } = span(fills);
  const radius = windowRadiusMs(rules);
  return [
    { kind: ObservationKind.ORDER_PLACED, from: shift(first, -rules.spoofLookbackMs), to: last },
    { kind: ObservationKind.FILL, from: shift(first, -radius), to: shift(last, radius) },
  ];
}

function span(obs: readonly Obs[]): { first: string; last: string } {
  if (obs.length === 0) throw new RangeError('a range around no observations');
  const times = obs.map((o) => o.at).sort();
  return { first: times[0]!, last: times[times.length - 1]! };
}

const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
