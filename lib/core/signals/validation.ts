import type { Signal } from './signal.js';
import { isExpired } from './lifetime.js';

/** Field-level problem with a signal, in the shape the API returns for a 400. */
export interface SignalIssue {
  path: string;
  message: string;
}

/** How far ahead of our clock a strategy's `createdAt` may be (clock skew), by default. */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 60_000;

/**
 * Checks SignalSchema cannot express: direction and targetWeight agree, the signal is not dated in
 * the future (it would outrank every later signal of its strategy) and has not already expired.
 * @example signalIssues({ ...s, direction: 'LONG', targetWeight: '-0.02' }, now) // [{ path: 'targetWeight', message: 'LONG needs a positive targetWeight' }]
 */
export function signalIssues(signal: Signal, now: Date, options: { maxFutureSkewMs?: number } = {}): SignalIssue[] {
  const issues: SignalIssue[] = [];
  const w = signal.targetWeight === undefined ? undefined : Math.sign(Number(signal.targetWeight));
  if (w !== undefined) {
    if (signal.direction === 'LONG' && w <= 0) issues.push({ path: 'targetWeight', message: 'LONG needs a positive targetWeight' });
    if (signal.direction === 'SHORT' && w >= 0) issues.push({ path: 'targetWeight', message: 'SHORT needs a negative targetWeight' });
    if (signal.direction === 'FLAT' && w !== 0) issues.push({ path: 'targetWeight', message: 'FLAT needs targetWeight 0 or none' });
  }
  const skew = options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  if (Date.parse(signal.createdAt) > now.getTime() + skew) issues.push({ path: 'createdAt', message: `more than ${skew} ms in the future` });
  else if (isExpired(signal, now)) issues.push({ path: 'createdAt', message: `already expired (horizon ${signal.horizon})` });
  return issues;
}
