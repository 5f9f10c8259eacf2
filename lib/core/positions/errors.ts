import { InvariantError } from '../shared/errors.js';

/** Stable codes of the positions module. */
export const PositionErrorCode = {
  /** A fill for another account or symbol than the position's. */
  FILL_MISMATCH: 'POSITION.FILL_MISMATCH',
  /** Positions in different currencies cannot be summed without FX rates. */
  MIXED_CURRENCIES: 'POSITION.MIXED_CURRENCIES',
} as const;

/** A fill applied to the wrong position: the books are wired wrongly, not the market. */
export class PositionFillMismatchError extends InvariantError {
  constructor(field: 'account' | 'symbol' | 'currency', expected: string, actual: string, execId: string) {
    super(PositionErrorCode.FILL_MISMATCH, `fill ${execId} has ${field} ${actual}, position has ${expected}`, { details: { field, expected, actual, execId } });
    this.name = 'PositionFillMismatchError';
  }
}

export class MixedCurrenciesError extends InvariantError {
  constructor(currencies: readonly string[]) {
    super(PositionErrorCode.MIXED_CURRENCIES, `cannot aggregate P&L across currencies ${currencies.join(', ')}`, { details: { currencies: [...currencies] } });
    this.name = 'MixedCurrenciesError';
  }
}
