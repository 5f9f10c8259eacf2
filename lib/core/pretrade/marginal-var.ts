import type { DecimalString } from '../money/decimal-string.js';
import { mulInt, parseDecimal, toDecimalString } from '../money/fixed.js';

/**
 * First-order (Euler) estimate of how much an order moves portfolio VaR: the position's marginal
 * VaR per unit of exposure (∂VaR/∂exposure, from the risk agent's last cycle) times the exposure the
 * order adds (signed: a sell of a long reduces it). Good for orders small against the book; the
 * next risk cycle replaces it with the full revaluation. Rounded to cents.
 * @example marginalVarOf(0.05, 'BUY', 100, '187.25') // '936.25'
 */
export function marginalVarOf(marginalPerUnit: number, side: 'BUY' | 'SELL', quantity: number, price: DecimalString): DecimalString {
  if (!Number.isFinite(marginalPerUnit)) return '0';
  const exposureChange = mulInt(parseDecimal(price), side === 'BUY' ? quantity : -quantity);
  // The marginal is a ratio from floating-point statistics; carried at 1e-8 as an exact decimal.
  const scaled = Math.round(marginalPerUnit * 1e8);
  const product = (BigInt(exposureChange) * BigInt(scaled)) / 100_000_000n;
  return toDecimalString(product as typeof exposureChange);
}
