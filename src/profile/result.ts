// The profile result: plain JSON keyed by node id. It is an overlay on the IR (never changes it),
// saved next to the workspace state, compared run against run and exported as CSV.

import type { TimingMethod } from "./timing";
import type { TensorLayout } from "./layout";

export const PROFILE_RESULT_VERSION = 1;

export interface LatencyStats {
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
}

export interface NodeProfile extends LatencyStats {
  id: string;
  op: string;
  runs: number;
  /** 2·MACs / median time, in GFLOP/s; null for layers without MACs. */
  gflopsPerSec: number | null;
  /** MACs at the profiled batch. */
  macs: number;
  /** Share of the per-layer sum, percent. */
  percent: number;
}

/** A node with no time of its own: it ran fused into the layer `into`, whose row includes its time. */
export interface FusedNodeProfile {
  id: string;
  op: string;
  into: string;
}

/** A residual block or stage: the sum of its profiled members' medians (fused members count as profiled). */
export interface GroupProfile {
  id: string;
  name: string;
  kind: "identity" | "projection" | "stem" | "stage" | "head";
  medianMs: number;
  percent: number;
  macs: number;
  gflopsPerSec: number | null;
  profiledNodes: number;
  skippedNodes: number;
}

export interface ProfileResult {
  resultVersion: typeof PROFILE_RESULT_VERSION;
  file: string;
  entry: string;
  modelName: string;
  /** tfjs backend name: "wasm", "cpu", "tensorflow", "webgl", "webgpu". */
  backend: string;
  /** What actually ran it, in words ("WebAssembly (SIMD, 1 thread)", "NVIDIA ... via CUDA"). */
  device: string;
  tfjsVersion: string;
  batch: number;
  /** Input shapes in the framework's layout, batch included. */
  input: number[][];
  layout: TensorLayout;
  method: TimingMethod;
  warmup: number;
  runs: number;
  wholeModel: LatencyStats;
  layerSumMs: number;
  /** layerSumMs / wholeModel.medianMs: near 1 means the breakdown accounts for the whole. */
  ratio: number;
  /** GFLOP/s of one large matmul on this backend; null when not measured. */
  peakGflops: number | null;
  nodes: NodeProfile[];
  skipped: { id: string; reason: string }[];
  /**
   * Nodes fused into another layer's kernel, in graph order: the one record of fusion (a row's own
   * list is `fusedByLayer`'s). Absent in results saved before fusion existed (none fused).
   */
  fused?: FusedNodeProfile[];
  blocks: GroupProfile[];
  stages: GroupProfile[];
  /** Elements in the built computation's weights (see docs/profiling.md for what it must equal). */
  weightCount: number;
  /** Output shapes of the built computation (tf layout). */
  outputShapes: number[][];
  /** Built ops whose output shape differs from the analyzer's (a profiler defect if ever non-empty). */
  warnings: string[];
  timestamp: string;
}

/** The nodes fused into each layer's kernel, keyed by that layer's id, in graph order: derived from `fused`. */
export function fusedByLayer(r: Pick<ProfileResult, "fused">): Map<string, FusedNodeProfile[]> {
  const byLayer = new Map<string, FusedNodeProfile[]>();
  for (const f of r.fused ?? []) {
    const list = byLayer.get(f.into);
    if (list) list.push(f);
    else byLayer.set(f.into, [f]);
  }
  return byLayer;
}
