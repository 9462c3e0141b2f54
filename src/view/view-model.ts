// IR + analysis -> ViewModel: the nodes, edges and collapsible groups the graph view draws.
// Group ids are namespaced ("stage:conv2_x", "block:layer1/0", "scope:features/0") so they never
// collide with node ids; a collapsed group's box carries its group id.

import { indexGraph, type GraphIndex } from "../analysis/graph-index";
import { nodeLabel, scopeSegments } from "../analysis/scope";
import { analyzeGraph, type GraphAnalysis, type ModelSummary } from "../analysis/summary";
import type { GraphIR, IRNode, Shape } from "../ir/types";
import { formatChannels, formatMacs, formatParams, formatShape } from "./format";
import type { ViewEdge, ViewGroup, ViewModel, ViewNode } from "./types";
import { analysisFacts, viewBlocks, type BlockFacts } from "./view-blocks";
import { groupNodes, type RawGroup } from "./view-groups";

export interface ViewModelOptions {
  /** Module class per PyTorch scope ("layer1/0" -> "Bottleneck"); defaults to the IR's own `moduleClasses`. */
  moduleClasses?: Readonly<Record<string, string>>;
}

export function buildViewModel(
  ir: GraphIR,
  analysis: GraphAnalysis | ModelSummary = analyzeGraph(ir),
  options: ViewModelOptions = {},
): ViewModel {
  const index = indexGraph(ir);
  const facts = analysisFacts(analysis);
  const blocks = viewBlocks(facts.blocks, index);
  const { groups: raw, groupOf } = groupNodes(index, facts, blocks);
  const channelAxis = ir.framework === "keras" ? "last" : "first";

  const nodes: ViewNode[] = index.nodes.map((n, v) => viewNode(n, groupOf[v] >= 0 ? raw[groupOf[v]].id : null));
  const groups: ViewGroup[] = raw.map((g) => viewGroup(g, raw, index, ir, channelAxis, options));

  // Children in execution order: groups by their first member, nodes by position.
  const order = (item: { pos: number; id: string }[]): string[] => item.sort((a, b) => a.pos - b.pos).map((x) => x.id);
  const childItems: { pos: number; id: string }[][] = raw.map(() => []);
  const rootItems: { pos: number; id: string }[] = [];
  raw.forEach((g, gi) => (g.parent >= 0 ? childItems[g.parent] : rootItems).push({ pos: g.members[0], id: raw[gi].id }));
  const directNodes: { pos: number; id: string }[][] = raw.map(() => []);
  index.nodes.forEach((n, v) => (groupOf[v] >= 0 ? directNodes[groupOf[v]] : rootItems).push({ pos: v, id: n.id }));
  groups.forEach((g, gi) => {
    g.groups = order(childItems[gi]);
    g.nodes = order(directNodes[gi]);
  });
  const roots = order(rootItems);

  assignRepeats(groups, raw, roots, index);
  const kindOf = new Map(groups.map((g) => [g.id, g.kind]));
  for (const g of groups) g.detail = detailLine(g, kindOf);

  // Groups listed in execution order, an enclosing group before the groups it contains.
  const listed = raw.map((_, i) => i).sort((a, b) => raw[a].members[0] - raw[b].members[0] || raw[b].members.length - raw[a].members.length);
  return { modelName: ir.modelName, nodes, edges: viewEdges(ir, facts.blocks), groups: listed.map((i) => groups[i]), roots };
}

function viewNode(n: IRNode, group: string | null): ViewNode {
  const site = n.applied ?? n.created;
  return {
    id: n.id,
    label: nodeDisplayName(n),
    op: n.op,
    category: n.category,
    shapeText: formatShape(n.shape),
    shape: n.shape,
    params: n.params,
    macs: n.macs,
    group,
    scope: n.scope,
    path: nodeLabel(n),
    line: site ? site.range.start.line + 1 : null,
  };
}

/** The layer's own name; a bare index ("0" in downsample/0) keeps its container for context. */
function nodeDisplayName(n: IRNode): string {
  const name = n.name || n.op;
  if (!/^\d+$/.test(name)) return name;
  const segs = scopeSegments(n.scope);
  const at = segs[segs.length - 1] === name ? segs.length - 1 : segs.length;
  return at > 0 ? `${segs[at - 1]}/${name}` : name;
}

function viewGroup(
  g: RawGroup,
  raw: RawGroup[],
  index: GraphIndex,
  ir: GraphIR,
  axis: "first" | "last",
  options: ViewModelOptions,
): ViewGroup {
  let params = 0;
  let macs = 0;
  for (const v of g.members) {
    params += index.nodes[v].params;
    macs += index.nodes[v].macs;
  }
  const last = index.nodes[g.members[g.members.length - 1]];
  const out: ViewGroup = {
    id: g.id,
    kind: g.kind,
    label: g.kind === "block" ? blockLabel(g.block!.facts, ir, options) : g.label,
    detail: "",
    parent: g.parent >= 0 ? raw[g.parent].id : null,
    groups: [],
    nodes: [],
    repeat: 1,
    params,
    macs,
    inChannels: null,
    outChannels: null,
    outShapeText: formatShape(last.shape),
  };
  if (g.block) {
    out.shortcut = g.block.facts.shortcut;
    out.inChannels = g.block.facts.inChannels;
    out.outChannels = g.block.facts.outChannels;
  } else {
    const first = index.nodes[g.members[0]];
    out.inChannels = channels(first.inputShapes[0] ?? null, axis);
    out.outChannels = channels(last.shape, axis);
  }
  return out;
}

