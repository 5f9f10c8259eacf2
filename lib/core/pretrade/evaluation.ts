import type { PretradeReason, DenialCode, PretradeWarning } from './reason-codes.js';
import type { SymbolState } from './context.js';

/**
 * What both rule sets need about the order against the context, computed once per check.
 * @internal
 */
export interface OrderView {
  readonly s: SymbolState;
  /** From `exposure.ts`; the one answer every exemption uses. */
  readonly reduces: boolean;
  /** Price the order is valued at: its limit price, or the reference (mark) for a market order; NaN when none. */
  readonly px: number;
  /** The order's own price as working orders store it: limit, or ±∞ for a market buy/sell (duplicate matching). */
  readonly ownPx: number;
  /**
   * The worst price the order could trade at against our own resting orders (wash-trade check): its
   * limit; for a market order the touch it would take (ask for a buy, bid for a sell), or ±∞ when
   * the book has no touch (fail closed).
   */
  readonly crossPx: number;
}

/** Where rules put what they find; arrays are created only when something is found. @internal */
export class Findings {
  reasons: PretradeReason<DenialCode>[] | undefined = undefined;
  warnings: PretradeReason<PretradeWarning>[] | undefined = undefined;
  deny(code: DenialCode, message: string): void {
    (this.reasons ??= []).push({ code, message });
  }
  warn(code: PretradeWarning, message: string): void {
    (this.warnings ??= []).push({ code, message });
  }
}
