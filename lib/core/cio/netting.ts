import type { DecimalString } from '../money/decimal-string.js';
import { type Fixed, ZERO, add, div, isZero, mul, neg, parseDecimal } from '../money/fixed.js';
import type { Signal } from '../signals/signal.js';
import type { CioConfig } from './config.js';
import { fromRatio } from './numbers.js';

/** One active signal's part in the netted weight. */
export interface Contribution {
  readonly signalId: string;
  readonly strategyId: string;
  /** The weight the signal asks for (its targetWeight, else ±directionWeight, FLAT 0). */
  readonly weight: Fixed;
  readonly strength: Fixed;
  readonly budget: Fixed;
  /** budget × strength × weight / Σ budget: this signal's share of the net weight. */
  readonly contribution: Fixed;
}

export interface NetWeight {
  /** Net target weight (fraction of net liquidation, signed) before volatility scaling and caps. */
  readonly weight: Fixed;
  /** Signals with a budget > 0, sorted by strategyId; these are the order's `signalIds`. */
  readonly contributions: readonly Contribution[];
}

/**
 * Nets the active signals of one symbol (at most one per strategy, see `activeSignals`) into one
 * target weight:
 *
 *     W = Σₖ bₖ · sₖ · wₖ / Σₖ bₖ        over strategies k with an active signal and budget bₖ > 0
 *
 * wₖ is the signal's weight (targetWeight, else ±directionWeight, FLAT = 0), sₖ its strength in
 * [0, 1], bₖ the strategy's risk budget. So one strategy alone gets sₖ·wₖ (confidence shrinks the
 * position); equal and opposite views cancel; a strategy saying FLAT votes for zero; a strategy
 * with no budget has no say. |W| ≤ max |wₖ|: netting never asks for more than any one strategy did.
 * Each product is rounded once (half-even, 10 dp), so the result is exact enough and reproducible.
 * @example netSignals([long5pct07, short2pct04], config).weight // parseDecimal('0.0135') with equal budgets
 */
export function netSignals(active: readonly Signal[], config: Pick<CioConfig, 'riskBudgets' | 'defaultRiskBudget' | 'directionWeight'>): NetWeight {
  const weighted = active
    .map((s) => ({ s, budget: fromRatio(config.riskBudgets[s.strategyId] ?? config.defaultRiskBudget) }))
    .filter((x) => x.budget > 0n);
  const totalBudget = weighted.reduce((t, x) => add(t, x.budget), ZERO);
  if (isZero(totalBudget)) return { weight: ZERO, contributions: [] };
  const contributions = weighted.map(({ s, budget }): Contribution => {
    const weight = signalWeight(s, config.directionWeight);
    const strength = fromRatio(s.strength);
    return { signalId: s.signalId, strategyId: s.strategyId, weight, strength, budget, contribution: div(mul(mul(budget, strength), weight), totalBudget) };
  });
  // Σ contributions equals W up to per-term rounding; summing the terms keeps the rationale's numbers adding up.
  return { weight: contributions.reduce((t, c) => add(t, c.contribution), ZERO), contributions };
}

/** The weight a signal asks for; `targetWeight` wins over a direction (their signs are checked at intake). */
export function signalWeight(signal: Pick<Signal, 'targetWeight' | 'direction'>, directionWeight: DecimalString): Fixed {
  if (signal.targetWeight !== undefined) return parseDecimal(signal.targetWeight);
  const w = parseDecimal(directionWeight);
  return signal.direction === 'LONG' ? w : signal.direction === 'SHORT' ? neg(w) : ZERO;
}
