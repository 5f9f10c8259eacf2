import { PollingStrategy, type StrategyDeps, type StrategyOptions, type View } from './polling-strategy.js';
import { RollingWindow } from './rolling-window.js';

export interface MeanReversionOptions extends StrategyOptions {
  /** Samples in the rolling mean and deviation. Default 30. */
  window?: number | undefined;
  /** |z| above which the price is stretched: SHORT above the mean, LONG below. Default 2. */
  entryZ?: number | undefined;
  /** |z| below which the stretch is over: FLAT. Default 0.5. */
  exitZ?: number | undefined;
}

/**
 * Mean-reversion demo: z = (price − rolling mean) / rolling deviation. Beyond ±entryZ it bets on a
 * return to the mean (strength 1 at 2 × entryZ); back within ±exitZ it goes FLAT.
 * @example
 * new MeanReversionStrategy(deps, { strategyId: 'mean-reversion', agentVersion: '1.0.0' }).start();
 */
export class MeanReversionStrategy extends PollingStrategy {
  readonly agentId = 'mean-reversion-agent';
  private readonly windowN: number;
  private readonly entryZ: number;
  private readonly exitZ: number;
  private readonly series = new Map<string, RollingWindow>();

  constructor(deps: StrategyDeps, options: MeanReversionOptions) {
    super(deps, options);
    this.windowN = options.window ?? 30;
    this.entryZ = options.entryZ ?? 2;
    this.exitZ = options.exitZ ?? 0.5;
    if (!(this.exitZ >= 0 && this.exitZ < this.entryZ)) throw new RangeError(`need 0 ≤ exitZ (${this.exitZ}) < entryZ (${this.entryZ})`);
  }

  protected observe(symbol: string, price: number): View | undefined {
    let w = this.series.get(symbol);
    if (w === undefined) {
      w = new RollingWindow(this.windowN);
      this.series.set(symbol, w);
    }
    // z against the window before this sample, so a jump is measured against where the price was.
    const ready = w.full;
    const mean = w.mean();
    const std = w.std();
    w.push(price);
    if (!ready || std === 0) return undefined;
    const z = (price - mean) / std;
    const why = `z ${z.toFixed(2)}: price ${price.toFixed(4)} vs ${this.windowN}-sample mean ${mean.toFixed(4)} (σ ${std.toFixed(4)})`;
    if (Math.abs(z) >= this.entryZ) return { direction: z > 0 ? 'SHORT' : 'LONG', strength: Math.min(1, Math.abs(z) / (2 * this.entryZ)), rationale: `stretched, expect reversion: ${why}` };
    if (Math.abs(z) <= this.exitZ) return { direction: 'FLAT', strength: 1, rationale: `back to the mean: ${why}` };
    return undefined;
  }
}
