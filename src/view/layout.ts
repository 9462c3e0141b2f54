// Layout of the VISIBLE graph: real nodes and collapsed groups are boxes, expanded groups are frames
// around their content. Each container (the root, every expanded group) is laid out on its own by
// local-layout.ts — series-parallel where it can be (the main path on one straight line, shortcuts
// as bypasses to its right), layered (dagre) where it cannot — and containers nest with their spines
// aligned, so the main path stays straight through stages and blocks. Edges are routed last, in
// absolute coordinates. Deterministic: no randomness, every iteration over ordered arrays.

import { groupDepths, mergeOrder, nodePositions, visibleItems, groupIndex } from "./collapse";
import { edgeKey, splitEdgeKey } from "./edge-key";
import { ENTRY_KEY, EXIT_KEY, layoutContainer, type ContainerItem, type LocalLayout, type Spacing } from "./local-layout";
import { SINK, SOURCE } from "./sp-decompose";
import type { CollapseState, LaidEdge, LaidGroup, LaidNode, Layout, NodeSizer, ViewEdge, ViewGroup, ViewModel, ViewNode } from "./types";

export interface LayoutOptions extends Partial<Spacing> {
  /** Empty space around the whole drawing. */
  margin?: number;
  /** How far right of a collapsed block's box its shortcut bypass runs. */
  bypassOffset?: number;
  /** Reuse per-group layouts between calls (expand/collapse); see createLayoutCache. */
  cache?: LayoutCache;
}

/**
 * Per-group layouts kept between calls. Valid for one model, one sizer and one spacing: passing a
 * different one clears it. Counters say how much the last call reused (for benchmarks and tests).
 */
export interface LayoutCache {
  model: ViewModel | null;
  sizer: NodeSizer | null;
  spacingKey: string;
  entries: Map<string, { signature: string; layout: LocalLayout }>;
  hits: number;
  misses: number;
}

export function createLayoutCache(): LayoutCache {
  return { model: null, sizer: null, spacingKey: "", entries: new Map(), hits: 0, misses: 0 };
}

const DEFAULTS: Spacing & { margin: number; bypassOffset: number } = {
  nodeGap: 24,
  columnGap: 32,
  laneGap: 24,
  framePadding: 12,
  frameHeader: 22,
  margin: 20,
  bypassOffset: 14,
};

const ROOT = "";

interface Rect {
  cx: number;
  cy: number;
  w: number;
  h: number;
}

interface VisibleEdge {
  edge: ViewEdge;
  u: string;
  v: string;
  /** Shortcut tags kept (the block is visible as a frame). */
  tagged: boolean;
  /** Local edges this edge produced: [container, edgeKey]. */
  local: [string, string][];
}

