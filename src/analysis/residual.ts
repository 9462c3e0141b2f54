// Finds residual blocks: an elementwise add whose tensor inputs fork from a common node, the block's
// input x. The fork is the add input that feeds the others, else the add's immediate dominator (every
// path from the model inputs to the add passes through it), computed in one pass over a topological
// order, so a long chain of blocks stays linear. The shortcut must carry x, not a sibling piece of it
// (fork-pieces.ts), and blocks nest as residual blocks do: a shortcut holds no block, and a block on
// the main path forks inside (nestedInjections), so fusions of parallel branches and a tensor added
// again at every layer are no blocks; and a projection shortcut is linear (stacksLayers).

import type { GraphIR, IRNode, Shape } from "../ir/types";
import { ForkReads } from "./fork-pieces";
import { indexGraph, isWeightedLayer, type GraphIndex } from "./graph-index";
import { commonScope } from "./scope";
import { sameShapeText } from "./shape-text";

export type ShortcutKind = "identity" | "projection";

export interface ResidualBlock {
  /** Common module scope of the members ("layer1/0"), else `block_<merge node id>`. */
  id: string;
  mergeNode: string;
  /** The node both branches start from; not a member of the block. */
  forkNode: string;
  /** Member ids in topological order: every node on a path from the fork (exclusive) to the merge (inclusive). */
  nodes: string[];
  /** Members that are neither the merge nor on the shortcut, topological. */
  mainPath: string[];
  /** Members only on the shortcut branch, topological; empty for a plain identity shortcut. */
  shortcutPath: string[];
  shortcut: ShortcutKind;
  /** Ops on the shortcut branch ("pad", "AvgPool2d", "Conv2d", ...), topological. */
  shortcutOps: string[];
  /** Why the shortcut was classified as it was, as a sentence. */
  reason: string;
  /** Weighted layers (conv, dense) on the longest path from the fork to the merge. */
  weightedLayers: number;
  inChannels: number | null;
  outChannels: number | null;
  inShape: Shape | null;
  outShape: Shape | null;
  params: number;
  macs: number;
  /** Common module scope of the members; "" when they share none. */
  scope: string;
  /** Id of the innermost block that contains this one, for nested blocks. */
  parent?: string;
}

const ADD_OPS = new Set(["add", "iadd", "add_", "__add__", "__iadd__", "+"]);

/** An add that joins tensors (torch `+`/`torch.add`, Keras `Add`/`add`); concatenations are not residual. */
export function isAddMerge(n: IRNode): boolean {
  if (n.category !== "merge") return false;
  const kind = n.attrs.mergeKind;
  if (typeof kind === "string") return kind.toLowerCase() === "add";
  return ADD_OPS.has(n.op.toLowerCase());
}

export function findResidualBlocks(ir: GraphIR, index: GraphIndex = indexGraph(ir)): ResidualBlock[] {
  return findIndexedBlocks(ir, index).map((f) => f.block);
}

/** A residual block with its members as topological indices, for the analyses that follow it. */
export interface IndexedBlock {
  block: ResidualBlock;
  /** Ascending: the merge is last. */
  members: number[];
}

