// Overlays computed outside the IR, keyed by id: the heat map (metric -> level 0..9 by quantiles of
// the non-zero values) and search (by name, scope path or op; src/view/search.ts).

import { groupValues, heatMap, metricValues } from "../src/view/heat";
import type { ViewModel } from "../src/view/types";

export type HeatMetric = "none" | "macs" | "params" | "memory" | "latency";
export const HEAT_LEVELS = 10;

export const HEAT_TITLES: Record<Exclude<HeatMetric, "none">, string> = {
  macs: "MACs (multiply-accumulates); FLOPs = 2 × MACs",
  params: "Parameters",
  memory: "Activation memory (float32 output)",
  latency: "Latency per layer (measured)",
};

export interface HeatResult {
  levels: Map<string, number>;
  /** Thresholds between levels (HEAT_LEVELS - 1 values) and the extremes, for the legend. */
  min: number;
  max: number;
}

/**
 * Levels (0..HEAT_LEVELS-1) for the given visible box ids (nodes and collapsed groups; a group sums
 * its members), by quantiles of the non-zero values (src/view/heat.ts), spread over our palette.
 * Latency comes from a profile result (`latency`: median ms per node id); without one it paints nothing.
 */
export function computeHeat(model: ViewModel, ids: string[], metric: Exclude<HeatMetric, "none">, latency: ReadonlyMap<string, number> | null = null): HeatResult {
  const perNode = metric === "latency" ? new Map(latency ?? []) : metricValues(model, metric === "memory" ? "activationBytes" : metric);
  const perGroup = groupValues(model, perNode);
  const values = new Map<string, number>();
  for (const id of ids) values.set(id, perNode.get(id) ?? perGroup.get(id) ?? 0);
  const heat = heatMap(metric === "memory" ? "activationBytes" : metric, values, 7);
  const buckets = heat.legend.length;
  const levels = new Map<string, number>();
  for (const [id, level] of heat.levelOf) {
    levels.set(id, buckets <= 1 ? HEAT_LEVELS - 1 : Math.round((level * (HEAT_LEVELS - 1)) / (buckets - 1)));
  }
  const min = heat.legend[0]?.min ?? 0;
  const max = heat.legend[buckets - 1]?.max ?? 0;
  return { levels, min, max };
}

/** One search implementation for the whole view (src/view/search.ts). */
export { searchNodes } from "../src/view/search";
