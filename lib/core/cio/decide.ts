import type { DecimalString } from '../money/decimal-string.js';
import {
  type Fixed, ONE, ZERO, abs, add, divRound, div, fromInt, gt, isZero, lt, lte, max, min, mul, mulInt, neg, parseDecimal, sign, sub, toDecimalString,
} from '../money/fixed.js';
import type { Quote } from '../market/quote.js';
import { OrderSchema, type Order, type OrderSide } from '../orders/order.js';
import type { Signal } from '../signals/signal.js';
import { activeSignals } from '../signals/lifetime.js';
import type { TradingMode } from '../trading-state/trading-state.js';
import { CIO_AGENT_ID, type CioConfig } from './config.js';
import { netSignals, type Contribution } from './netting.js';
import { fromRatio } from './numbers.js';
import { proposalClientOrderId } from './proposal-id.js';

/**
 * The CIO's decision for one symbol when a signal arrives: pure, deterministic and idempotent
 * (same input → same output, including the order's clientOrderId, see `proposalClientOrderId`).
 *
 * Pipeline, each step documented where it happens:
 *  1. active signals (latest per strategy, not expired) → net weight W (`netSignals`);
 *  2. W × volatility scale, clipped to ±maxWeightPerName → target quantity W' × netLiq / price;
 *  3. exposure increases limited by capacity (buying power or cash × usage − reserved);
 *  4. REDUCING clips the target toward zero on the current side (never flips, never grows);
 *  5. Δ = target − current, rounded toward zero to the lot size; skipped if 0 or below min notional.
 * HALTED proposes nothing.
 */

/** Why no order is proposed. Expected outcomes, not errors. */
export const CioSkip = {
  HALTED: 'CIO.HALTED',
  REDUCING_ONLY: 'CIO.REDUCING_ONLY',
  UNKNOWN_INSTRUMENT: 'CIO.UNKNOWN_INSTRUMENT',
  SIGNAL_SUPERSEDED: 'CIO.SIGNAL_SUPERSEDED',
  SIGNAL_EXPIRED: 'CIO.SIGNAL_EXPIRED',
  NO_PRICE: 'CIO.NO_PRICE',
  NO_NET_LIQUIDATION: 'CIO.NO_NET_LIQUIDATION',
  NO_CHANGE: 'CIO.NO_CHANGE',
  NO_CAPACITY: 'CIO.NO_CAPACITY',
  BELOW_MIN_NOTIONAL: 'CIO.BELOW_MIN_NOTIONAL',
} as const;
export type CioSkipCode = (typeof CioSkip)[keyof typeof CioSkip];

export interface CioInput {
  /** The signal whose arrival triggers this decision; the order's id derives from it. */
  readonly trigger: Signal;
  /** Signals known for the trigger's symbol (any strategies; older and expired ones are fine). */
  readonly signals: readonly Signal[];
  /** Net position in the symbol, all accounts, signed shares. */
  readonly currentQuantity: number;
  readonly quote: Quote | undefined;
  readonly account: { readonly netLiquidation: DecimalString; readonly buyingPower: DecimalString; readonly totalCash: DecimalString };
  /** Notional already committed by working orders that add exposure (taken off the capacity). */
  readonly reservedNotional?: DecimalString | undefined;
  readonly tradingMode: TradingMode;
  readonly config: CioConfig;
  readonly now: Date;
  /** The triggering event's correlationId; the order carries it. */
  readonly correlationId: string;
  readonly accountId?: string | undefined;
}

/** The numbers behind a decision, for the rationale, logs and tests. */
export interface CioSizing {
  readonly netWeight: DecimalString;
  readonly volScale: DecimalString;
  readonly targetWeight: DecimalString;
  readonly price: DecimalString;
  readonly currentQuantity: number;
  /** Target position in shares after caps and mode, before lot rounding. */
  readonly targetQuantity: DecimalString;
  readonly contributions: ReadonlyArray<{ signalId: string; strategyId: string; weight: DecimalString; strength: DecimalString; budget: DecimalString; contribution: DecimalString }>;
}