export function findIndexedBlocks(ir: GraphIR, index: GraphIndex): IndexedBlock[] {
  const { nodes, preds, fromInput } = index;
  const count = nodes.length;
  const idom = immediateDominators(index);
  let primary: { reach: Uint8Array; idom: Int32Array } | undefined;

  // Scratch arrays reused by every block (stamps instead of clearing keep this linear).
  const seenInBranch = new Int32Array(count);
  const inBlock = new Int32Array(count).fill(-1);
  const branchOf = new Int32Array(count); // branch index of a member, -1 when several branches reach it
  const depth = new Int32Array(count);
  const forkOfBlockAt = new Int32Array(count).fill(-1); // the fork of the block merging at a node, -1 for none
  const injection = new Uint8Array(count); // 1 at the merge of a found block shown to be an injection
  let branchStamp = 0;
  const found: IndexedBlock[] = [];
  const stack: number[] = [];

  for (let m = 0; m < count; m++) {
    const merge = nodes[m];
    if (!fromInput[m] || !isAddMerge(merge)) continue;
    const tensorInputs = preds[m].filter((p) => fromInput[p]);
    if (tensorInputs.length < 2) continue;
    let fork = idom[m];
    // When one add input feeds the others it is the block's input x, even where a branch also reads
    // another tensor, so that x does not dominate the add: a decoder's cross-attention
    // x + attn(x, memory), DPN's resid + f(cat(resid, dense)), DLA's aggregation x2 + conv(cat(x2, x1)).
    // The members are then only the nodes that descend from x; the other tensor's producers stay out.
    let within: Uint8Array | undefined;
    if (fork < 0 || !tensorInputs.includes(fork)) {
      const found =
        forkAmongInputs(tensorInputs, m, preds) ??
        (fork < 0 ? forkOnPrimaryInput(tensorInputs, m, preds, (primary ??= primaryDominators(ir, index))) : undefined);
      if (found) ({ fork, within } = found);
      else if (fork < 0) continue;
    }

    // One backward walk per branch, stopping at the fork, noting what each branch reads of the fork.
    const memberList: number[] = [m];
    let first = m;
    inBlock[m] = m;
    branchOf[m] = -1;
    const reads = new ForkReads(tensorInputs.length, nodes[fork]);
    for (let bi = 0; bi < tensorInputs.length; bi++) {
      branchStamp++;
      if (tensorInputs[bi] === fork) reads.note(bi, merge);
      stack.push(tensorInputs[bi]);
      while (stack.length > 0) {
        const v = stack.pop()!;
        if (v === fork || seenInBranch[v] === branchStamp || !fromInput[v] || (within && !within[v])) continue;
        seenInBranch[v] = branchStamp;
        if (inBlock[v] !== m) {
          inBlock[v] = m;
          branchOf[v] = bi;
          memberList.push(v);
          if (v < first) first = v;
        } else branchOf[v] = -1;
        for (const p of preds[v]) {
          if (p === fork) reads.note(bi, nodes[v]);
          stack.push(p);
        }
      }
    }
    const members = inTopologicalOrder(memberList, first, m, inBlock);

    const shortcutBranch = pickShortcut(members, tensorInputs.length, branchOf, nodes);
    const injected = nestedInjections(members, m, fork, shortcutBranch, branchOf, inBlock, forkOfBlockAt, preds);
    if (!injected) continue;
    const memberIds: string[] = [];
    const mainPath: string[] = [];
    const shortcutNodes: IRNode[] = [];
    const scopes: string[] = [];
    let params = 0;
    let macs = 0;
    let hasConv = false;
    for (const v of members) {
      const n = nodes[v];
      memberIds.push(n.id);
      scopes.push(n.scope);
      params += n.params;
      macs += n.macs;
      if (n.category === "conv") hasConv = true;
      if (v === m) continue;
      if (branchOf[v] === shortcutBranch) shortcutNodes.push(n);
      else mainPath.push(n.id);
      // Weighted layers on the longest path from the fork; producers outside the block count 0.
      let best = 0;
      for (const p of preds[v]) if (inBlock[p] === m && p !== fork && depth[p] > best) best = depth[p];
      depth[v] = best + (isWeightedLayer(n) ? 1 : 0);
    }
    let weightedLayers = 0;
    for (const p of tensorInputs) if (p !== fork && depth[p] > weightedLayers) weightedLayers = depth[p];

    const shortcut: ShortcutKind = shortcutNodes.some(isWeightedLayer) ? "projection" : "identity";
    const forkNode = nodes[fork];
    if (!isShortcutJoin(shortcut, shortcutNodes, tensorInputs.filter((p) => branchOf[p] !== shortcutBranch && p !== fork), depth, forkNode, merge)) continue;
    if (!reads.shortcutCarriesInput(shortcutBranch)) continue;
    const scope = commonScope(scopes);
    const axis = ir.framework === "pytorch" && hasConv ? "first" : "last";
    for (const a of injected) {
      forkOfBlockAt[a] = -1;
      injection[a] = 1;
    }
    forkOfBlockAt[m] = fork;
    found.push({
      members,
      block: {
        id: scope,
        mergeNode: merge.id,
        forkNode: forkNode.id,
        nodes: memberIds,
        mainPath,
        shortcutPath: shortcutNodes.map((n) => n.id),
        shortcut,
        shortcutOps: shortcutNodes.map((n) => n.op),
        reason: shortcutReason(shortcut, shortcutNodes),
        weightedLayers,
        inChannels: channels(forkNode.shape, axis),
        outChannels: channels(merge.shape, axis),
        inShape: forkNode.shape,
        outShape: merge.shape,
        params,
        macs,
        scope,
      },
    });
  }
  const kept = found.filter((f) => !injection[f.members[f.members.length - 1]]);
  assignIds(kept.map((f) => f.block));
  assignParents(kept, count);
  return kept;
}

/**
 * The members (stamped with the merge in `inBlock`) ascending. A block seldom spans many more nodes
 * than it has, and then one scan of its span beats a sort.
 */
