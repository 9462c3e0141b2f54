// The torchinfo-like text report of a ModelSummary: header, one row per node, totals, residual
// blocks, the stage table (ResNet paper Table 1) and the counting conventions.

import type { ModelSummary } from "../analysis/summary";
import { scopeSegments } from "../analysis/scope";
import { formatBytes, formatCount, formatInt, formatPercent, formatScaled, formatShape, formatShapes } from "./format";
import { renderTable, tableWidth, type Column } from "./table";
import { incompleteNote, type Completeness } from "./completeness";

export interface ReportOptions {
  /** Model class / function name for the header (GraphIR.modelName). */
  modelName: string;
  /** Terminal width; the layer column is cut to fit. Unlimited when absent. */
  maxWidth?: number;
  /** Which totals are lower bounds; all exact when absent. */
  completeness?: Completeness;
}

const NODE_COLUMNS: Column[] = [
  { header: "Layer (scope/name)", align: "left", shrink: true, minWidth: 16 },
  { header: "Op", align: "left" },
  { header: "Output shape", align: "left" },
  { header: "Params", align: "right" },
  { header: "MACs", align: "right" },
  { header: "% MACs", align: "right" },
];

const STAGE_COLUMNS: Column[] = [
  { header: "Stage", align: "left" },
  { header: "Output size", align: "left" },
  { header: "Blocks", align: "right" },
  { header: "Params", align: "right" },
  { header: "MACs", align: "right" },
];

export function renderReport(summary: ModelSummary, options: ReportOptions): string {
  const nodeTable = renderTable(
    NODE_COLUMNS,
    summary.nodes.map((n) => [
      "  ".repeat(Math.max(0, scopeSegments(n.label).length - 1)) + n.label,
      n.op,
      formatShape(n.shape),
      formatCount(n.params),
      formatCount(n.macs),
      formatPercent(n.macsPercent, n.macs > 0),
    ]),
    { maxWidth: options.maxWidth },
  );
  const rule = "=".repeat(tableWidth(nodeTable));
  const t = summary.totals;
  const lines = [
    rule,
    `Model: ${options.modelName} (${summary.framework})`,
    `File: ${summary.file}`,
    `Entry: ${summary.entry}`,
    `Input: ${formatShapes(summary.input)}`,
    `Output: ${formatShapes(summary.output)}`,
    rule,
    ...nodeTable,
    rule,
    `Total params: ${formatInt(t.params)}${incompleteNote(options.completeness?.params ?? [])}`,
    `Trainable params: ${formatInt(t.trainableParams)}`,
    `Non-trainable params: ${formatInt(t.nonTrainableParams)}`,
  ];
  if (t.buffers > 0) lines.push(`Buffers (not params): ${formatInt(t.buffers)}`);
  lines.push(
    `MACs: ${formatScaled(t.macs)} (${formatInt(t.macs)})${incompleteNote(options.completeness?.macs ?? [])}`,
    `FLOPs: ${formatScaled(t.flops)} (FLOPs = 2 x MACs)`,
    `Depth: ${t.depth} weighted layers (conv, dense) on the longest path`,
    `Activation memory: ${formatBytes(t.activationBytes)} (float32 outputs of ${formatInt(t.nodes)} nodes)`,
    rule,
    residualLine(summary),
  );
  if (summary.stages.length > 0) {
    lines.push(
      "",
      ...renderTable(
        STAGE_COLUMNS,
        summary.stages.map((s) => [
          s.name,
          formatShape(s.outputShape),
          s.kind === "stage" ? String(s.blockCount) : "--",
          formatCount(s.params),
          formatCount(s.macs),
        ]),
      ),
    );
  }
  const c = summary.conventions;
  lines.push(rule, `Conventions: ${c.macs} ${c.flops}. ${c.params}`, rule);
  return lines.join("\n") + "\n";
}

function residualLine(summary: ModelSummary): string {
  const blocks = summary.residualBlocks;
  if (blocks.length === 0) return "Residual blocks: none";
  const identity = blocks.filter((b) => b.shortcut === "identity").length;
  return `Residual blocks: ${blocks.length} (${identity} identity, ${blocks.length - identity} projection)`;
}
