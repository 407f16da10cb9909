/**
 * Nearest-rank percentile of samples sorted ascending. No interpolation: the figure reported
 * is a latency that was actually observed.
 */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * The middle item by `key` (the lower middle for an even count). Picking a whole run, rather
 * than the median of each figure separately, keeps its throughput and latencies consistent.
 */
export function medianBy<T>(items: T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[(sorted.length - 1) >> 1];
}