export function layoutGraph(model: ViewModel, state: CollapseState, sizer: NodeSizer, options: LayoutOptions = {}): Layout {
  const sp = { ...DEFAULTS, ...definedOnly(options) };
  const groups = groupIndex(model);
  const nodes = nodeIndex(model);
  const facts = modelFacts(model);
  const depths = groupDepths(model);
  const vis = visibleItems(model, state);
  const cache = prepareCache(options.cache, model, sizer, sp);

  const containerOf = (id: string): string => {
    const n = nodes.get(id);
    if (n) return n.group ?? ROOT;
    return groups.get(id)?.parent ?? ROOT;
  };
  const depthOf = (c: string): number => (c === ROOT ? 0 : depths.get(c)! + 1);

  // 1. Visible edges, and the collapsed blocks' bypasses.
  const visible: VisibleEdge[] = [];
  const bypasses: ViewEdge[] = [];
  const seen = new Set<string>();
  for (const e of model.edges) {
    const u = vis.owner.get(e.source);
    const v = vis.owner.get(e.target);
    if (u === undefined || v === undefined) continue;
    const blockOwner = e.block !== undefined ? vis.owner.get(e.block) : undefined;
    if (e.shortcut && e.block !== undefined && blockOwner === e.block) {
      bypasses.push(e);
      continue;
    }
    if (u === v) continue;
    const tagged = e.shortcut !== undefined && blockOwner === "";
    // Only edges re-routed to a collapsed box (or repeated inputs) can coincide: merge those.
    if (!tagged && (u !== e.source || v !== e.target || e.id.includes("#"))) {
      const key = `${u}->${v}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    visible.push({ edge: e, u, v, tagged, local: [] });
  }

  // 2. Local edges per container: lift both ends to their lowest common container.
  const localEdges = new Map<string, Set<string>>();
  const addLocal = (ve: VisibleEdge, c: string, from: string, to: string): void => {
    const key = edgeKey(from, to);
    let set = localEdges.get(c);
    if (!set) localEdges.set(c, (set = new Set()));
    set.add(key);
    ve.local.push([c, key]);
  };
  for (const ve of visible) {
    let a = ve.u;
    let b = ve.v;
    let ca = containerOf(a);
    let cb = containerOf(b);
    while (depthOf(ca) > depthOf(cb)) {
      addLocal(ve, ca, a, EXIT_KEY);
      a = ca;
      ca = containerOf(ca);
    }
    while (depthOf(cb) > depthOf(ca)) {
      addLocal(ve, cb, ENTRY_KEY, b);
      b = cb;
      cb = containerOf(cb);
    }
    while (ca !== cb) {
      addLocal(ve, ca, a, EXIT_KEY);
      addLocal(ve, cb, ENTRY_KEY, b);
      a = ca;
      ca = containerOf(ca);
      b = cb;
      cb = containerOf(cb);
    }
    if (a !== b) addLocal(ve, ca, a, b);
  }

  // 3. Container layouts, innermost first, reused from the cache when their subtree is unchanged.
  const layouts = new Map<string, LocalLayout>();
  const isCollapsedBlock = (g: ViewGroup): boolean => g.kind === "block" && g.shortcut !== undefined;
  const layoutOf = (c: string): { layout: LocalLayout; signature: string } => {
    const children = c === ROOT ? model.roots : mergeOrder(groups.get(c)!, model);
    const items: ContainerItem[] = [];
    const sigParts: string[] = [];
    for (const id of children) {
      const g = groups.get(id);
      if (g && state.expanded.has(id)) {
        const inner = layoutOf(id);
        sigParts.push(`${id}{${inner.signature}}`);
        const f = facts.get(id)!;
        items.push({ key: id, kind: "unit", left: inner.layout.left, right: inner.layout.right, height: inner.layout.height, width: inner.layout.left + inner.layout.right, weight: f.weight, size: f.size, first: f.first });
      } else if (g) {
        const size = sizer({ kind: "group", group: g });
        const f = facts.get(id)!;
        const extra = isCollapsedBlock(g) ? sp.bypassOffset : 0;
        items.push({ key: id, kind: "collapsed-group", left: size.width / 2, right: size.width / 2 + extra, height: size.height, width: size.width, weight: f.weight, size: f.size, first: f.first });
      } else {
        const n = nodes.get(id)!;
        const size = sizer({ kind: "node", node: n });
        items.push({ key: id, kind: "node", left: size.width / 2, right: size.width / 2, height: size.height, width: size.width, weight: weightOfNode(n), size: 1, first: nodePositions(model).get(id)! });
      }
    }
    const signature = sigParts.join(",");
    const cached = cache?.entries.get(c);
    if (cached && cached.signature === signature) {
      cache!.hits++;
      layouts.set(c, cached.layout);
      return { layout: cached.layout, signature };
    }
    const indexOfKey = new Map(items.map((it, i) => [it.key, i]));
    const pairs: [number, number][] = [];
    for (const key of localEdges.get(c) ?? []) {
      const [from, to] = splitEdgeKey(key);
      const a = from === ENTRY_KEY ? SOURCE : indexOfKey.get(from);
      const b = to === EXIT_KEY ? SINK : indexOfKey.get(to);
      if (a !== undefined && b !== undefined) pairs.push([a, b]);
    }
    const layout = layoutContainer(items, pairs, c !== ROOT, sp);
    if (cache) {
      cache.misses++;
      cache.entries.set(c, { signature, layout });
    }
    layouts.set(c, layout);
    return { layout, signature };
  };
  const root = layoutOf(ROOT).layout;

  // 4. Absolute placement.
  const laidNodes: LaidNode[] = [];
  const laidGroups: LaidGroup[] = [];
  const rects = new Map<string, Rect>();
  const origin = new Map<string, { spine: number; top: number }>();
  let usedSP = false;
  let usedLayered = false;
  const place = (c: string, layout: LocalLayout, spine: number, top: number): void => {
    origin.set(c, { spine, top });
    usedSP ||= layout.usedSP;
    usedLayered ||= layout.usedLayered;
    for (const p of layout.placed) {
      if (p.kind === "unit") {
        const inner = layouts.get(p.key)!;
        laidGroups.push({ id: p.key, x: spine + p.dx - inner.left, y: top + p.y, width: inner.left + inner.right, height: inner.height, depth: depths.get(p.key)! });
        place(p.key, inner, spine + p.dx, top + p.y);
      } else {
        const cx = spine + p.dx;
        const cy = top + p.y + p.height / 2;
        laidNodes.push({ id: p.key, kind: p.kind, x: cx, y: cy, width: p.width, height: p.height });
        rects.set(p.key, { cx, cy, w: p.width, h: p.height });
      }
    }
  };
  place(ROOT, root, sp.margin + root.left, sp.margin);

  // 5. Edges.
  const laidEdges: LaidEdge[] = [];
  for (const ve of visible) {
    const U = rects.get(ve.u);
    const V = rects.get(ve.v);
    if (!U || !V) continue;
    let points: [number, number][] | null = null;
    for (const [c, key] of ve.local) {
      const lane = layouts.get(c)?.lanes.get(key);
      if (lane !== undefined) {
        points = laneRoute(U, V, origin.get(c)!.spine + lane);
        break;
      }
      const pts = ve.local.length === 1 ? layouts.get(c)?.layeredEdges.get(key) : undefined;
      if (pts) {
        const o = origin.get(c)!;
        points = pts.map(([x, y]) => [x + o.spine, y + o.top]);
        break;
      }
    }
    const laid: LaidEdge = { id: ve.edge.id, source: ve.u, target: ve.v, points: points ?? route(U, V) };
    if (ve.tagged) {
      laid.shortcut = ve.edge.shortcut;
      laid.block = ve.edge.block;
    }
    laidEdges.push(laid);
  }
  for (const e of bypasses) {
    const R = rects.get(e.block!);
    if (!R) continue;
    const x = R.cx + R.w / 2;
    const y0 = R.cy - R.h / 4;
    const y1 = R.cy + R.h / 4;
    laidEdges.push({
      id: e.id,
      source: e.block!,
      target: e.block!,
      points: [[x, y0], [x + sp.bypassOffset, y0], [x + sp.bypassOffset, y1], [x, y1]],
      shortcut: e.shortcut,
      block: e.block,
    });
  }

  return {
    width: root.left + root.right + 2 * sp.margin,
    height: root.height + 2 * sp.margin,
    nodes: laidNodes,
    groups: laidGroups,
    edges: laidEdges,
    engine: usedLayered ? (usedSP ? "mixed" : "layered") : "series-parallel",
  };
}

/** Straight down on a shared spine; into a side column from the source's right side; back from it into the target's right side. */
function route(U: Rect, V: Rect): [number, number][] {
  const uBottom = U.cy + U.h / 2;
  const vTop = V.cy - V.h / 2;
  if (Math.abs(U.cx - V.cx) < 0.5) return [[U.cx, uBottom], [V.cx, vTop]];
  if (V.cx > U.cx && vTop > U.cy) return [[U.cx + U.w / 2, U.cy], [V.cx, U.cy], [V.cx, vTop]];
  if (V.cx < U.cx && V.cy > uBottom) return [[U.cx, uBottom], [U.cx, V.cy], [V.cx + V.w / 2, V.cy]];
  return [[U.cx, uBottom], [V.cx, vTop]];
}

/** An identity bypass: out of the fork's right side, down the lane, into the join's right side. */
function laneRoute(U: Rect, V: Rect, lane: number): [number, number][] {
  return [[U.cx + U.w / 2, U.cy], [lane, U.cy], [lane, V.cy], [V.cx + V.w / 2, V.cy]];
}

function weightOfNode(n: ViewNode): number {
  return (n.category === "conv" || n.category === "dense") && (n.params > 0 || n.macs > 0) ? 1 : 0;
}

const nodeIndexCache = new WeakMap<ViewModel, Map<string, ViewNode>>();
function nodeIndex(model: ViewModel): Map<string, ViewNode> {
  let m = nodeIndexCache.get(model);
  if (!m) nodeIndexCache.set(model, (m = new Map(model.nodes.map((n) => [n.id, n]))));
  return m;
}

/** Weighted layers, node count and first execution position of every group. */
const factsCache = new WeakMap<ViewModel, Map<string, { weight: number; size: number; first: number }>>();
function modelFacts(model: ViewModel): Map<string, { weight: number; size: number; first: number }> {
  let m = factsCache.get(model);
  if (m) return m;
  m = new Map();
  const groups = groupIndex(model);
  const nodes = nodeIndex(model);
  const pos = nodePositions(model);
  const visit = (g: ViewGroup): { weight: number; size: number; first: number } => {
    const known = m!.get(g.id);
    if (known) return known;
    const f = { weight: 0, size: 0, first: Infinity };
    for (const id of g.nodes) {
      f.weight += weightOfNode(nodes.get(id)!);
      f.size++;
      f.first = Math.min(f.first, pos.get(id)!);
    }
    for (const c of g.groups) {
      const cf = visit(groups.get(c)!);
      f.weight += cf.weight;
      f.size += cf.size;
      f.first = Math.min(f.first, cf.first);
    }
    m!.set(g.id, f);
    return f;
  };
  for (const g of model.groups) visit(g);
  factsCache.set(model, m);
  return m;
}

function prepareCache(cache: LayoutCache | undefined, model: ViewModel, sizer: NodeSizer, sp: Spacing): LayoutCache | undefined {
  if (!cache) return undefined;
  const spacingKey = JSON.stringify(sp);
  if (cache.model !== model || cache.sizer !== sizer || cache.spacingKey !== spacingKey) {
    cache.entries.clear();
    cache.model = model;
    cache.sizer = sizer;
    cache.spacingKey = spacingKey;
  }
  cache.hits = 0;
  cache.misses = 0;
  return cache;
}

function definedOnly(o: LayoutOptions): Partial<Spacing & { margin: number; bypassOffset: number }> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === "number") out[k] = v;
  return out;
}
