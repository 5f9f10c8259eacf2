import { obsIdOf, SurveillanceObservationSchema, type SurveillanceObservation } from '../../../lib/core/surveillance/observation.js';

/** Observation builders for the surveillance tests (account DU1, symbol AAPL, strategy s1). */
const T0 = Date.parse('2026-11-26T15:00:00.000Z');
export const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

function obs(fields: Partial<SurveillanceObservation> & Pick<SurveillanceObservation, 'kind' | 'side' | 'quantity' | 'at'>): SurveillanceObservation {
  const base = { account: 'DU1', symbol: 'AAPL', strategyId: 's1', ...fields };
  return SurveillanceObservationSchema.parse({ ...base, obsId: obsIdOf(base) });
}

export const fillObs = (execId: string, side: 'BUY' | 'SELL', quantity: number, price: string, seconds: number, extra: Partial<SurveillanceObservation> = {}) =>
  obs({ kind: 'FILL', execId, clientOrderId: `CO-${execId}`, side, quantity, price, at: at(seconds), ...extra });

export const placed = (clientOrderId: string, side: 'BUY' | 'SELL', quantity: number, price: string | undefined, seconds: number, extra: Partial<SurveillanceObservation> = {}) =>
  obs({ kind: 'ORDER_PLACED', clientOrderId, side, quantity, ...(price === undefined ? { orderType: 'MKT' } : { price, orderType: 'LMT' }), at: at(seconds), ...extra });

export const cancelled = (clientOrderId: string, side: 'BUY' | 'SELL', quantity: number, price: string | undefined, seconds: number, extra: Partial<SurveillanceObservation> = {}) =>
  obs({ kind: 'ORDER_CANCELLED', clientOrderId, side, quantity, ...(price === undefined ? { orderType: 'MKT' } : { price, orderType: 'LMT' }), at: at(seconds), ...extra });