export type CioDecision =
  | { readonly kind: 'propose'; readonly order: Order; readonly sizing: CioSizing }
  | { readonly kind: 'skip'; readonly code: CioSkipCode; readonly message: string; readonly sizing?: CioSizing | undefined };

/**
 * @example
 * const d = decideOrder({ trigger: s, signals: await signalStore.latestBySymbol(s.symbol), currentQuantity: 20, quote, account, tradingMode: 'ACTIVE', config, now: clock.now(), correlationId: event.correlationId });
 * if (d.kind === 'propose') await orders.create(d.order);
 */
export function decideOrder(input: CioInput): CioDecision {
  const { trigger, config } = input;
  const symbol = trigger.symbol;
  if (input.tradingMode === 'HALTED') return skip(CioSkip.HALTED, 'trading is HALTED: no orders are proposed');
  const spec = config.instruments[symbol];
  if (spec === undefined) return skip(CioSkip.UNKNOWN_INSTRUMENT, `${symbol} is not in the tradable universe`);

  const active = activeSignals([trigger, ...input.signals.filter((s) => s.symbol === symbol)], input.now);
  // A late, out-of-order delivery of an older signal must not trade on its own account.
  const latestOfStrategy = active.find((s) => s.strategyId === trigger.strategyId);
  if (latestOfStrategy === undefined) return skip(CioSkip.SIGNAL_EXPIRED, `signal ${trigger.signalId} has expired (horizon ${trigger.horizon})`);
  if (latestOfStrategy.signalId !== trigger.signalId) return skip(CioSkip.SIGNAL_SUPERSEDED, `signal ${trigger.signalId} is superseded by ${latestOfStrategy.signalId}`);

  const price = referencePrice(input.quote);
  if (price === undefined) return skip(CioSkip.NO_PRICE, `no usable quote for ${symbol}`);
  const netLiq = parseDecimal(input.account.netLiquidation);
  if (!gt(netLiq, ZERO)) return skip(CioSkip.NO_NET_LIQUIDATION, `net liquidation is ${input.account.netLiquidation}: not sizing against it`);

  const net = netSignals(active, config);
  const volScale = volatilityScale(symbol, config);
  const maxWeight = parseDecimal(config.maxWeightPerName);
  const targetWeight = clamp(mul(net.weight, volScale), neg(maxWeight), maxWeight);
  const current = fromInt(input.currentQuantity);
  // Toward zero at both roundings, so |target| never exceeds maxWeightPerName × netLiq / price.
  const wanted = div(mul(targetWeight, netLiq, 'DOWN'), price, 'DOWN');
  let target = limitByCapacity(current, wanted, price, input);
  if (input.tradingMode === 'REDUCING') target = reduceOnly(current, target);

  const sizing: CioSizing = {
    netWeight: toDecimalString(net.weight),
    volScale: toDecimalString(volScale),
    targetWeight: toDecimalString(targetWeight),
    price: toDecimalString(price),
    currentQuantity: input.currentQuantity,
    targetQuantity: toDecimalString(target),
    contributions: net.contributions.map(showContribution),
  };

  const lotUnits = fromInt(spec.lotSize);
  // Toward zero: the order never overshoots the target, so caps on the target hold for the result.
  const lots = divRound(sub(target, current), lotUnits, 'DOWN');
  const quantity = Number(lots) * spec.lotSize;
  if (quantity === 0) {
    if (input.tradingMode === 'REDUCING' && isIncrease(current, wanted)) {
      return skip(CioSkip.REDUCING_ONLY, `trading is REDUCING: the ${symbol} target (${toDecimalString(wanted)} sh) would add exposure to ${input.currentQuantity}`, sizing);
    }
    if (isIncrease(current, wanted) && lte(abs(sub(target, current)), ZERO)) {
      return skip(CioSkip.NO_CAPACITY, `${symbol}: no ${input.config.capacity} left to add exposure`, sizing);
    }
    return skip(CioSkip.NO_CHANGE, `${symbol}: target ${sizing.targetQuantity} sh vs current ${input.currentQuantity}: less than one lot (${spec.lotSize}) to trade`, sizing);
  }
  const notional = mulInt(price, Math.abs(quantity));
  if (lt(notional, parseDecimal(config.minOrderNotional))) {
    return skip(CioSkip.BELOW_MIN_NOTIONAL, `${symbol}: ${Math.abs(quantity)} × ${sizing.price} = ${toDecimalString(notional)} is below the minimum order notional ${config.minOrderNotional}`, sizing);
  }

  const side: OrderSide = quantity > 0 ? 'BUY' : 'SELL';
  const now = input.now.toISOString();
  const limitPrice = config.orderType === 'LMT' ? marketableLimit(price, side, parseDecimal(config.limitCollar), parseDecimal(spec.tickSize)) : undefined;
  const order = OrderSchema.parse({
    clientOrderId: proposalClientOrderId(trigger),
    ...(input.accountId === undefined ? {} : { account: input.accountId }),
    symbol,
    side,
    quantity: Math.abs(quantity),
    type: config.orderType,
    ...(limitPrice === undefined ? {} : { limitPrice }),
    tif: 'DAY',
    status: 'PROPOSED',
    filledQuantity: 0,
    arrivalPrice: sizing.price,
    origin: {
      strategyId: dominantStrategy(net.contributions),
      agentId: CIO_AGENT_ID,
      agentVersion: config.agentVersion,
      signalIds: net.contributions.map((c) => c.signalId),
      rationale: rationale(symbol, sizing, side, Math.abs(quantity), limitPrice, input.tradingMode),
    },
    external: false,
    correlationId: input.correlationId,
    createdAt: now,
    updatedAt: now,
    version: 0,
  });
  return { kind: 'propose', order, sizing };
}

