// Lays out one container (the root, or one expanded group) from its direct items: boxes and the
// already laid-out interiors of expanded child groups. Coordinates are relative to the container's
// spine (x = 0, the straight main line) and its top. Results are cached per group and the state of
// its subtree, so opening one block re-lays that block, its ancestors' item lists, and nothing else.

import { edgeKey } from "./edge-key";
import { layeredLayout } from "./layered";
import { decomposeSP, SINK, SOURCE, type SPTree } from "./sp-decompose";

export interface Spacing {
  /** Vertical gap between consecutive items. */
  nodeGap: number;
  /** Horizontal gap between the main column and side columns. */
  columnGap: number;
  /** Distance from the main column's right edge to an identity bypass lane. */
  laneGap: number;
  framePadding: number;
  /** Extra room at the top of a frame for its title. */
  frameHeader: number;
}

export interface ContainerItem {
  key: string;
  kind: "node" | "collapsed-group" | "unit";
  /** Extent left / right of the item's spine (a box's centre line), and height. */
  left: number;
  right: number;
  height: number;
  /** Box size (boxes only; a collapsed block's bypass room is in `right`, not here). */
  width: number;
  /** Weighted layers and node count: the main branch of a fork is the heaviest. */
  weight: number;
  size: number;
  /** Execution position, for a deterministic topological order. */
  first: number;
}

export interface PlacedItem {
  key: string;
  kind: ContainerItem["kind"];
  /** Spine x relative to the container's spine; top y relative to its top. */
  dx: number;
  y: number;
  width: number;
  height: number;
}

export interface LocalLayout {
  left: number;
  right: number;
  height: number;
  placed: PlacedItem[];
  /** x of the bypass lane of each direct fork -> join edge, keyed by edgeKey (item keys, "^S"/"^T"). */
  lanes: Map<string, number>;
  /** Edges placed by the layered fallback, relative, keyed by edgeKey. */
  layeredEdges: Map<string, [number, number][]>;
  usedSP: boolean;
  usedLayered: boolean;
}

export const ENTRY_KEY = "^S";
export const EXIT_KEY = "^T";

interface Ext {
  left: number;
  right: number;
  height: number;
}

/**
 * `edges`: local edges between item indices, SOURCE for "enters from outside", SINK for "leaves".
 * `framed`: add frame padding (every container except the root).
 */
