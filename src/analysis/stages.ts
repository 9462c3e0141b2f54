// Groups consecutive top-level residual blocks into stages, the ResNet paper's Table 1: a block whose
// output size (spatial or channels) differs from the previous block's starts a new stage. Nodes before
// the first block form the stem, nodes after the last one the head.

import type { GraphIR, Shape } from "../ir/types";
import { indexGraph, isWeightedLayer, type GraphIndex } from "./graph-index";
import type { ResidualBlock } from "./residual";

export type StageKind = "stem" | "stage" | "head";

export interface StageRow {
  kind: StageKind;
  /** "conv1", "conv2_x", ... for ResNet-like models; else "stem", "stage1", ..., and "head". */
  name: string;
  /** Ids of the top-level residual blocks in the stage (empty for stem and head). */
  blocks: string[];
  blockCount: number;
  /** Output of the stage's last block (stage) or last node (stem, head). */
  outputShape: Shape | null;
  params: number;
  macs: number;
  /** Every node of the stage, blocks' members included, topological. */
  nodes: string[];
}

/** Rows in order: stem (when non-empty), stages, head (when non-empty). Empty without residual blocks. */
export function findStages(ir: GraphIR, blocks: ResidualBlock[], index: GraphIndex = indexGraph(ir)): StageRow[] {
  const { nodes, indexOf } = index;
  const top = blocks
    .filter((b) => b.parent === undefined)
    .map((b) => ({ block: b, members: b.nodes.map((id) => indexOf.get(id)!) }))
    .sort((a, b) => a.members[a.members.length - 1] - b.members[b.members.length - 1]);
  if (top.length === 0) return [];

  // Which stage each top-level block opens or joins.
  const stageOfBlock: number[] = [];
  let stageCount = 0;
  top.forEach((t, i) => {
    if (i === 0 || !sameSize(top[i - 1].block.outShape, t.block.outShape)) stageCount++;
    stageOfBlock.push(stageCount); // 1-based: 0 is the stem, stageCount + 1 the head
  });
  const headRegion = stageCount + 1;

  const region = new Int32Array(nodes.length).fill(-1);
  top.forEach((t, i) => t.members.forEach((v) => (region[v] = stageOfBlock[i])));
  const firstMember = top.map((t) => t.members[0]);
  const merges = top.map((t) => t.members[t.members.length - 1]);
  let next = 0; // first top-level block whose merge comes after the current node
  for (let v = 0; v < nodes.length; v++) {
    while (next < top.length && merges[next] < v) next++;
    if (region[v] >= 0) continue;
    if (next === top.length) region[v] = headRegion;
    else if (next === 0 && v < firstMember[0]) region[v] = 0;
    else if (next === 0 || v > firstMember[next] || isWeightedLayer(nodes[v])) region[v] = stageOfBlock[next];
    // A parameter-free node after a block (the ReLU after the add) stays with that block's stage;
    // a weighted one (a transition conv) opens the next block's stage.
    else region[v] = stageOfBlock[next - 1];
  }
  // A Parameter or constant (and what is computed from it alone, a layer scale's unsqueeze) belongs
  // where it is used, not where it happens to come first: else a block's `gamma` lands in the stem.
  const consumers: number[][] = nodes.map(() => []);
  nodes.forEach((_, v) => index.preds[v].forEach((p) => consumers[p].push(v)));
  for (let v = nodes.length - 1; v >= 0; v--) {
    if (index.fromInput[v] || consumers[v].length === 0) continue;
    region[v] = Math.min(...consumers[v].map((c) => region[c]));
  }

  const byRegion: number[][] = Array.from({ length: headRegion + 1 }, () => []);
  for (let v = 0; v < nodes.length; v++) byRegion[region[v]].push(v);
  const blocksByRegion: ResidualBlock[][] = byRegion.map(() => []);
  top.forEach((t, i) => blocksByRegion[stageOfBlock[i]].push(t.block));
  // Paper names ("conv1", "conv2_x") only for convolutional blocks after a convolutional stem.
  const paper =
    top.every((t) => hasConv(t.members, index)) && byRegion[0].length > 0 && hasConv(byRegion[0], index);

  const rows: StageRow[] = [];
  let stageNumber = 0;
  byRegion.forEach((members, r) => {
    if (members.length === 0) return;
    const kind: StageKind = r === 0 ? "stem" : r === headRegion ? "head" : "stage";
    if (kind === "stage") stageNumber++;
    const stageBlocks = blocksByRegion[r];
    const flowing = members.filter((v) => index.fromInput[v]);
    const pool = flowing.length ? flowing : members;
    const last = nodes[pool[pool.length - 1]];
    let params = 0;
    let macs = 0;
    for (const v of members) {
      params += nodes[v].params;
      macs += nodes[v].macs;
    }
    rows.push({
      kind,
      name: stageName(kind, stageNumber, paper),
      blocks: stageBlocks.map((b) => b.id),
      blockCount: stageBlocks.length,
      outputShape: kind === "stage" ? stageBlocks[stageBlocks.length - 1].outShape : last.shape,
      params,
      macs,
      nodes: members.map((v) => nodes[v].id),
    });
  });
  return rows;
}

function hasConv(members: number[], { nodes }: GraphIndex): boolean {
  return members.some((v) => nodes[v].category === "conv");
}

function stageName(kind: StageKind, stageNumber: number, paper: boolean): string {
  if (kind === "head") return "head";
  if (kind === "stem") return paper ? "conv1" : "stem";
  return paper ? `conv${stageNumber + 1}_x` : `stage${stageNumber}`;
}

/** Sizes match when every dimension but the batch is equal (spatial and channels alike). */
function sameSize(a: Shape | null, b: Shape | null): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 1; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
