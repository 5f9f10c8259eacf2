import { TradeOpsError } from '../shared/errors.js';
import type { AlertStatus } from './alert.js';

/** Stable codes of the surveillance module. */
export const SurveillanceErrorCode = {
  /** A status change the alert workflow does not allow (e.g. escalated → new). */
  ILLEGAL_TRANSITION: 'SURVEILLANCE.ILLEGAL_TRANSITION',
  /** Closing (or reopening) an alert needs a note saying why: MAR record keeping. */
  NOTE_REQUIRED: 'SURVEILLANCE.NOTE_REQUIRED',
  /** No alert with that id. */
  ALERT_NOT_FOUND: 'SURVEILLANCE.ALERT_NOT_FOUND',
} as const;
export type SurveillanceErrorCode = (typeof SurveillanceErrorCode)[keyof typeof SurveillanceErrorCode];

/** Base of the surveillance errors; these are expected outcomes, returned in `Result`s. */
export class SurveillanceError extends TradeOpsError {
  constructor(code: SurveillanceErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'SurveillanceError';
  }
}

/** @example new IllegalAlertTransitionError('MAR-WASH-0123456789abcdef', 'escalated', 'new') */
export class IllegalAlertTransitionError extends SurveillanceError {
  constructor(alertId: string, from: AlertStatus, to: AlertStatus) {
    super(SurveillanceErrorCode.ILLEGAL_TRANSITION, `alert ${alertId}: illegal transition ${from} → ${to}`, { details: { alertId, from, to } });
    this.name = 'IllegalAlertTransitionError';
  }
}

export class AlertNoteRequiredError extends SurveillanceError {
  constructor(alertId: string, to: AlertStatus) {
    super(SurveillanceErrorCode.NOTE_REQUIRED, `alert ${alertId}: moving to ${to} needs a note saying why`, { details: { alertId, to } });
    this.name = 'AlertNoteRequiredError';
  }
}

export class AlertNotFoundError extends SurveillanceError {
  constructor(alertId: string) {
    super(SurveillanceErrorCode.ALERT_NOT_FOUND, `no compliance alert ${alertId}`, { details: { alertId } });
    this.name = 'AlertNotFoundError';
  }
}