export function layoutContainer(items: ContainerItem[], edges: [number, number][], framed: boolean, sp: Spacing): LocalLayout {
  const count = items.length;
  const order = topologicalOrder(items, edges);
  const result: LocalLayout = { left: 0, right: 0, height: 0, placed: [], lanes: new Map(), layeredEdges: new Map(), usedSP: false, usedLayered: false };
  let tree: SPTree;
  let ordered: ContainerItem[];
  if (order) {
    const rank = new Int32Array(count);
    order.forEach((item, r) => (rank[item] = r));
    ordered = order.map((i) => items[i]);
    const succ: number[][] = ordered.map(() => []);
    const fromSource = new Uint8Array(count);
    const toSink = new Uint8Array(count);
    for (const [a, b] of edges) {
      if (a === SOURCE && b >= 0) fromSource[rank[b]] = 1;
      else if (b === SINK && a >= 0) toSink[rank[a]] = 1;
      else if (a >= 0 && b >= 0) succ[rank[a]].push(rank[b]);
    }
    tree = decomposeSP(count, succ, fromSource, toSink);
  } else {
    // A cycle among the items (groups that are not convex): only the layered layout copes.
    ordered = [...items].sort((a, b) => a.first - b.first);
    tree = { kind: "layered", items: ordered.map((_, i) => i), entry: SOURCE, exit: SINK };
  }

  const keyOf = (i: number): string => (i === SOURCE ? ENTRY_KEY : i === SINK ? EXIT_KEY : ordered[i].key);
  const ext = new Map<SPTree, Ext>();
  const mainOf = new Map<SPTree, number>();
  const sideSpines = new Map<SPTree, number[]>();
  const laneOf = new Map<SPTree, number>();
  const layered = new Map<SPTree, ReturnType<typeof layeredLayout>>();
  const weightOf = new Map<SPTree, [number, number]>();

  const weigh = (t: SPTree): [number, number] => {
    let w = weightOf.get(t);
    if (w) return w;
    if (t.kind === "item") w = [ordered[t.item].weight, ordered[t.item].size];
    else {
      const kids = t.kind === "series" ? t.parts : t.kind === "parallel" ? t.branches : [];
      w = [0, 0];
      for (const k of kids) {
        const kw = weigh(k);
        w[0] += kw[0];
        w[1] += kw[1];
      }
      if (t.kind === "layered") for (const i of t.items) (w[0] += ordered[i].weight), (w[1] += ordered[i].size);
    }
    weightOf.set(t, w);
    return w;
  };

  const measure = (t: SPTree): Ext => {
    let e: Ext;
    switch (t.kind) {
      case "item": {
        const it = ordered[t.item];
        e = { left: it.left, right: it.right, height: it.height };
        break;
      }
      case "series": {
        e = { left: 0, right: 0, height: 0 };
        t.parts.forEach((p, i) => {
          const pe = measure(p);
          e.left = Math.max(e.left, pe.left);
          e.right = Math.max(e.right, pe.right);
          e.height += pe.height + (i > 0 ? sp.nodeGap : 0);
        });
        break;
      }
      case "parallel": {
        result.usedSP = true;
        let main = 0;
        t.branches.forEach((b, i) => {
          const [w, s] = weigh(b);
          const [mw, ms] = weigh(t.branches[main]);
          if (w > mw || (w === mw && s > ms)) main = i;
        });
        mainOf.set(t, main);
        const exts = t.branches.map(measure);
        const m = exts[main];
        // Bypasses and side columns clear the fork and the join too (they may be wider than the branch).
        const endRight = (i: number): number => (i >= 0 ? ordered[i].right : 0);
        let cursor = Math.max(m.right, endRight(t.entry), endRight(t.exit));
        if (t.direct) {
          cursor += sp.laneGap;
          laneOf.set(t, cursor);
        }
        const spines: number[] = [];
        let height = m.height;
        exts.forEach((b, i) => {
          if (i === main) {
            spines.push(0);
            return;
          }
          const spine = cursor + sp.columnGap + b.left;
          spines.push(spine);
          cursor = spine + b.right;
          height = Math.max(height, b.height);
        });
        sideSpines.set(t, spines);
        e = { left: m.left, right: cursor, height };
        break;
      }
      case "layered": {
        result.usedLayered = true;
        const boxes = t.items.map((i) => ({ key: ordered[i].key, left: ordered[i].left, right: ordered[i].right, height: ordered[i].height }));
        const local = new Map(t.items.map((item, k) => [item, k]));
        const pairs: [number, number][] = [];
        for (const [a, b] of edgesAmong(t.items)) pairs.push([local.get(a)!, local.get(b)!]);
        const r = layeredLayout(boxes, pairs, { nodeGap: sp.columnGap, rankGap: sp.nodeGap });
        layered.set(t, r);
        e = { left: r.left, right: r.right, height: r.height };
        break;
      }
    }
    ext.set(t, e);
    return e;
  };

  // Edges among a layered region's items, in ordered indices (only needed for layered parts).
  let rankedEdges: [number, number][] | null = null;
  const edgesAmong = (members: number[]): [number, number][] => {
    if (!rankedEdges) {
      const rankOfKey = new Map(ordered.map((it, i) => [it.key, i]));
      rankedEdges = [];
      for (const [a, b] of edges) if (a >= 0 && b >= 0) rankedEdges.push([rankOfKey.get(items[a].key)!, rankOfKey.get(items[b].key)!]);
    }
    const inside = new Set(members);
    return rankedEdges.filter(([a, b]) => inside.has(a) && inside.has(b));
  };

  const place = (t: SPTree, spine: number, top: number): void => {
    const e = ext.get(t)!;
    switch (t.kind) {
      case "item": {
        const it = ordered[t.item];
        result.placed.push({ key: it.key, kind: it.kind, dx: spine, y: top, width: it.width, height: it.height });
        break;
      }
      case "series": {
        let y = top;
        for (const p of t.parts) {
          place(p, spine, y);
          y += ext.get(p)!.height + sp.nodeGap;
        }
        break;
      }
      case "parallel": {
        const spines = sideSpines.get(t)!;
        t.branches.forEach((b, i) => place(b, spine + spines[i], top + (e.height - ext.get(b)!.height) / 2));
        const lane = laneOf.get(t);
        if (lane !== undefined) result.lanes.set(edgeKey(keyOf(t.entry), keyOf(t.exit)), spine + lane);
        break;
      }
      case "layered": {
        const r = layered.get(t)!;
        t.items.forEach((i, k) => {
          const it = ordered[i];
          result.placed.push({ key: it.key, kind: it.kind, dx: spine + r.at[k].dx, y: top + r.at[k].y, width: it.width, height: it.height });
        });
        for (const [key, pts] of r.edges) result.layeredEdges.set(key, pts.map(([x, y]) => [x + spine, y + top]));
        break;
      }
    }
  };

  const whole = measure(tree);
  const pad = framed ? sp.framePadding : 0;
  const header = framed ? sp.frameHeader : 0;
  if (tree.kind !== "layered" && count > 0) result.usedSP = true;
  place(tree, 0, pad + header);
  result.left = whole.left + pad;
  result.right = whole.right + pad;
  result.height = whole.height + 2 * pad + header;
  return result;
}

/** Kahn's algorithm taking the earliest-executed ready item first; null on a cycle. */
function topologicalOrder(items: ContainerItem[], edges: [number, number][]): number[] | null {
  const count = items.length;
  const waiting = new Int32Array(count);
  const succ: number[][] = items.map(() => []);
  for (const [a, b] of edges) {
    if (a < 0 || b < 0) continue;
    succ[a].push(b);
    waiting[b]++;
  }
  // Items usually arrive in execution order already; then the order is the identity.
  let identity = true;
  for (let i = 0; i < count && identity; i++) for (const j of succ[i]) if (j <= i) identity = false;
  if (identity) {
    for (let i = 1; i < count && identity; i++) if (items[i].first < items[i - 1].first) identity = false;
    if (identity) return items.map((_, i) => i);
  }
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => items[a].first < items[b].first || (items[a].first === items[b].first && a < b);
  const push = (v: number): void => {
    heap.push(v);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  for (let i = 0; i < count; i++) if (waiting[i] === 0) push(i);
  const order: number[] = [];
  while (heap.length > 0) {
    const v = pop();
    order.push(v);
    for (const w of succ[v]) if (--waiting[w] === 0) push(w);
  }
  return order.length === count ? order : null;
}
