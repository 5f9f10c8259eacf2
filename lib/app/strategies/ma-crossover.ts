import { PollingStrategy, type StrategyDeps, type StrategyOptions, type View } from './polling-strategy.js';
import { RollingWindow } from './rolling-window.js';

export interface MaCrossoverOptions extends StrategyOptions {
  /** Samples in the fast average. Default 5. */
  fast?: number | undefined;
  /** Samples in the slow average. Default 20. */
  slow?: number | undefined;
  /** Relative gap (fast − slow) / slow that counts as a trend; smaller gaps keep the last view (hysteresis). Default 0.0005 (5 bps). */
  band?: number | undefined;
}

/**
 * Momentum demo: LONG while the fast moving average is above the slow one by more than `band`,
 * SHORT while below; strength grows with the gap (1 at 4 × band).
 * @example
 * const s = new MaCrossoverStrategy({ quotes, accept: (x) => acceptSignal(acceptDeps, x), clock, scheduler: intervalScheduler }, { strategyId: 'ma-crossover', agentVersion: '1.0.0' });
 * s.start(); … await s.stop();
 */
export class MaCrossoverStrategy extends PollingStrategy {
  readonly agentId = 'ma-crossover-agent';
  private readonly fastN: number;
  private readonly slowN: number;
  private readonly band: number;
  private readonly series = new Map<string, { fast: RollingWindow; slow: RollingWindow }>();

  constructor(deps: StrategyDeps, options: MaCrossoverOptions) {
    super(deps, options);
    this.fastN = options.fast ?? 5;
    this.slowN = options.slow ?? 20;
    this.band = options.band ?? 0.0005;
    if (this.fastN >= this.slowN) throw new RangeError(`fast (${this.fastN}) must be shorter than slow (${this.slowN})`);
  }

  protected observe(symbol: string, price: number): View | undefined {
    let s = this.series.get(symbol);
    if (s === undefined) {
      s = { fast: new RollingWindow(this.fastN), slow: new RollingWindow(this.slowN) };
      this.series.set(symbol, s);
    }
    s.fast.push(price);
    s.slow.push(price);
    if (!s.slow.full) return undefined;
    const fast = s.fast.mean();
    const slow = s.slow.mean();
    const gap = (fast - slow) / slow;
    if (Math.abs(gap) <= this.band) return undefined;
    return {
      direction: gap > 0 ? 'LONG' : 'SHORT',
      strength: Math.min(1, Math.abs(gap) / (4 * this.band)),
      rationale: `MA${this.fastN} ${fast.toFixed(4)} ${gap > 0 ? 'above' : 'below'} MA${this.slowN} ${slow.toFixed(4)} by ${(gap * 10_000).toFixed(1)} bps`,
    };
  }
}
