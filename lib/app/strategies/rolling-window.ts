/**
 * The last `size` samples of a series with their mean and standard deviation. Strategy statistics,
 * not money: plain numbers are fine here (the signal carries a strength, not a price).
 * @internal
 */
export class RollingWindow {
  private readonly values: number[] = [];
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 2) throw new RangeError(`window size must be an integer ≥ 2, got ${size}`);
  }
  push(x: number): void {
    this.values.push(x);
    if (this.values.length > this.size) this.values.shift();
  }
  get full(): boolean {
    return this.values.length === this.size;
  }
  mean(): number {
    return this.values.reduce((t, x) => t + x, 0) / this.values.length;
  }
  /** Sample standard deviation (n − 1). */
  std(): number {
    const m = this.mean();
    const n = this.values.length;
    return n < 2 ? 0 : Math.sqrt(this.values.reduce((t, x) => t + (x - m) ** 2, 0) / (n - 1));
  }
}