function inTopologicalOrder(members: number[], first: number, merge: number, inBlock: Int32Array): number[] {
  if (merge - first >= 4 * members.length) return members.sort((a, b) => a - b);
  const ordered: number[] = [];
  for (let v = first; v <= merge; v++) if (inBlock[v] === merge) ordered.push(v);
  return ordered;
}

/** The add input from which every other add input descends, with the nodes descending from it up to the add. */
function forkAmongInputs(inputs: number[], merge: number, preds: number[][]): { fork: number; within: Uint8Array } | undefined {
  // Descendants come later in topological order, so only the earliest input can be the fork.
  let first = inputs[0];
  for (const p of inputs) if (p < first) first = p;
  const within = descendants(first, merge, preds);
  return inputs.every((q) => within[q]) ? { fork: first, within } : undefined;
}

/**
 * A second model input joining a branch (a diffusion UNet's time embedding added inside a block)
 * leaves no single dominator. Over the paths from the first input alone the block's fork is found
 * again; the members are then the fork's descendants, so the other input's layers stay outside.
 */
function forkOnPrimaryInput(inputs: number[], merge: number, preds: number[][], primary: { reach: Uint8Array; idom: Int32Array }): { fork: number; within: Uint8Array } | undefined {
  const onPrimary = inputs.filter((p) => primary.reach[p]);
  if (onPrimary.length < 2) return undefined;
  let fork = onPrimary[0];
  for (const p of onPrimary.slice(1)) fork = intersect(p, fork, primary.idom);
  return fork < 0 ? undefined : { fork, within: descendants(fork, merge, preds) };
}

/** 1 for `from` and every node before `merge` that descends from it. */
function descendants(from: number, merge: number, preds: number[][]): Uint8Array {
  const within = new Uint8Array(merge + 1);
  within[from] = 1;
  for (let v = from + 1; v < merge; v++) for (const q of preds[v]) if (within[q]) within[v] = 1;
  return within;
}

/** Reach and immediate dominators over the tensors that flow from the model's first input only. */
function primaryDominators(ir: GraphIR, index: GraphIndex): { reach: Uint8Array; idom: Int32Array } {
  const reach = new Uint8Array(index.nodes.length);
  const first = ir.inputs.length ? index.indexOf.get(ir.inputs[0]) : undefined;
  if (first !== undefined) {
    reach[first] = 1;
    for (let v = first + 1; v < index.nodes.length; v++) for (const p of index.preds[v]) if (reach[p] && p < v) reach[v] = 1;
  }
  return { reach, idom: immediateDominators({ ...index, fromInput: reach }) };
}

/**
 * Immediate dominator of every node over the tensors that flow from the model inputs; -1 stands for
 * the virtual root above all inputs. In a DAG walked in topological order each node's dominator is
 * the meeting point of its producers' dominator chains (Cooper, Harvey & Kennedy, single pass).
 */
function immediateDominators({ nodes, preds, fromInput }: GraphIndex): Int32Array {
  const idom = new Int32Array(nodes.length).fill(-1);
  for (let v = 0; v < nodes.length; v++) {
    let d = -2; // not yet set
    for (const p of preds[v]) {
      if (!fromInput[p] || p >= v) continue;
      d = d === -2 ? p : intersect(p, d, idom);
    }
    idom[v] = d === -2 ? -1 : d;
  }
  return idom;
}

function intersect(a: number, b: number, idom: Int32Array): number {
  while (a !== b) {
    while (a > b) a = idom[a];
    while (b > a) b = idom[b];
  }
  return a;
}

/**
 * Whether an add of branches from one fork is a residual join, as the ResNet paper means it: the fork
 * added unchanged must already have the sum's shape (a broadcast mask or bias reused by several
 * layers is not a shortcut), and a projection shortcut must be shorter than the main path (two heads
 * of one Linear each, or a VAE's mu + eps * std, are parallel branches, not a shortcut) and linear, W_s x:
 * a weighted layer after an activation that follows another is a stack of layers (NASNet's cells sum
 * two such stacks), while GhostNet's depthwise then pointwise projection stays one.
 */
function isShortcutJoin(kind: ShortcutKind, shortcutNodes: IRNode[], mainInputs: number[], depth: Int32Array, fork: IRNode, merge: IRNode): boolean {
  if (kind === "identity") {
    return shortcutNodes.length > 0 || !fork.shape || !merge.shape || sameShapeText(fork.shape, merge.shape);
  }
  const shortcutDepth = shortcutNodes.filter(isWeightedLayer).length;
  const mainDepth = mainInputs.reduce((best, p) => Math.max(best, depth[p]), 0);
  return mainDepth > shortcutDepth && !stacksLayers(shortcutNodes);
}