/** Module class when the host knows it, the Keras helper function that built it, else generic. */
function blockLabel(b: BlockFacts, ir: GraphIR, options: ViewModelOptions): string {
  const known = (options.moduleClasses ?? ir.moduleClasses)?.[b.scope];
  if (known) return known;
  if (ir.framework === "keras" && b.scope !== "") {
    const segs = scopeSegments(b.scope);
    return segs[segs.length - 1];
  }
  return "Residual block";
}

function channels(shape: Shape | null, axis: "first" | "last"): number | null {
  if (!shape || shape.length < 2) return null;
  return (axis === "first" && shape.length >= 3 ? shape[1] : shape[shape.length - 1]) ?? null;
}

/**
 * A run of consecutive sibling blocks with the same structure (ops, shapes, wiring): the first gets
 * repeat = run length, the others `repeatOf` = the first's id. Anything else between siblings ends a run.
 */
function assignRepeats(groups: ViewGroup[], raw: RawGroup[], roots: string[], index: GraphIndex): void {
  const byId = new Map(groups.map((g, i) => [g.id, i]));
  const signatures = new Map<number, string>();
  const signature = (gi: number): string => {
    let s = signatures.get(gi);
    if (s === undefined) {
      s = blockSignature(raw[gi], index);
      signatures.set(gi, s);
    }
    return s;
  };
  const visitSiblings = (ids: string[]): void => {
    let runStart = -1;
    let runLength = 0;
    const close = (): void => {
      if (runStart >= 0) groups[runStart].repeat = runLength;
      runStart = -1;
      runLength = 0;
    };
    for (const id of ids) {
      const gi = byId.get(id);
      if (gi === undefined || groups[gi].kind !== "block") {
        close();
        continue;
      }
      if (runStart >= 0 && signature(runStart) === signature(gi)) {
        runLength++;
        groups[gi].repeatOf = groups[runStart].id;
      } else {
        close();
        runStart = gi;
        runLength = 1;
      }
    }
    close();
  };
  visitSiblings(roots);
  for (const g of groups) visitSiblings([...g.nodes, ...g.groups].sort((a, b) => firstPos(a) - firstPos(b)));

  function firstPos(id: string): number {
    const gi = byId.get(id);
    return gi !== undefined ? raw[gi].members[0] : index.indexOf.get(id)!;
  }
}

/** Ops, output shapes and wiring (inputs as offsets inside the block, "x" from outside). */
function blockSignature(g: RawGroup, index: GraphIndex): string {
  const local = new Map<number, number>();
  g.members.forEach((v, i) => local.set(v, i));
  const parts = g.members.map((v) => {
    const n = index.nodes[v];
    const ins = index.preds[v].map((p) => (local.has(p) ? String(local.get(p)) : "x")).join(",");
    return `${n.op}:${formatShape(n.shape)}:${ins}`;
  });
  return `${g.block?.facts.shortcut ?? ""}|${parts.join(";")}`;
}

function detailLine(g: ViewGroup, kindOf: ReadonlyMap<string, ViewGroup["kind"]>): string {
  const parts: string[] = [];
  if (g.kind === "block" && g.repeat > 1) parts.push(`${g.label} × ${g.repeat}`);
  if (g.kind === "stage") {
    const blocks = g.groups.filter((id) => kindOf.get(id) === "block").length;
    parts.push(`${blocks} ${blocks === 1 ? "block" : "blocks"}`);
  }
  const ch = formatChannels(g.inChannels, g.outChannels);
  if (ch) parts.push(ch);
  parts.push(formatParams(g.params), formatMacs(g.macs));
  return parts.join(" · ");
}

/**
 * One edge per IR input. The edge that carries a residual block's shortcut into its merge gets
 * `shortcut` + `block`; every edge on a shortcut branch (projection conv/BN included) gets `shortcutOf`.
 */
function viewEdges(ir: GraphIR, blocks: readonly BlockFacts[]): ViewEdge[] {
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const tagged = new Map<string, BlockFacts>(); // "source->target" of the shortcut edge
  const onPath = new Map<string, string>(); // target on a shortcut path -> block id
  for (const b of blocks) {
    const path = new Set(b.shortcutPath);
    const merge = byId.get(b.mergeNode);
    if (!merge) continue;
    let from: string | undefined;
    for (const src of merge.inputs) if (path.size > 0 ? path.has(src) : src === b.forkNode) from = src;
    if (from !== undefined) tagged.set(`${from}->${b.mergeNode}`, b);
    for (const id of b.shortcutPath) onPath.set(id, b.id);
  }
  const edges: ViewEdge[] = [];
  for (const n of ir.nodes) {
    const inputs = n.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const src = inputs[i];
      const source = byId.get(src);
      if (!source) continue;
      // A repeated input (x + x) is a second edge between the same nodes: "#2" keeps ids unique.
      let k = 1;
      for (let j = 0; j < i; j++) if (inputs[j] === src) k++;
      const key = `${src}->${n.id}`;
      const e: ViewEdge = { id: k === 1 ? key : `${key}#${k}`, source: src, target: n.id, shapeText: formatShape(source.shape) };
      const b = k === 1 ? tagged.get(key) : undefined;
      if (b) {
        e.shortcut = b.shortcut;
        e.block = `block:${b.id}`;
        e.shortcutOf = e.block;
      } else if (onPath.has(n.id)) e.shortcutOf = `block:${onPath.get(n.id)}`;
      edges.push(e);
    }
  }
  return edges;
}
