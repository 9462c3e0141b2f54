// The model summary: one plain, versioned JSON object (the CLI's `--json`, the webview's summary).
// Key order is fixed by construction and optional facts are null rather than absent, so the same
// IR always serialises to the same text.

import type { Diagnostic, Framework, GraphIR, IRNode, NodeCategory, Shape, SourceSite } from "../ir/types";
import { indexGraph } from "./graph-index";
import { findIndexedBlocks, type ResidualBlock } from "./residual";
import { nodeLabel } from "./scope";
import { findStagesOfIndexed, type StageRow } from "./stages";
import { acceptedSite } from "../ir/user-site";
import { computeTotals, nodeShare, type ModelTotals } from "./totals";

export const SUMMARY_VERSION = 1;

/** A residual block as the summary prints it: `parent` is null (not absent) so the JSON keeps its keys. */
export type BlockSummary = Omit<ResidualBlock, "parent"> & { parent: string | null };

export interface NodeSummary {
  id: string;
  name: string;
  /** Scope path with the name appended when the scope does not end with it ("layer1/0/add"). */
  label: string;
  op: string;
  category: NodeCategory;
  scope: string;
  shape: Shape | null;
  inputs: string[];
  params: number;
  macs: number;
  /** Share of the model's MACs / params, percent, rounded to 4 decimals. */
  macsPercent: number;
  paramsPercent: number;
  /** 1-based line where the layer was applied (else created); null when unknown. */
  line: number | null;
  /** Innermost residual block containing the node. */
  block: string | null;
  stage: string | null;
  reuseOf: string | null;
  opaque: string | null;
}

export interface ModelSummary {
  summaryVersion: typeof SUMMARY_VERSION;
  file: string;
  entry: string;
  framework: Framework;
  /** Input shapes, one per model input. */
  input: Shape[];
  /** Output shapes, one per model output (null when unknown). */
  output: (Shape | null)[];
  totals: ModelTotals;
  residualBlocks: BlockSummary[];
  /** Stem, stages and head in order (ResNet paper Table 1); empty without residual blocks. */
  stages: StageRow[];
  nodes: NodeSummary[];
  diagnostics: Diagnostic[];
  conventions: { macs: string; flops: string; params: string; depth: string; activationMemory: string };
}

/** Everything the analyses find in one IR, computed over one shared index. */
export interface GraphAnalysis {
  totals: ModelTotals;
  blocks: ResidualBlock[];
  stages: StageRow[];
}

export function analyzeGraph(ir: GraphIR): GraphAnalysis {
  const index = indexGraph(ir);
  const found = findIndexedBlocks(ir, index);
  const blocks = found.map((f) => f.block);
  return { totals: computeTotals(ir, index), blocks, stages: findStagesOfIndexed(ir, found, index) };
}

export function summarize(ir: GraphIR, diagnostics: Diagnostic[]): ModelSummary {
  const { totals, blocks, stages } = analyzeGraph(ir);
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const blockOf = innermostBlocks(blocks);
  const stageOf = new Map<string, string>();
  for (const s of stages) for (const id of s.nodes) stageOf.set(id, s.name);

  return {
    summaryVersion: SUMMARY_VERSION,
    file: ir.file,
    entry: ir.entry,
    framework: ir.framework,
    input: ir.inputShapes,
    output: ir.outputs.map((id) => byId.get(id)?.shape ?? null),
    totals,
    residualBlocks: blocks.map(blockSummary),
    stages,
    nodes: ir.nodes.map((n) => nodeSummary(n, totals, blockOf.get(n.id) ?? null, stageOf.get(n.id) ?? null)),
    diagnostics,
    conventions: conventions(ir.framework),
  };
}

function blockSummary(b: ResidualBlock): BlockSummary {
  return {
    id: b.id,
    shortcut: b.shortcut,
    nodes: b.nodes,
    mergeNode: b.mergeNode,
    forkNode: b.forkNode,
    mainPath: b.mainPath,
    shortcutPath: b.shortcutPath,
    shortcutOps: b.shortcutOps,
    reason: b.reason,
    weightedLayers: b.weightedLayers,
    inChannels: b.inChannels,
    outChannels: b.outChannels,
    inShape: b.inShape,
    outShape: b.outShape,
    params: b.params,
    macs: b.macs,
    scope: b.scope,
    parent: b.parent ?? null,
  };
}

function nodeSummary(n: IRNode, totals: ModelTotals, block: string | null, stage: string | null): NodeSummary {
  const share = nodeShare(n, totals);
  // A layer built or applied inside the bundled zoo (torchvision.models, keras.applications) is listed
  // at the user's own line: where it was applied when that is user code, else the call that built it.
  const site = acceptedSite(n, "applied");
  return {
    id: n.id,
    name: n.name,
    label: nodeLabel(n),
    op: n.op,
    category: n.category,
    scope: n.scope,
    shape: n.shape,
    inputs: n.inputs,
    params: n.params,
    macs: n.macs,
    macsPercent: round4(share.macsPercent),
    paramsPercent: round4(share.paramsPercent),
    line: site ? site.range.start.line + 1 : null,
    block,
    stage,
    reuseOf: n.reuseOf ?? null,
    opaque: n.opaque ?? null,
  };
}

/** Larger blocks claim their members first, so nested blocks overwrite with the innermost id. */
function innermostBlocks(blocks: ResidualBlock[]): Map<string, string> {
  const out = new Map<string, string>();
  const bySize = [...blocks].sort((a, b) => b.nodes.length - a.nodes.length);
  for (const b of bySize) for (const id of b.nodes) out.set(id, b.id);
  return out;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function conventions(framework: Framework): ModelSummary["conventions"] {
  const params =
    framework === "pytorch"
      ? "Params = sum(p.numel() for p in model.parameters()); buffers such as BatchNorm running statistics are not parameters."
      : framework === "keras"
        ? "Params = model.count_params(); BatchNorm moving mean/variance are included as non-trainable."
        : "Params as the framework counts them.";
  return {
    macs: "MACs = multiply-accumulates of convolution and linear/dense layers (and matmul) only, for the analysed input shape, as the ResNet paper and torchvision count them.",
    flops: "FLOPs = 2 x MACs",
    params,
    depth: "Depth = the most weighted layers (conv, dense) on any input-to-output path, as the ResNet paper counts it.",
    activationMemory: "Activation memory = every node's output elements x 4 bytes (float32), unknown dimensions counted as 1.",
  };
}
