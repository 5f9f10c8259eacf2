import { InvariantError, ValidationError } from '../shared/errors.js';

/** Stable codes of the risk module (they survive a queue or a Step Functions `Catch`). */
export const RiskErrorCode = {
  /** Dimensions of a returns matrix, exposure vector or covariance do not agree. */
  SHAPE_MISMATCH: 'RISK.SHAPE_MISMATCH',
  /** A parameter outside its domain (confidence not in (0.5, 1), window < 2, λ not in (0, 1)…). */
  INVALID_PARAMETER: 'RISK.INVALID_PARAMETER',
  /** A return or exposure that is NaN or ±∞: a VaR computed over it would be meaningless. */
  NON_FINITE_INPUT: 'RISK.NON_FINITE_INPUT',
  /** Cholesky failed even after the largest diagonal jitter: the matrix is not a covariance. */
  NOT_POSITIVE_DEFINITE: 'RISK.NOT_POSITIVE_DEFINITE',
} as const;
export type RiskErrorCode = (typeof RiskErrorCode)[keyof typeof RiskErrorCode];

/** Inputs whose shapes disagree: the caller assembled the matrices wrongly (a bug, not the market). */
export class RiskShapeError extends InvariantError {
  constructor(message: string, details: Record<string, unknown>) {
    super(RiskErrorCode.SHAPE_MISMATCH, message, { details });
    this.name = 'RiskShapeError';
  }
}

/** A parameter outside its domain (e.g. confidence 1.2). */
export class RiskParameterError extends ValidationError {
  constructor(path: string, message: string) {
    super(RiskErrorCode.INVALID_PARAMETER, `${path}: ${message}`, [{ path, message }]);
    this.name = 'RiskParameterError';
  }
}

/** A NaN or infinite value where a finite number is required. */
export class NonFiniteRiskInputError extends InvariantError {
  constructor(what: string, index: number) {
    super(RiskErrorCode.NON_FINITE_INPUT, `${what}[${index}] is not a finite number`, { details: { what, index } });
    this.name = 'NonFiniteRiskInputError';
  }
}

/** The matrix handed to Cholesky is not positive semi-definite even up to the jitter we allow. */
export class NotPositiveDefiniteError extends InvariantError {
  constructor(row: number, pivot: number, jitter: number) {
    super(RiskErrorCode.NOT_POSITIVE_DEFINITE, `Cholesky failed at row ${row} (pivot ${pivot}) with diagonal jitter ${jitter}`, { details: { row, pivot, jitter } });
    this.name = 'NotPositiveDefiniteError';
  }
}

/** @internal */
export function assertConfidence(confidence: number, path = 'confidence'): void {
  if (!(confidence > 0.5 && confidence < 1)) throw new RiskParameterError(path, `must be in (0.5, 1), got ${confidence}`);
}

/** @internal */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) throw new NonFiniteRiskInputError(what, i);
}
