/**
 * The one definition of "reduces exposure", used by every rule that lets a reducing order through
 * (trading state REDUCING, daily loss, leverage, VaR, exposure limits) and by the short-sale rule.
 *
 * An order reduces exposure when it moves the position toward zero without crossing it, counting
 * the orders already working in the same direction: with a long 100 and a working sell of 60, a
 * new sell of 40 reduces, a new sell of 41 does not — otherwise a stack of individually "reducing"
 * orders could flip the position while trading is REDUCING.
 *
 * @param position signed position in units (negative = short)
 * @param side +1 buy, -1 sell
 * @param quantity the order's quantity (> 0)
 * @param workingSameSide units still open on orders of the same side for the symbol
 * @example reducesExposure(100, -1, 40, 60) // true
 */
export function reducesExposure(position: number, side: 1 | -1, quantity: number, workingSameSide: number): boolean {
  if (position === 0 || position * side > 0) return false;
  const room = (position < 0 ? -position : position) - workingSameSide;
  return quantity <= room;
}

/** The order's side as a sign. */
export const sideSign = (side: 'BUY' | 'SELL'): 1 | -1 => (side === 'BUY' ? 1 : -1);
