// Plain-text model summary for the "ResGraph" output channel. Pure (no vscode import) so it is
// unit-tested directly. It reads only the few summary fields below, declared structurally, so the
// analysis module's ModelSummary can grow without touching this file.

import type { Diagnostic } from "../src/ir/types";
import { formatInt } from "../src/view/format";

/** The subset of `ModelSummary` (src/analysis/summary.ts) this formatter reads. */
export interface SummaryLike {
  file?: string;
  entry?: string | null;
  framework?: string;
  input?: unknown;
  output?: unknown;
  totals: {
    params: number;
    trainableParams: number;
    nonTrainableParams: number;
    macs: number;
    flops: number;
    depth: number;
    nodes: number;
  };
  residualBlocks: readonly { shortcut: string }[];
}

/** 25557032 -> "25,557,032" (fixed locale so output is the same on every machine). */
export function withThousands(n: number): string {
  return formatInt(n);
}

/** 4089184256 -> "4.09 G"; small numbers stay exact. */
export function scaled(n: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(n) >= size) return `${(n / size).toFixed(2)} ${unit}`;
  }
  return String(n);
}

/** A shape, or a list of shapes, as Python would print it: [None, 224, 224, 3]. */
export function formatShapeLike(x: unknown): string {
  if (x === null || x === undefined) return "None";
  if (Array.isArray(x)) return `[${x.map(formatShapeLike).join(", ")}]`;
  return String(x);
}

/** The summary's input/output lists: a single shape prints bare, several as a list of shapes. */
export function formatShapes(x: unknown): string {
  if (Array.isArray(x) && x.length === 1 && (x[0] === null || Array.isArray(x[0]))) return formatShapeLike(x[0]);
  return formatShapeLike(x);
}

function diagnosticLine(d: Diagnostic): string {
  return `  ${d.severity} (line ${d.range.start.line + 1}, ${d.code}): ${d.message}`;
}

/** The whole summary as lines of text; diagnostics are the analyzer's, listed last. */
export function formatSummaryText(summary: SummaryLike, diagnostics: readonly Diagnostic[]): string[] {
  const t = summary.totals;
  const identity = summary.residualBlocks.filter((b) => b.shortcut === "identity").length;
  const projection = summary.residualBlocks.filter((b) => b.shortcut === "projection").length;
  const lines = [
    `Model: ${summary.entry ?? "(default entry)"} in ${summary.file ?? "(unknown file)"} (${summary.framework ?? "unknown framework"})`,
    `Input: ${formatShapes(summary.input)} -> Output: ${formatShapes(summary.output)}`,
    `Total params: ${withThousands(t.params)} (trainable ${withThousands(t.trainableParams)}, non-trainable ${withThousands(t.nonTrainableParams)})`,
    `MACs: ${scaled(t.macs)} (${withThousands(t.macs)})`,
    `FLOPs: ${scaled(t.flops)} (FLOPs = 2 x MACs)`,
    `Depth: ${t.depth} weighted layers on the main path`,
    `Nodes: ${withThousands(t.nodes)}`,
    `Residual blocks: ${summary.residualBlocks.length} (${identity} identity, ${projection} projection)`,
  ];
  if (diagnostics.length === 0) {
    lines.push("Diagnostics: none");
  } else {
    lines.push(`Diagnostics: ${diagnostics.length}`);
    lines.push(...diagnostics.map(diagnosticLine));
  }
  return lines;
}

/** Shown when the analyzer produced no graph: say why and what to try. */
export function formatNoModelText(
  file: string,
  diagnostics: readonly Diagnostic[],
  entries: readonly { expr: string }[],
): string[] {
  const lines = [`No model could be analysed in ${file}.`];
  if (entries.length > 0) {
    lines.push(`Candidate entries: ${entries.map((e) => e.expr).join(", ")}.`);
  } else {
    lines.push("No model class or factory function was found; define one (e.g. `def resnet50(): ...`).");
  }
  lines.push(...diagnostics.map(diagnosticLine));
  return lines;
}
