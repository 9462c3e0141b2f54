// The layer table's latency columns (ms, % of time, GFLOP/s) for a profile result: header, cells,
// totals (the per-layer sum of the rows shown), and the line comparing the layer sum with the
// whole-model time (their ratio near 1 means the breakdown accounts for the whole).

import type { NodeProfile, ProfileResult } from "../src/profile/result";
import { fusedReason } from "../src/profile/export";
import { formatPercent } from "../src/cli/format";
import { el } from "./dom";

export type ProfileSortKey = "ms" | "timePct" | "gflops";

export interface ProfileIndex {
  result: ProfileResult;
  byId: Map<string, NodeProfile>;
  /** Skipped node id -> the profiler's reason. */
  skipped: Map<string, string>;
  /** Fused node id -> the layer whose kernel ran it (and whose row includes its time). */
  fusedInto: Map<string, string>;
  sortValue(id: string, key: ProfileSortKey): number | null;
  totalsCells(ids: string[]): HTMLTableCellElement[];
}

/** "0.123" / "12.35" / "123.4": milliseconds with about four significant digits. */
export function formatMsCell(ms: number): string {
  return ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(1);
}

export function formatGflops(g: number | null): string {
  return g === null ? "—" : g < 10 ? g.toFixed(2) : g.toFixed(1);
}

export function profileColumns(r: ProfileResult): { key: ProfileSortKey; header: string; numeric: true; title: string }[] {
  const of = `median of ${r.runs} run${r.runs === 1 ? "" : "s"} on ${r.backend}`;
  return [
    { key: "ms", header: "ms", numeric: true, title: `Latency per layer, ${of}; click to sort` },
    { key: "timePct", header: "% time", numeric: true, title: "Share of the sum of per-layer medians; click to sort" },
    { key: "gflops", header: "GFLOP/s", numeric: true, title: `Achieved 2 × MACs / median${r.peakGflops !== null ? `; this backend's matmul peak: ${formatGflops(r.peakGflops)} GFLOP/s` : ""}; click to sort` },
  ];
}

export function profileIndex(result: ProfileResult): ProfileIndex {
  const byId = new Map(result.nodes.map((n) => [n.id, n]));
  const skipped = new Map(result.skipped.map((s) => [s.id, s.reason]));
  const fusedInto = new Map((result.fused ?? []).map((f) => [f.id, f.into]));
  return {
    result,
    byId,
    skipped,
    fusedInto,
    sortValue(id, key) {
      const n = byId.get(id);
      if (!n) return null;
      return key === "ms" ? n.medianMs : key === "timePct" ? n.percent : n.gflopsPerSec;
    },
    totalsCells(ids) {
      let ms = 0;
      let macs = 0;
      for (const id of ids) {
        const n = byId.get(id);
        if (!n) continue;
        ms += n.medianMs;
        macs += n.macs;
      }
      const pct = result.layerSumMs > 0 ? (100 * ms) / result.layerSumMs : 0;
      const g = ms > 0 && macs > 0 ? (2 * macs) / (ms * 1e6) : null;
      return [
        el("td", { className: "rg-num", text: formatMsCell(ms), title: `Sum of the per-layer medians of these rows: ${ms.toFixed(4)} ms`, attrs: { "data-role": "ms-sum" } }),
        el("td", { className: "rg-num", text: formatPercent(pct) }),
        el("td", { className: "rg-num", text: formatGflops(g) }),
      ];
    },
  };
}

/** The three cells of one row: a profiled layer's numbers, "in <layer>" when fused, "skipped" with the reason, or blanks. */
export function profileCells(p: ProfileIndex, id: string): HTMLTableCellElement[] {
  const n = p.byId.get(id);
  if (n) {
    return [
      el("td", { className: "rg-num rg-ms", text: formatMsCell(n.medianMs), title: `median ${n.medianMs} ms (p10 ${n.p10Ms}, p90 ${n.p90Ms}; ${n.runs} runs)` }),
      el("td", { className: "rg-num", text: formatPercent(n.percent) }),
      el("td", { className: "rg-num", text: formatGflops(n.gflopsPerSec) }),
    ];
  }
  const into = p.fusedInto.get(id);
  if (into !== undefined) {
    return [el("td", { className: "rg-fused-cell", text: `in ${into}`, title: fusedReason(into), attrs: { colspan: "3" } })];
  }
  const reason = p.skipped.get(id);
  if (reason !== undefined) {
    return [el("td", { className: "rg-skipped-cell", text: "skipped", title: `Not profiled: ${reason}`, attrs: { colspan: "3" } })];
  }
  // The model's inputs and nodes of another analysis: nothing was measured.
  return [el("td", { className: "rg-num", text: "—", title: "Not measured (an input, or not in this profile)" }), el("td"), el("td")];
}

/** A footer line: the whole model's median next to the per-layer sum, and their ratio. */
export function profileTotalsRow(r: ProfileResult, columnCount: number): HTMLTableRowElement {
  const text =
    `Whole model ${formatMsCell(r.wholeModel.medianMs)} ms (median of ${r.runs}) · ` +
    `layer sum ${formatMsCell(r.layerSumMs)} ms · ratio ${r.ratio.toFixed(2)}` +
    (r.skipped.length > 0 ? ` · ${r.skipped.length} skipped` : "");
  return el("tr", { attrs: { "data-role": "profile-totals" } }, [
    el("td", {
      text,
      title: "Layer sum / whole-model median: near 1 means the per-layer breakdown accounts for the whole forward pass.",
      attrs: { colspan: String(columnCount) },
    }),
  ]);
}
