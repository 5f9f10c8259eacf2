/**
 * Surveillance thresholds and reference lists. The core's own type: the lead maps config onto it
 * (lib/core does not import lib/config). Defaults are deliberately sensitive: an alert is cheap
 * to close, a missed manipulation pattern is not.
 */
export interface SurveillanceRules {
  /** Wash trade: own buy and sell fills, same account and symbol, at most this far apart. Default 60 s. */
  washWindowMs: number;
  /** …at prices within this many bps of each other (of the lower price). Default 10 bps. */
  washPriceToleranceBps: number;
  /** Spoofing/layering: orders on one side placed at most this long before a fill on the other side. Default 120 s. */
  spoofLookbackMs: number;
  /** …and cancelled within this long after that fill. Default 10 s. */
  spoofCancelWithinMs: number;
  /** …at least this many such orders. Default 2. */
  spoofMinOrders: number;
  /** …whose total quantity is at least this multiple of the fill's quantity. Default 1. */
  spoofMinQuantityRatio: number;
  /** …each at least this many bps behind the touch (bid for buys, ask for sells; the fill price if no quote). Default 0: non-marketable. */
  spoofMinDistanceBps: number;
  /** From this many orders the pattern is layering: severity HIGH instead of MEDIUM. Default 4. */
  layeringMinOrders: number;
  /** Order-to-trade: order messages (placed, modified, cancelled) per fill, per strategy, symbol and trading day. Default 25. */
  otrMaxRatio: number;
  /** …judged only from this many order messages. Default 50. */
  otrMinOrders: number;
  /** Restricted names: any order or fill raises a CRITICAL alert. */
  restricted: ReadonlyArray<{ symbol: string; reason?: string | undefined }>;
  /** Blackout windows (e.g. before an issuer's results): any order or fill inside raises a HIGH alert. */
  blackouts: ReadonlyArray<{ symbol: string; from: string; to: string; reason?: string | undefined }>;
  /** At most this many orders and fills are copied into one alert's evidence (the rest are counted). Default 100. */
  maxEvidenceItems: number;
}

export const DEFAULT_SURVEILLANCE_RULES: SurveillanceRules = Object.freeze({
  washWindowMs: 60_000,
  washPriceToleranceBps: 10,
  spoofLookbackMs: 120_000,
  spoofCancelWithinMs: 10_000,
  spoofMinOrders: 2,
  spoofMinQuantityRatio: 1,
  spoofMinDistanceBps: 0,
  layeringMinOrders: 4,
  otrMaxRatio: 25,
  otrMinOrders: 50,
  restricted: [],
  blackouts: [],
  maxEvidenceItems: 100,
});

/** How far either side of an event the window must reach for the time-based detectors. */
export const windowRadiusMs = (r: SurveillanceRules): number => Math.max(r.washWindowMs, r.spoofLookbackMs + r.spoofCancelWithinMs);