function skip(code: CioSkipCode, message: string, sizing?: CioSizing): CioDecision {
  return { kind: 'skip', code, message, sizing };
}

/** Mid of a sane two-sided quote, else the last trade; arrival price and sizing price both. @internal */
export function referencePrice(quote: Quote | undefined): Fixed | undefined {
  if (quote === undefined) return undefined;
  const bid = quote.bid === undefined ? undefined : parseDecimal(quote.bid);
  const ask = quote.ask === undefined ? undefined : parseDecimal(quote.ask);
  if (bid !== undefined && ask !== undefined && gt(bid, ZERO) && lte(bid, ask)) return divRound(add(bid, ask), 2n, 'HALF_EVEN') as Fixed;
  const last = quote.last === undefined ? undefined : parseDecimal(quote.last);
  return last !== undefined && gt(last, ZERO) ? last : undefined;
}

/** min(maxScale, target / instrument vol); unknown or non-positive vol → min(1, maxScale). @internal */
export function volatilityScale(symbol: string, config: Pick<CioConfig, 'volTargeting'>): Fixed {
  const v = config.volTargeting;
  if (v === undefined) return ONE;
  const maxScale = fromRatio(Math.max(0, v.maxScale));
  const vol = v.dailyVolBySymbol[symbol];
  if (vol === undefined || !(vol > 0)) return min(ONE, maxScale);
  return min(maxScale, div(fromRatio(Math.max(0, v.targetDailyVol)), fromRatio(vol)));
}

const clamp = (x: Fixed, lo: Fixed, hi: Fixed): Fixed => max(lo, min(hi, x));

/** |target| > |current| on the same side, or any position on the other side. */
function isIncrease(current: Fixed, target: Fixed): boolean {
  return sign(target) * sign(current) < 0 ? !isZero(target) : gt(abs(target), abs(current));
}

/**
 * Exposure added by moving from current to target — |target| − |current| on the same side, all of
 * |target| after a flip — is at most the capacity: capacityUsage × (buying power or cash) −
 * reserved. Reductions need no capacity.
 */
