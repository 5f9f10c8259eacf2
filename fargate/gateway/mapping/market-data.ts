import type { Quote } from '../../../lib/core/market/quote.js';
import type { Symbol } from '../../../lib/core/shared/ids.js';
import { optionalDoubleToDecimal } from './decimal.js';

/** IB tick types (dist/api/market/tickType.js) → the quote field each updates; delayed ticks count too. */
const PRICE_TICKS: Readonly<Record<number, 'bid' | 'ask' | 'last'>> = { 1: 'bid', 2: 'ask', 4: 'last', 66: 'bid', 67: 'ask', 68: 'last' };
const SIZE_TICKS: Readonly<Record<number, 'bidSize' | 'askSize'>> = { 0: 'bidSize', 3: 'askSize', 69: 'bidSize', 70: 'askSize' };

/** A quote being built from ticks (all fields optional until the first tick of each). */
export type QuoteDraft = Omit<Quote, 'at'> & { at?: string };

/**
 * Applies one tick; returns the new draft, or the same object when the tick is not one we keep
 * (or a price of −1/0, IB's "no quote"), so callers can tell whether anything changed.
 * @example
 * applyTick({ symbol: 'AAPL' }, 'price', 1, 187.2, now) // { symbol: 'AAPL', bid: '187.2', at: now }
 */
export function applyTick(draft: QuoteDraft, kind: 'price' | 'size', tickType: number, value: number | undefined, at: string): QuoteDraft {
  if (value === undefined || !Number.isFinite(value)) return draft;
  if (kind === 'price') {
    const field = PRICE_TICKS[tickType];
    if (field === undefined || value <= 0) return draft;
    const price = optionalDoubleToDecimal(value, field);
    if (price === undefined || draft[field] === price) return draft;
    return { ...draft, [field]: price, at };
  }
  const field = SIZE_TICKS[tickType];
  if (field === undefined || value < 0 || draft[field] === value) return draft;
  return { ...draft, [field]: value, at };
}

/** A draft with at least one price becomes a Quote. */
export function completeQuote(draft: QuoteDraft): Quote | undefined {
  if (draft.at === undefined || (draft.bid === undefined && draft.ask === undefined && draft.last === undefined)) return undefined;
  return { ...draft, at: draft.at };
}

export function emptyDraft(symbol: Symbol): QuoteDraft {
  return { symbol };
}
