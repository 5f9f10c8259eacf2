import { InvariantError } from '../shared/errors.js';
import { type Fixed, SCALE, parseDecimal } from '../money/fixed.js';

/**
 * A statistic given as a JS number (strength, budget, volatility) as a `Fixed`, rounded once to
 * 10 dp so that everything after it is exact integer arithmetic.
 * @throws InvariantError `CIO.BAD_NUMBER` for NaN, ±Infinity or |x| ≥ 1e15
 * @internal
 */
export function fromRatio(x: number): Fixed {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e15) throw new InvariantError('CIO.BAD_NUMBER', `not a usable number: ${x}`);
  return parseDecimal(x.toFixed(SCALE));
}
