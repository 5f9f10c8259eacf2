/**
 * Nearest-rank percentile: the smallest value with at least `p` of the values at or below it, so
 * every reported percentile is a value that was actually observed. The one copy in the core
 * (execution quality and the event bus's delivery latency both use it).
 * @example percentile([5, 1, 3], 0.5) // 3
 */
export function percentile<T extends number | bigint>(values: readonly T[], p: number): T | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}
