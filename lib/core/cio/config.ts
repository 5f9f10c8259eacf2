import type { DecimalString } from '../money/decimal-string.js';

/**
 * What the CIO needs to know, as the core's own type (the lead maps `lib/config` onto it; the core
 * never imports config). Fractions of net liquidation, prices and money are decimal strings;
 * budgets and volatilities are statistics, not money, and are plain numbers.
 * @example
 * const config: CioConfig = {
 *   agentVersion: '1.0.0',
 *   riskBudgets: { 'ma-crossover': 0.5, 'mean-reversion': 0.5 }, defaultRiskBudget: 0,
 *   directionWeight: '0.05', maxWeightPerName: '0.10',
 *   volTargeting: { targetDailyVol: 0.01, maxScale: 2, dailyVolBySymbol: { AAPL: 0.015 } },
 *   instruments: { AAPL: { lotSize: 1, tickSize: '0.01' } },
 *   minOrderNotional: '100', capacity: 'buyingPower', capacityUsage: '0.95',
 *   orderType: 'LMT', limitCollar: '0.002',
 * };
 */
export interface CioConfig {
  /** Version of the CIO's policy, recorded on every order's origin (RTS 6 Art 12(3)). */
  readonly agentVersion: string;
  /** strategyId → risk budget (≥ 0): the strategy's say in the netted weight, relative to the others present. */
  readonly riskBudgets: Readonly<Record<string, number>>;
  /** Budget of a strategy not in `riskBudgets`; 0 means unknown strategies cannot move the book. */
  readonly defaultRiskBudget: number;
  /** Weight of a signal that gives only a direction (LONG → +w, SHORT → −w, FLAT → 0). */
  readonly directionWeight: DecimalString;
  /** Largest |position value| / net liquidation per instrument, after volatility scaling. */
  readonly maxWeightPerName: DecimalString;
  /** Volatility targeting; absent: weights are used unscaled. */
  readonly volTargeting?: VolTargeting | undefined;
  /** The tradable universe: a symbol not here is never traded. */
  readonly instruments: Readonly<Record<string, InstrumentTradingSpec>>;
  /** Orders worth less than this (|quantity| × price) are not proposed. */
  readonly minOrderNotional: DecimalString;
  /** Which account figure limits exposure increases. */
  readonly capacity: 'buyingPower' | 'cash';
  /** Fraction of that figure the CIO may commit (headroom for fees and price moves), in (0, 1]. */
  readonly capacityUsage: DecimalString;
  /** LMT: marketable limit at mid ± collar; MKT: market order. */
  readonly orderType: 'LMT' | 'MKT';
  /** Fraction of mid a limit order may cross by, e.g. "0.002" = 20 bps. */
  readonly limitCollar: DecimalString;
}

export interface InstrumentTradingSpec {
  /** Orders are whole multiples of this many shares. */
  readonly lotSize: number;
  /** Limit prices are multiples of this. */
  readonly tickSize: DecimalString;
}

/**
 * Scale = min(maxScale, targetDailyVol / dailyVol of the instrument). A symbol without a known
 * volatility gets min(1, maxScale): never levered up on ignorance.
 */
export interface VolTargeting {
  readonly targetDailyVol: number;
  readonly maxScale: number;
  /** Daily return standard deviation per symbol (0.015 = 1.5 %/day), supplied by the caller. */
  readonly dailyVolBySymbol: Readonly<Record<string, number>>;
}

/** The name recorded as `origin.agentId` on CIO orders. */
export const CIO_AGENT_ID = 'cio-agent';