/** Whether an activation separates two weighted layers of the shortcut (topological, a chain in practice). */
function stacksLayers(shortcutNodes: IRNode[]): boolean {
  let weighted = false;
  let activated = false;
  for (const n of shortcutNodes) {
    if (isWeightedLayer(n)) {
      if (activated) return true;
      weighted = true;
    } else if (weighted && n.category === "activation") activated = true;
  }
  return false;
}

/**
 * Checks the blocks already found inside this add's branches against how residual blocks nest: a
 * shortcut carries x or a projection of it, never a residual block, and a block on the main path forks
 * at x or inside this block (blocks nest, they never overlap). Undefined when the add is no block:
 * - A shortcut holding a block means that both operands transform x through layers of their own:
 *   HRNet's fusion of parallel branches, each a stack of blocks, summed after resampling.
 * - A block on the main path that forked outside means that the add's fork is not the stream the main
 *   path transforms but a tensor injected into it: DETR adds one positional embedding at every layer,
 *   and `pos + layer(src, pos)` is no block, although `pos` feeds both operands.
 * One overlap is resolved the other way: an inner block that forked outside but adds this block's own
 * input x is that injection, `x + pos` on the main path, taken for a block `pos + f(pos)` because x
 * descends from pos (DETR's decoder, whose queries start from query_pos). Those inner merges are
 * returned, to be dropped when this add is a block.
 */
function nestedInjections(members: number[], merge: number, fork: number, shortcut: number, branchOf: Int32Array, inBlock: Int32Array, forkOfBlockAt: Int32Array, preds: number[][]): number[] | undefined {
  const injected: number[] = [];
  for (const v of members) {
    const innerFork = forkOfBlockAt[v];
    if (innerFork < 0 || v === merge) continue;
    if (branchOf[v] === shortcut) return undefined;
    if (innerFork === fork || inBlock[innerFork] === merge) continue;
    if (!preds[v].includes(fork)) return undefined;
    injected.push(v);
  }
  return injected;
}

/**
 * The shortcut is the branch with the fewest weighted layers; ties: fewer nodes, then the later
 * argument. Only nodes reached by a single branch count towards it (branchOf = -1 for shared ones).
 */
function pickShortcut(members: number[], branches: number, branchOf: Int32Array, nodes: IRNode[]): number {
  const weighted: number[] = [];
  const size: number[] = [];
  for (let b = 0; b < branches; b++) {
    weighted.push(0);
    size.push(0);
  }
  for (const v of members) {
    const b = branchOf[v];
    if (b < 0) continue;
    size[b]++;
    if (isWeightedLayer(nodes[v])) weighted[b]++;
  }
  let best = 0;
  for (let i = 1; i < branches; i++) {
    if (weighted[i] < weighted[best] || (weighted[i] === weighted[best] && size[i] <= size[best])) best = i;
  }
  return best;
}

function shortcutReason(kind: ShortcutKind, path: IRNode[]): string {
  if (kind === "projection") {
    const weighted = path.filter(isWeightedLayer).map((n) => n.op);
    return `The shortcut applies ${weighted.join(", ")}, a projection.`;
  }
  if (path.length === 0) return "The shortcut adds the fork's output unchanged.";
  const ops = [...new Set(path.map((n) => n.op))].join(", ");
  return `The shortcut has no weighted layer, only ${ops}, so it counts as identity (like option-A shortcuts that subsample and zero-pad).`;
}

function channels(shape: Shape | null, axis: "first" | "last"): number | null {
  if (!shape || shape.length < 2) return null;
  return (axis === "first" && shape.length >= 3 ? shape[1] : shape[shape.length - 1]) ?? null;
}

/** Scope ids must be unique: blocks sharing a scope (or having none) fall back to `block_<merge id>`. */
function assignIds(blocks: ResidualBlock[]): void {
  const uses = new Map<string, number>();
  for (const b of blocks) uses.set(b.scope, (uses.get(b.scope) ?? 0) + 1);
  for (const b of blocks) b.id = b.scope !== "" && uses.get(b.scope) === 1 ? b.scope : `block_${b.mergeNode}`;
}

/** Larger blocks first, so a block's merge is last claimed by the innermost block around it. */
function assignParents(found: IndexedBlock[], count: number): void {
  const owner = new Int32Array(count).fill(-1);
  const bySize = found
    .map((f, i) => i)
    .sort((a, b) => found[b].members.length - found[a].members.length || a - b);
  for (const i of bySize) {
    const { block, members } = found[i];
    const merge = members[members.length - 1];
    if (owner[merge] >= 0) block.parent = found[owner[merge]].block.id;
    for (const v of members) owner[v] = i;
  }
}