function limitByCapacity(current: Fixed, target: Fixed, price: Fixed, input: CioInput): Fixed {
  if (!isIncrease(current, target)) return target;
  const figure = parseDecimal(input.config.capacity === 'cash' ? input.account.totalCash : input.account.buyingPower);
  const reserved = input.reservedNotional === undefined ? ZERO : parseDecimal(input.reservedNotional);
  const available = max(ZERO, sub(mul(figure, parseDecimal(input.config.capacityUsage)), reserved));
  const flips = sign(target) * sign(current) < 0;
  const base = flips ? ZERO : abs(current);
  const maxAbs = add(base, div(available, price, 'DOWN'));
  if (lte(abs(target), maxAbs)) return target;
  return sign(target) < 0 ? neg(maxAbs) : maxAbs;
}

/** REDUCING: the position may only shrink toward zero on its own side — clipped at flat, never grown. */
function reduceOnly(current: Fixed, target: Fixed): Fixed {
  if (isZero(current)) return ZERO;
  if (sign(target) * sign(current) <= 0) return ZERO;
  return lt(abs(target), abs(current)) ? target : current;
}

/** BUY at mid × (1 + collar) rounded up to the tick, SELL at mid × (1 − collar) rounded down (at least one tick). */
function marketableLimit(mid: Fixed, side: OrderSide, collar: Fixed, tick: Fixed): DecimalString {
  const raw = mul(mid, side === 'BUY' ? add(ONE, collar) : sub(ONE, collar));
  const ticks = divRound(raw, tick, side === 'BUY' ? 'CEILING' : 'FLOOR');
  return toDecimalString(mulInt(tick, ticks > 0n ? ticks : 1n));
}

/** The strategy with more than half of the gross contribution, else `multi` (no single owner). */
function dominantStrategy(contributions: readonly Contribution[]): string {
  const gross = contributions.reduce((t, c) => add(t, abs(c.contribution)), ZERO);
  const top = [...contributions].sort((a, b) => (gt(abs(a.contribution), abs(b.contribution)) ? -1 : lt(abs(a.contribution), abs(b.contribution)) ? 1 : a.strategyId < b.strategyId ? -1 : 1))[0];
  if (top === undefined) return 'multi';
  if (contributions.length === 1) return top.strategyId;
  return gt(mulInt(abs(top.contribution), 2), gross) ? top.strategyId : 'multi';
}

function showContribution(c: Contribution) {
  return { signalId: c.signalId, strategyId: c.strategyId, weight: toDecimalString(c.weight), strength: toDecimalString(c.strength), budget: toDecimalString(c.budget), contribution: toDecimalString(c.contribution) };
}

const pct = (d: DecimalString): string => `${(Number(d) * 100).toFixed(2)}%`;

/** A human line listing every contribution and each step of the sizing (≤ 2000 chars, the origin's limit). */
function rationale(symbol: string, s: CioSizing, side: OrderSide, quantity: number, limitPrice: DecimalString | undefined, mode: TradingMode): string {
  const parts = s.contributions.map((c) => `${c.strategyId}/${c.signalId} w=${pct(c.weight)} s=${Number(c.strength).toFixed(2)} b=${Number(c.budget).toFixed(2)} → ${pct(c.contribution)}`);
  const text =
    `CIO ${symbol}: net ${pct(s.netWeight)} from [${parts.join('; ')}], vol scale ${Number(s.volScale).toFixed(2)}, target ${pct(s.targetWeight)} of NLV ` +
    `= ${s.targetQuantity} sh @ ${s.price}${mode === 'REDUCING' ? ' (REDUCING: clipped toward flat)' : ''}; current ${s.currentQuantity} → ${side} ${quantity}` +
    (limitPrice === undefined ? ' MKT' : ` LMT ${limitPrice}`);
  return text.length <= 2000 ? text : `${text.slice(0, 1999)}…`;
}
