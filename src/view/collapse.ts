// Which groups are open. States are immutable values (a new Set per change) so the renderer can
// compare them and the layout cache can key on them.

import type { CollapseState, ViewGroup, ViewModel } from "./types";

/** Above this many nodes the default view shows blocks collapsed inside open stages. */
export const LARGE_MODEL_NODES = 60;

export function defaultCollapse(model: ViewModel): CollapseState {
  if (model.nodes.length <= LARGE_MODEL_NODES) return expandAll(model);
  return { expanded: new Set(model.groups.filter((g) => g.kind === "stage").map((g) => g.id)) };
}

export function expandAll(model: ViewModel): CollapseState {
  return { expanded: new Set(model.groups.map((g) => g.id)) };
}

export function collapseAll(_model: ViewModel): CollapseState {
  return { expanded: new Set() };
}

/** Opens every group whose nesting depth is below `depth` (0 = top-level groups): 0 collapses all. */
export function expandToDepth(model: ViewModel, depth: number): CollapseState {
  const depths = groupDepths(model);
  return { expanded: new Set(model.groups.filter((g) => depths.get(g.id)! < depth).map((g) => g.id)) };
}

export function toggle(state: CollapseState, id: string): CollapseState {
  const expanded = new Set(state.expanded);
  if (expanded.has(id)) expanded.delete(id);
  else expanded.add(id);
  return { expanded };
}

export function setExpanded(state: CollapseState, id: string, open: boolean): CollapseState {
  if (state.expanded.has(id) === open) return state;
  return toggle(state, id);
}

/**
 * Opens every group around a node (or around a group, for a group id) so it becomes visible, e.g.
 * for search hits and selection from the table. Returns the same state when nothing had to open.
 */
export function revealNode(model: ViewModel, state: CollapseState, id: string): CollapseState {
  const byId = groupIndex(model);
  const node = model.nodes.find((n) => n.id === id);
  let g = node ? node.group : (byId.get(id)?.parent ?? null);
  const missing: string[] = [];
  while (g !== null) {
    if (!state.expanded.has(g)) missing.push(g);
    g = byId.get(g)?.parent ?? null;
  }
  if (missing.length === 0) return state;
  return { expanded: new Set([...state.expanded, ...missing]) };
}

/** The box that shows a node (or group) under this state: itself, or its outermost collapsed ancestor. */
export function visibleOwner(model: ViewModel, state: CollapseState, id: string): string {
  const byId = groupIndex(model);
  const node = model.nodes.find((n) => n.id === id);
  let owner = id;
  let g = node ? node.group : (byId.get(id)?.parent ?? null);
  while (g !== null) {
    if (!state.expanded.has(g)) owner = g;
    g = byId.get(g)?.parent ?? null;
  }
  return owner;
}

export interface VisibleItems {
  /** Boxes in execution order: real nodes and collapsed groups. */
  boxes: { kind: "node" | "collapsed-group"; id: string }[];
  /** Expanded groups whose frame is visible, outer before inner. */
  frames: string[];
  /** For every node and group id: the id of the box that shows it ("" for a visible frame's group). */
  owner: Map<string, string>;
}

/**
 * The last result, by identity: the webview asks once to choose where to lay out (page or worker) and the
 * layout asks again for the same model and state. Both are immutable (a new state per change), and
 * callers only read the result.
 */
let lastVisible: { model: ViewModel; state: CollapseState; items: VisibleItems } | undefined;

export function visibleItems(model: ViewModel, state: CollapseState): VisibleItems {
  if (lastVisible?.model === model && lastVisible.state === state) return lastVisible.items;
  const items = computeVisibleItems(model, state);
  lastVisible = { model, state, items };
  return items;
}

function computeVisibleItems(model: ViewModel, state: CollapseState): VisibleItems {
  const byId = groupIndex(model);
  const boxes: VisibleItems["boxes"] = [];
  const frames: string[] = [];
  const owner = new Map<string, string>();
  const hide = (g: ViewGroup, box: string): void => {
    owner.set(g.id, box);
    for (const n of g.nodes) owner.set(n, box);
    for (const c of g.groups) hide(byId.get(c)!, box);
  };
  const visit = (id: string): void => {
    const g = byId.get(id);
    if (!g) {
      boxes.push({ kind: "node", id });
      owner.set(id, id);
      return;
    }
    if (!state.expanded.has(id)) {
      boxes.push({ kind: "collapsed-group", id });
      hide(g, id);
      return;
    }
    frames.push(id);
    owner.set(id, "");
    for (const child of mergeOrder(g, model)) visit(child);
  };
  for (const r of model.roots) visit(r);
  return { boxes, frames, owner };
}

/** Nesting depth of every group (0 = top level). */
export function groupDepths(model: ViewModel): Map<string, number> {
  const byId = groupIndex(model);
  const depths = new Map<string, number>();
  const depthOf = (g: ViewGroup): number => {
    let d = depths.get(g.id);
    if (d === undefined) {
      d = g.parent === null ? 0 : depthOf(byId.get(g.parent)!) + 1;
      depths.set(g.id, d);
    }
    return d;
  };
  for (const g of model.groups) depthOf(g);
  return depths;
}

const indexCache = new WeakMap<ViewModel, Map<string, ViewGroup>>();
const nodeOrderCache = new WeakMap<ViewModel, Map<string, number>>();

export function groupIndex(model: ViewModel): Map<string, ViewGroup> {
  let m = indexCache.get(model);
  if (!m) {
    m = new Map(model.groups.map((g) => [g.id, g]));
    indexCache.set(model, m);
  }
  return m;
}

/** A group's direct nodes and child groups interleaved in execution order. */
export function mergeOrder(g: ViewGroup, model: ViewModel): string[] {
  if (g.groups.length === 0) return g.nodes;
  if (g.nodes.length === 0) return g.groups;
  const pos = nodePositions(model);
  const byId = groupIndex(model);
  const first = (id: string): number => {
    const p = pos.get(id);
    if (p !== undefined) return p;
    const c = byId.get(id)!;
    let best = Infinity;
    for (const n of c.nodes) best = Math.min(best, pos.get(n)!);
    for (const child of c.groups) best = Math.min(best, first(child));
    return best;
  };
  return [...g.nodes, ...g.groups].map((id) => ({ id, at: first(id) })).sort((a, b) => a.at - b.at).map((x) => x.id);
}

export function nodePositions(model: ViewModel): Map<string, number> {
  let m = nodeOrderCache.get(model);
  if (!m) {
    m = new Map(model.nodes.map((n, i) => [n.id, i]));
    nodeOrderCache.set(model, m);
  }
  return m;
}
