// Texts of the CodeLens row above a candidate model: "Show graph", "Profile" and the one-line
// summary "25.6 M params · 4.09 GMACs · depth 50". Pure (no vscode) so it is unit-tested.

import { compactCount, compactUnit } from "./numbers";

/** The totals the summary lens reads (a structural subset of ModelSummary["totals"]). */
export interface LensTotals {
  params: number;
  macs: number;
  depth: number;
}

/** "25.6 M params · 4.09 GMACs · depth 50". */
export function lensSummary(t: LensTotals): string {
  return `${compactCount(t.params, "params")} · ${compactUnit(t.macs, "MACs")} · depth ${t.depth}`;
}

/** What a candidate's summary lens says: its totals when it is the analysed entry, else how to get them. */
export function candidateLensText(
  candidateExpr: string,
  analysed: { entry: string | null; totals: LensTotals | null; errors: number },
): string {
  if (analysed.entry !== candidateExpr) return "not analysed (click to analyse this one)";
  if (!analysed.totals) return analysed.errors > 0 ? `no graph: ${plural(analysed.errors, "error")}` : "no graph";
  const base = lensSummary(analysed.totals);
  return analysed.errors > 0 ? `${base} · ${plural(analysed.errors, "error")}` : base;
}

/** "1 error", "3 errors". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The status bar text for the active model: "$(type-hierarchy) 25.6 M params · 4.09 GMACs". */
export function statusBarText(t: LensTotals | null, errors: number): string {
  if (!t) return errors > 0 ? `$(error) ResGraph: ${plural(errors, "error")}` : "$(type-hierarchy) ResGraph: no model";
  const text = `$(type-hierarchy) ${compactCount(t.params, "params")} · ${compactUnit(t.macs, "MACs")}`;
  return errors > 0 ? `${text} · $(error) ${errors}` : text;
}
