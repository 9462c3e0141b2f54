// Summary statistics of repeated timings: median and percentiles (linear interpolation between
// order statistics, as numpy's default), and the run-to-run spread used by the benchmark.

export interface Summary {
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  runs: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarise(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  return { medianMs: quantile(s, 0.5), p10Ms: quantile(s, 0.1), p90Ms: quantile(s, 0.9), runs: s.length };
}

export function median(samples: readonly number[]): number {
  return quantile([...samples].sort((a, b) => a - b), 0.5);
}

/** Relative spread (p90 - p10) / median; 0 for a single run. */
export function spread(s: Summary): number {
  return s.medianMs > 0 ? (s.p90Ms - s.p10Ms) / s.medianMs : 0;
}

/** Rounds to 4 significant decimals of a millisecond (0.1 µs) so JSON stays readable. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1e4) / 1e4;
}
