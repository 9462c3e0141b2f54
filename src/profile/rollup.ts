// Rolls per-node figures up to residual blocks and stages (from src/analysis), and ranks them.

import { analyzeGraph } from "../analysis/summary";
import type { GraphIR } from "../ir/types";
import type { GroupProfile, NodeProfile } from "./result";

export function gflops(macs: number, ms: number): number | null {
  return macs > 0 && ms > 0 ? (2 * macs) / (ms * 1e6) : null;
}

function group(
  id: string,
  name: string,
  kind: GroupProfile["kind"],
  members: string[],
  byId: Map<string, NodeProfile>,
  skipped: Set<string>,
  fused: Set<string>,
  layerSumMs: number,
): GroupProfile {
  let ms = 0;
  let macs = 0;
  let profiled = 0;
  let skippedCount = 0;
  for (const m of members) {
    const n = byId.get(m);
    if (n) {
      ms += n.medianMs;
      macs += n.macs;
      profiled++;
    } else if (fused.has(m)) profiled++; // its time is in the row of the conv it ran inside
    else if (skipped.has(m)) skippedCount++;
  }
  return {
    id,
    name,
    kind,
    medianMs: ms,
    percent: layerSumMs > 0 ? (100 * ms) / layerSumMs : 0,
    macs,
    gflopsPerSec: gflops(macs, ms),
    profiledNodes: profiled,
    skippedNodes: skippedCount,
  };
}

export function rollUp(
  ir: GraphIR,
  nodes: NodeProfile[],
  skippedIds: string[],
  fusedIds: string[],
  layerSumMs: number,
): { blocks: GroupProfile[]; stages: GroupProfile[] } {
  const { blocks, stages } = analyzeGraph(ir);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const skipped = new Set(skippedIds);
  const fused = new Set(fusedIds);
  return {
    blocks: blocks.map((b) => group(b.id, b.scope || b.id, b.shortcut, b.nodes, byId, skipped, fused, layerSumMs)),
    stages: stages.map((s) => group(s.name, s.name, s.kind, s.nodes, byId, skipped, fused, layerSumMs)),
  };
}

/** The block that takes longest, for "slowest block is one click away". */
export function slowest<T extends { medianMs: number }>(groups: T[]): T | undefined {
  return groups.reduce<T | undefined>((best, g) => (best === undefined || g.medianMs > best.medianMs ? g : best), undefined);
}
