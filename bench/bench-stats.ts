// Small timing helpers for the benches: medians, not means, because a GC pause in one run
// should not move the number.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; returns each run's milliseconds. */
export function timeRuns(fn: () => void, runs: number, warmup: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Milliseconds with two decimals, for tables and JSON alike. */
export function ms(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Left-aligned first column, right-aligned others, like a terminal table should be. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The best and the typical of repeated measurements: on a shared machine, load only adds time. */
export function minMedian(values: readonly number[]): { min: number; median: number } {
  return { min: Math.min(...values), median: median(values) };
}

/**
 * How much this machine itself spreads timings right now: the same pure-JS loop (no allocation, no
 * GC, fully optimised after its first run) timed `runs` times. Its median over its min is the
 * host's share of any median/min gap in the figures beside it.
 */
export function hostNoise(runs = 100): { minMs: number; medianMs: number; ratio: number } {
  const loop = (): number => {
    let s = 0;
    for (let i = 0; i < 2e6; i++) s = (s + i * 7) % 1000003;
    return s;
  };
  let sink = 0;
  const times = timeRuns(() => void (sink += loop()), runs, 5);
  if (sink < 0) console.log(sink); // keeps the loop from being optimised away
  const { min, median: med } = minMedian(times);
  return { minMs: ms(min), medianMs: ms(med), ratio: Math.round((med / min) * 100) / 100 };
}
