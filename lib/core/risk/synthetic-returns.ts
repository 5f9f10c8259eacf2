import { RiskParameterError } from './errors.js';
import { Xoshiro128, ZigguratNormal } from './random.js';
import { returnsMatrix, type ReturnsMatrix } from './returns-matrix.js';

/**
 * Parameters of the synthetic market. A one-factor model: rᵢₜ = βᵢ·fₜ + σᵢ·εᵢₜ, the market factor
 * f and the idiosyncratic ε independent, unit-variance shocks (normal, or Student-t rescaled to
 * unit variance when `tailDof` is set: fat tails, with crash days hitting every name at once).
 */
export interface SyntheticReturnsOptions {
  symbols: readonly string[];
  /** Days of history, oldest first. */
  days: number;
  seed: number;
  /** Daily volatility of the market factor. Default 1 %. */
  marketVol?: number;
  /** βᵢ is drawn uniformly from this range per symbol. Default [0.6, 1.4]. */
  betaRange?: readonly [number, number];
  /** σᵢ (daily idiosyncratic volatility) drawn uniformly from this range. Default [0.8 %, 2.5 %]. */
  idioVolRange?: readonly [number, number];
  /** Student-t degrees of freedom (integer ≥ 3) for fat tails; absent = normal shocks. */
  tailDof?: number;
}

/**
 * A deterministic synthetic return history, for tests and benches only: both runtimes compute VaR
 * from the stored price history (the broker's daily bars, `storedHistoryReturns`).
 *
 * Each symbol's parameters and shocks come from its own stream, seeded by (seed, symbol); the
 * factor from (seed, market). So adding or removing a symbol never changes another symbol's
 * history, and a given (seed, symbol, days) always yields the same numbers.
 * @example syntheticReturns({ symbols: ['AAPL', 'MSFT', 'SPY'], days: 500, seed: 1, tailDof: 4 })
 */
export function syntheticReturns(options: SyntheticReturnsOptions): ReturnsMatrix {
  const { symbols, days, seed } = options;
  const marketVol = options.marketVol ?? 0.01;
  const [bLo, bHi] = options.betaRange ?? [0.6, 1.4];
  const [vLo, vHi] = options.idioVolRange ?? [0.008, 0.025];
  const dof = options.tailDof;
  if (!Number.isInteger(days) || days < 1) throw new RiskParameterError('days', `must be a positive integer, got ${days}`);
  if (!(marketVol >= 0)) throw new RiskParameterError('marketVol', 'must be ≥ 0');
  if (!(vLo >= 0 && vHi >= vLo && bHi >= bLo)) throw new RiskParameterError('idioVolRange', 'ranges must be [low, high] with low ≤ high, volatilities ≥ 0');
  if (dof !== undefined && !(Number.isInteger(dof) && dof >= 3)) throw new RiskParameterError('tailDof', `must be an integer ≥ 3, got ${dof}`);

  const factor = shocks(new Xoshiro128(streamSeed(seed, '\u0000market')), days, dof);
  const data = new Float64Array(symbols.length * days);
  symbols.forEach((symbol, i) => {
    const rng = new Xoshiro128(streamSeed(seed, symbol));
    const beta = bLo + (bHi - bLo) * rng.nextFloat();
    const vol = vLo + (vHi - vLo) * rng.nextFloat();
    const eps = shocks(rng, days, dof);
    for (let t = 0; t < days; t++) data[i * days + t] = beta * marketVol * factor[t]! + vol * eps[t]!;
  });
  return returnsMatrix(symbols, days, data);
}

/** Unit-variance shocks: normal, or Student-t(ν)·√((ν − 2)/ν). */
function shocks(rng: Xoshiro128, days: number, dof: number | undefined): Float64Array {
  const normals = new ZigguratNormal(rng);
  const out = normals.fill(new Float64Array(days));
  if (dof === undefined) return out;
  const chi = new Float64Array(dof);
  const scale = Math.sqrt((dof - 2) / dof);
  for (let t = 0; t < days; t++) {
    normals.fill(chi);
    let s = 0;
    for (let k = 0; k < dof; k++) s += chi[k]! * chi[k]!;
    out[t] = (out[t]! / Math.sqrt(s / dof)) * scale;
  }
  return out;
}

/** FNV-1a over "seed:stream", so each (seed, symbol) has its own generator. @internal */
export function streamSeed(seed: number, stream: string): number {
  const key = `${seed}:${stream}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
