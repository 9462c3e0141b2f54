// CSV export and run-to-run comparison of profile results: pure functions over the JSON.

import type { ProfileResult } from "./result";

export const CSV_HEADER = "id,op,status,median_ms,p10_ms,p90_ms,runs,percent,macs,gflops_per_sec,reason";

function cell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per profiled node (in graph order), then one per node fused into another's kernel (no
 * time of its own: the reason names the row that includes it), then one per skipped node.
 */
export function toCsv(r: ProfileResult): string {
  const rows = [CSV_HEADER];
  for (const n of r.nodes) {
    rows.push([n.id, n.op, "profiled", n.medianMs, n.p10Ms, n.p90Ms, n.runs, n.percent, n.macs, n.gflopsPerSec, ""].map(cell).join(","));
  }
  for (const f of r.fused ?? []) rows.push([f.id, f.op, "fused", null, null, null, 0, null, null, null, fusedReason(f.into)].map(cell).join(","));
  for (const s of r.skipped) rows.push([s.id, "", "skipped", null, null, null, 0, null, null, null, s.reason].map(cell).join(","));
  return rows.join("\n") + "\n";
}

/** Why a fused node has no time of its own, in words. */
export function fusedReason(into: string): string {
  return `Runs inside the kernel of '${into}', whose time includes it.`;
}

export interface NodeDelta {
  id: string;
  op: string;
  baseMs: number;
  nextMs: number;
  deltaMs: number;
  /** (next - base) / base, percent; null when base is 0. */
  deltaPercent: number | null;
}

export interface ProfileComparison {
  base: { backend: string; device: string; timestamp: string; batch: number };
  next: { backend: string; device: string; timestamp: string; batch: number };
  wholeModel: Omit<NodeDelta, "id" | "op">;
  nodes: NodeDelta[];
  onlyInBase: string[];
  onlyInNext: string[];
  /** Sentences about why the two may not be comparable (other backend, batch or input). */
  caveats: string[];
}

function delta(baseMs: number, nextMs: number): Omit<NodeDelta, "id" | "op"> {
  return { baseMs, nextMs, deltaMs: nextMs - baseMs, deltaPercent: baseMs > 0 ? (100 * (nextMs - baseMs)) / baseMs : null };
}

/** "This run vs the last one": per-node median deltas, keyed by node id. */
export function compareProfiles(base: ProfileResult, next: ProfileResult): ProfileComparison {
  const baseById = new Map(base.nodes.map((n) => [n.id, n]));
  const nextIds = new Set(next.nodes.map((n) => n.id));
  const nodes: NodeDelta[] = [];
  for (const n of next.nodes) {
    const b = baseById.get(n.id);
    if (b) nodes.push({ id: n.id, op: n.op, ...delta(b.medianMs, n.medianMs) });
  }
  const caveats: string[] = [];
  if (base.backend !== next.backend || base.device !== next.device) caveats.push(`The runs used different backends (${base.device} vs ${next.device}).`);
  if (base.batch !== next.batch) caveats.push(`The runs used different batch sizes (${base.batch} vs ${next.batch}).`);
  if ((base.fused?.length ?? 0) > 0 !== (next.fused?.length ?? 0) > 0) {
    caveats.push("One run fused BatchNorm and activations into the convolutions and the other did not, so conv rows differ in what they include.");
  }
  if (JSON.stringify(base.input) !== JSON.stringify(next.input)) caveats.push(`The runs used different inputs (${JSON.stringify(base.input)} vs ${JSON.stringify(next.input)}).`);
  return {
    base: { backend: base.backend, device: base.device, timestamp: base.timestamp, batch: base.batch },
    next: { backend: next.backend, device: next.device, timestamp: next.timestamp, batch: next.batch },
    wholeModel: delta(base.wholeModel.medianMs, next.wholeModel.medianMs),
    nodes,
    onlyInBase: base.nodes.filter((n) => !nextIds.has(n.id)).map((n) => n.id),
    onlyInNext: next.nodes.filter((n) => !baseById.has(n.id)).map((n) => n.id),
    caveats,
  };
}
