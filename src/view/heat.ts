// Heat-map overlays: a metric per node id (MACs, params, activation bytes, latency) mapped to a few
// buckets by quantiles, returned as CSS class names ("heat-0" .. "heat-<n-1>"), never colours: the
// theme decides what a bucket looks like. Overlays live outside the IR, keyed by node id.

import { formatBytes, formatCompact } from "./format";
import type { ViewModel } from "./types";

export type HeatMetric = "macs" | "params" | "activationBytes" | "latency";

export interface HeatBucket {
  className: string;
  /** Inclusive value range of the bucket. */
  min: number;
  max: number;
  /** "1.23 M – 4.56 M" */
  label: string;
}

export interface HeatMap {
  metric: HeatMetric;
  /** CSS class per node id; ids with a zero or missing value get none (drawn neutral). */
  classOf: Map<string, string>;
  /** Bucket of each node id (0 = coolest). */
  levelOf: Map<string, number>;
  legend: HeatBucket[];
  /** The convention, stated in the legend: "MACs (FLOPs = 2 × MACs)". */
  caption: string;
}

const CAPTIONS: Record<HeatMetric, string> = {
  macs: "MACs per layer (multiply-accumulates of conv, linear/dense and matmul; FLOPs = 2 × MACs)",
  params: "Parameters per layer",
  activationBytes: "Activation memory per layer (output elements × 4 bytes, float32)",
  latency: "Measured latency per layer",
};

/**
 * Buckets by quantiles of the non-zero values: equal counts per bucket, so a model with one huge
 * layer still shows contrast among the rest. Equal values never straddle two buckets.
 */
export function heatMap(metric: HeatMetric, values: ReadonlyMap<string, number>, buckets = 6): HeatMap {
  const count = Math.max(1, Math.min(7, Math.floor(buckets)));
  const entries = [...values.entries()].filter(([, v]) => Number.isFinite(v) && v > 0);
  const sorted = entries.map(([, v]) => v).sort((a, b) => a - b);
  // Upper bound (inclusive) of each bucket: the value at its quantile.
  const bounds: number[] = [];
  for (let b = 1; b <= count; b++) {
    if (sorted.length === 0) break;
    const at = Math.min(sorted.length - 1, Math.ceil((b * sorted.length) / count) - 1);
    const bound = sorted[at];
    if (bounds.length === 0 || bound > bounds[bounds.length - 1]) bounds.push(bound);
  }
  const levelOfValue = (v: number): number => {
    let lo = 0;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= bounds[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const classOf = new Map<string, string>();
  const levelOf = new Map<string, number>();
  for (const [id, v] of entries) {
    const level = levelOfValue(v);
    levelOf.set(id, level);
    classOf.set(id, `heat-${level}`);
  }
  const fmt = metric === "activationBytes" ? formatBytes : metric === "latency" ? formatMs : formatCompact;
  const legend: HeatBucket[] = bounds.map((max, i) => {
    const min = i === 0 ? sorted[0] : firstAbove(sorted, bounds[i - 1]);
    return { className: `heat-${i}`, min, max, label: min === max ? fmt(min) : `${fmt(min)} – ${fmt(max)}` };
  });
  return { metric, classOf, levelOf, legend, caption: CAPTIONS[metric] };
}

/** The metric's values straight from the view model (latency comes from profiling, not from here). */
export function metricValues(model: ViewModel, metric: Exclude<HeatMetric, "latency">): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of model.nodes) {
    const v = metric === "macs" ? n.macs : metric === "params" ? n.params : activationBytes(n.shape);
    out.set(n.id, v);
  }
  return out;
}

/**
 * Latency per node id from a profile result (median ms), the overlay for the "latency" metric. Only
 * profiled nodes get a value: skipped ones and ids the result does not know stay neutral. Takes the
 * result's plain JSON shape so src/view needs nothing from src/profile.
 */
export function latencyValues(profile: { nodes: readonly { id: string; medianMs: number }[] }): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of profile.nodes) if (Number.isFinite(n.medianMs)) out.set(n.id, n.medianMs);
  return out;
}

/** Sum of the members' values for a collapsed group's box, so groups can be heated too. */
export function groupValues(model: ViewModel, values: ReadonlyMap<string, number>): Map<string, number> {
  const byId = new Map(model.groups.map((g) => [g.id, g]));
  const out = new Map<string, number>();
  const total = (id: string): number => {
    const known = out.get(id);
    if (known !== undefined) return known;
    const g = byId.get(id)!;
    let s = 0;
    for (const n of g.nodes) s += values.get(n) ?? 0;
    for (const c of g.groups) s += total(c);
    out.set(id, s);
    return s;
  };
  for (const g of model.groups) total(g.id);
  return out;
}

function activationBytes(shape: (number | null)[] | null): number {
  if (!shape) return 0;
  let n = 1;
  for (const d of shape) n *= d ?? 1;
  return n * 4;
}

function firstAbove(sorted: number[], bound: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > bound) hi = mid;
    else lo = mid + 1;
  }
  return sorted[Math.min(lo, sorted.length - 1)];
}

export function formatMs(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}
