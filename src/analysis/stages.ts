// Groups consecutive top-level residual blocks into stages, the ResNet paper's Table 1: a block whose
// output size (spatial or channels) differs from the previous block's starts a new stage. Nodes before
// the first block form the stem, nodes after the last one the head.

import type { GraphIR, Shape } from "../ir/types";
import { indexGraph, isWeightedLayer, type GraphIndex } from "./graph-index";
import type { IndexedBlock, ResidualBlock } from "./residual";

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
  const { indexOf } = index;
  return stagesOf(index, blocks.map((b) => ({ block: b, members: b.nodes.map((id) => indexOf.get(id)!) })));
}

/**
 * findStages for blocks as findIndexedBlocks gives them, their members already topological indices.
 * A repeated node id (hand-made IRs only) makes findStages' id lookup take the id's last node: such
 * an IR goes that way, so that both give the same rows.
 */
export function findStagesOfIndexed(ir: GraphIR, found: IndexedBlock[], index: GraphIndex): StageRow[] {
  if (index.indexOf.size !== index.nodes.length) return findStages(ir, found.map((f) => f.block), index);
  return stagesOf(index, found);
}

function stagesOf(index: GraphIndex, blocks: { block: ResidualBlock; members: ArrayLike<number> }[]): StageRow[] {
  const { nodes, fromInput } = index;
  const top = blocks.filter((t) => t.block.parent === undefined).sort((a, b) => lastOf(a.members) - lastOf(b.members));
  if (top.length === 0) return [];

  // Which stage each top-level block opens or joins, 1-based: 0 is the stem, stageCount + 1 the head.
  const stageOfBlock = stagesOfBlocks(top.map((t) => t.block));
  const stageCount = stageOfBlock[stageOfBlock.length - 1];
  const headRegion = stageCount + 1;

  const region = new Int32Array(nodes.length).fill(-1);
  for (let i = 0; i < top.length; i++) {
    const members = top[i].members;
    for (let k = 0; k < members.length; k++) region[members[k]] = stageOfBlock[i];
  }
  let next = 0; // first top-level block whose merge comes after the current node
  for (let v = 0; v < nodes.length; v++) {
    while (next < top.length && lastOf(top[next].members) < v) next++;
    if (region[v] >= 0) continue;
    if (next === top.length) region[v] = headRegion;
    else if (next === 0 && v < top[0].members[0]) region[v] = 0;
    else if (next === 0 || v > top[next].members[0] || isWeightedLayer(nodes[v])) region[v] = stageOfBlock[next];
    // A parameter-free node after a block (the ReLU after the add) stays with that block's stage;
    // a weighted one (a transition conv) opens the next block's stage.
    else region[v] = stageOfBlock[next - 1];
  }
  // A Parameter or constant (and what is computed from it alone, a layer scale's unsqueeze) belongs
  // where it is used, not where it happens to come first: else a block's `gamma` lands in the stem.
  if (fromInput.includes(0)) moveConstantsToUse(index, region);

  const byRegion: number[][] = [];
  const blocksByRegion: ResidualBlock[][] = [];
  for (let r = 0; r <= headRegion; r++) {
    byRegion.push([]);
    blocksByRegion.push([]);
  }
  for (let v = 0; v < nodes.length; v++) byRegion[region[v]].push(v);
  for (let i = 0; i < top.length; i++) blocksByRegion[stageOfBlock[i]].push(top[i].block);
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
    let last = -1; // the last member that carries a tensor from the inputs, else the last member
    let params = 0;
    let macs = 0;
    const ids: string[] = [];
    for (const v of members) {
      const n = nodes[v];
      if (fromInput[v]) last = v;
      params += n.params;
      macs += n.macs;
      ids.push(n.id);
    }
    if (last < 0) last = members[members.length - 1];
    rows.push({
      kind,
      name: stageName(kind, stageNumber, paper),
      blocks: stageBlocks.map((b) => b.id),
      blockCount: stageBlocks.length,
      outputShape: kind === "stage" ? stageBlocks[stageBlocks.length - 1].outShape : nodes[last].shape,
      params,
      macs,
      nodes: ids,
    });
  });
  return rows;
}

/**
 * The stage of each top-level block (in merge order): a new stage where the output size changes, as in
 * the paper's Table 1. A multi-branch network (HRNet) runs the blocks of its parallel branches in turn,
 * so its sizes come back and that rule would make a stage of every block; its stages are then its
 * top-level modules (`stage2`, `stage3`), when every block has one and each module's blocks are
 * consecutive. Else the size rule stands.
 */
function stagesOfBlocks(blocks: ResidualBlock[]): number[] {
  const bySize = runs(blocks.map((b, i) => sizeKey(b.outShape, i)));
  if (!revisits(bySize)) return bySize.stage;
  const modules = blocks.map((b) => b.scope.split("/")[0]);
  if (modules.some((m) => m === "")) return bySize.stage;
  const byModule = runs(modules);
  return revisits(byModule) ? bySize.stage : byModule.stage;
}

/** Numbers consecutive equal keys as one run (1-based), noting each run's key. */
function runs(keys: string[]): { stage: number[]; keys: string[] } {
  const stage: number[] = [];
  const runKeys: string[] = [];
  keys.forEach((k, i) => {
    if (i === 0 || k !== keys[i - 1]) runKeys.push(k);
    stage.push(runKeys.length);
  });
  return { stage, keys: runKeys };
}

/** Whether a key comes back after another: its blocks do not form one run. */
function revisits(r: { keys: string[] }): boolean {
  return new Set(r.keys).size < r.keys.length;
}

/** Sizes match when every dimension but the batch is equal (spatial and channels alike); an unknown size matches none. */
function sizeKey(shape: Shape | null, block: number): string {
  return shape ? `${shape.length}:${shape.slice(1).join("x")}` : `unknown ${block}`;
}

/** Each node that no model input reaches takes the earliest region among its consumers. */
function moveConstantsToUse({ nodes, preds, fromInput }: GraphIndex, region: Int32Array): void {
  const consumers: number[][] = nodes.map(() => []);
  nodes.forEach((_, v) => preds[v].forEach((p) => consumers[p].push(v)));
  for (let v = nodes.length - 1; v >= 0; v--) {
    if (fromInput[v] || consumers[v].length === 0) continue;
    region[v] = Math.min(...consumers[v].map((c) => region[c]));
  }
}

function lastOf(members: ArrayLike<number>): number {
  return members[members.length - 1];
}

function hasConv(members: ArrayLike<number>, { nodes }: GraphIndex): boolean {
  for (let k = 0; k < members.length; k++) if (nodes[members[k]].category === "conv") return true;
  return false;
}

function stageName(kind: StageKind, stageNumber: number, paper: boolean): string {
  if (kind === "head") return "head";
  if (kind === "stem") return paper ? "conv1" : "stem";
  return paper ? `conv${stageNumber + 1}_x` : `stage${stageNumber}`;
}
