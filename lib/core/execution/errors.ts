import { InvariantError } from '../shared/errors.js';

/** Stable codes of the execution-tracking module. */
export const ExecutionErrorCode = {
  /** A fact about one order was applied to another order's record: a routing bug upstream. */
  WRONG_ORDER: 'EXECUTION.WRONG_ORDER',
} as const;
export type ExecutionErrorCode = (typeof ExecutionErrorCode)[keyof typeof ExecutionErrorCode];

/**
 * A fact was applied to the record of a different clientOrderId.
 * @example throw new WrongOrderError('CO-1', 'CO-2');
 */
export class WrongOrderError extends InvariantError {
  constructor(recordId: string, factId: string) {
    super(ExecutionErrorCode.WRONG_ORDER, `execution fact for ${factId} applied to the record of ${recordId}`, { details: { recordId, factId } });
    this.name = 'WrongOrderError';
  }
}
