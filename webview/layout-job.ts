// The layout the view draws, and the message protocol that lets a Web Worker compute it. The page
// and the worker run the same function (`viewLayout`) on the same view model, so a layout is the same
// wherever it was computed; `handleLayoutMessage` is the whole worker minus `postMessage`, pure so
// tests run it directly. The view model crosses once per model; a request carries only the ids of
// the open groups, and a reply is one Float64Array (packLayout): structured-cloning 5,000 small
// objects and their point arrays would cost the page more than the layout itself.

import { createLayoutCache, layoutGraph, type LayoutCache } from "../src/view/layout";
import type { CollapseState, LaidEdge, LaidGroup, LaidNode, Layout, ViewModel } from "../src/view/types";
import { reconcileShortcuts } from "./shortcuts";
import { estimateSize } from "./sizer";

/** Page → worker: the model later requests refer to (replaces the previous one and its cache). */
export interface SetModelMessage {
  type: "model";
  modelId: number;
  model: ViewModel;
}

/** Page → worker: lay out the current model with these groups open. */
export interface LayoutRequestMessage {
  type: "layout";
  requestId: number;
  modelId: number;
  expanded: string[];
}

export type ToLayoutWorker = SetModelMessage | LayoutRequestMessage;

export type FromLayoutWorker =
  | { type: "layout"; requestId: number; packed: PackedLayout; /** Milliseconds the worker spent on it. */ ms: number }
  | { type: "error"; requestId: number; message: string };

/**
 * A Layout as numbers. Ids become positions in the model both sides hold: a box is node i (i >= 0)
 * or group j (-(j + 1)); an edge is model edge k. Per box: ref, x, y, width, height. Per frame: group,
 * x, y, width, height, depth. Per edge: edge, source ref, target ref, shortcut (0 none, 1 identity,
 * 2 projection), block group (-1 none), point count, then x, y of each point. Float64 keeps every
 * coordinate exact.
 */
export interface PackedLayout {
  width: number;
  height: number;
  engine: Layout["engine"];
  nodes: number;
  groups: number;
  edges: number;
  data: Float64Array;
}

/** The layout drawn for a collapse state: boxes sized from their text, shortcuts drawn once. */
export function viewLayout(model: ViewModel, state: CollapseState, cache?: LayoutCache): Layout {
  return reconcileShortcuts(layoutGraph(model, state, estimateSize, { cache }));
}

/** Positions of every id in a model, for packLayout. */
export interface ModelIndex {
  node: Map<string, number>;
  group: Map<string, number>;
  edge: Map<string, number>;
}

export function indexModel(model: ViewModel): ModelIndex {
  return {
    node: new Map(model.nodes.map((n, i) => [n.id, i])),
    group: new Map(model.groups.map((g, i) => [g.id, i])),
    edge: new Map(model.edges.map((e, i) => [e.id, i])),
  };
}

const SHORTCUT_CODES = { identity: 1, projection: 2 } as const;
const SHORTCUT_KINDS = [undefined, "identity", "projection"] as const;

export function packLayout(layout: Layout, index: ModelIndex): PackedLayout {
  const need = (map: Map<string, number>, id: string, what: string): number => {
    const i = map.get(id);
    if (i === undefined) throw new Error(`The layout names ${what} "${id}", which is not in the model.`);
    return i;
  };
  const box = (id: string): number => {
    const i = index.node.get(id);
    return i !== undefined ? i : -need(index.group, id, "the box") - 1;
  };
  let size = layout.nodes.length * 5 + layout.groups.length * 6;
  for (const e of layout.edges) size += 6 + 2 * e.points.length;
  const data = new Float64Array(size);
  let k = 0;
  for (const n of layout.nodes) {
    data[k++] = box(n.id);
    data[k++] = n.x;
    data[k++] = n.y;
    data[k++] = n.width;
    data[k++] = n.height;
  }
  for (const g of layout.groups) {
    data[k++] = need(index.group, g.id, "the frame");
    data[k++] = g.x;
    data[k++] = g.y;
    data[k++] = g.width;
    data[k++] = g.height;
    data[k++] = g.depth;
  }
  for (const e of layout.edges) {
    data[k++] = need(index.edge, e.id, "the edge");
    data[k++] = box(e.source);
    data[k++] = box(e.target);
    data[k++] = e.shortcut ? SHORTCUT_CODES[e.shortcut] : 0;
    data[k++] = e.block !== undefined ? need(index.group, e.block, "the block") : -1;
    data[k++] = e.points.length;
    for (const [x, y] of e.points) {
      data[k++] = x;
      data[k++] = y;
    }
  }
  return { width: layout.width, height: layout.height, engine: layout.engine, nodes: layout.nodes.length, groups: layout.groups.length, edges: layout.edges.length, data };
}

export function unpackLayout(packed: PackedLayout, model: ViewModel): Layout {
  const d = packed.data;
  const boxId = (ref: number): string => (ref >= 0 ? model.nodes[ref].id : model.groups[-ref - 1].id);
  let k = 0;
  const nodes: LaidNode[] = new Array(packed.nodes);
  for (let i = 0; i < packed.nodes; i++, k += 5) {
    const ref = d[k];
    nodes[i] = { id: boxId(ref), kind: ref >= 0 ? "node" : "collapsed-group", x: d[k + 1], y: d[k + 2], width: d[k + 3], height: d[k + 4] };
  }
  const groups: LaidGroup[] = new Array(packed.groups);
  for (let i = 0; i < packed.groups; i++, k += 6) {
    groups[i] = { id: model.groups[d[k]].id, x: d[k + 1], y: d[k + 2], width: d[k + 3], height: d[k + 4], depth: d[k + 5] };
  }
  const edges: LaidEdge[] = new Array(packed.edges);
  for (let i = 0; i < packed.edges; i++) {
    const count = d[k + 5];
    const points: [number, number][] = new Array(count);
    for (let p = 0; p < count; p++) points[p] = [d[k + 6 + 2 * p], d[k + 7 + 2 * p]];
    const edge: LaidEdge = { id: model.edges[d[k]].id, source: boxId(d[k + 1]), target: boxId(d[k + 2]), points };
    const shortcut = SHORTCUT_KINDS[d[k + 3]];
    if (shortcut) edge.shortcut = shortcut;
    if (d[k + 4] >= 0) edge.block = model.groups[d[k + 4]].id;
    edges[i] = edge;
    k += 6 + 2 * count;
  }
  return { width: packed.width, height: packed.height, nodes, groups, edges, engine: packed.engine };
}

/** What a worker remembers between messages. */
export interface LayoutJobState {
  modelId: number;
  model: ViewModel | null;
  index: ModelIndex | null;
  cache: LayoutCache;
}

export function createLayoutJobState(): LayoutJobState {
  return { modelId: -1, model: null, index: null, cache: createLayoutCache() };
}

/** Handles one message; returns the reply to post, or null when there is none. */
export function handleLayoutMessage(state: LayoutJobState, msg: ToLayoutWorker): FromLayoutWorker | null {
  if (msg.type === "model") {
    state.modelId = msg.modelId;
    state.model = msg.model;
    state.cache = createLayoutCache();
    // Warm up while nobody waits: id positions, and the per-model indexes and group facts the
    // layout builds on first use (a fully collapsed layout builds them all and costs little else).
    state.index = indexModel(msg.model);
    viewLayout(msg.model, { expanded: new Set() }, state.cache);
    return null;
  }
  if (state.model === null || state.modelId !== msg.modelId) {
    return { type: "error", requestId: msg.requestId, message: `The layout worker has no model ${msg.modelId} (it holds ${state.modelId}); the page must send the model before asking for its layout.` };
  }
  try {
    const t0 = performance.now();
    const layout = viewLayout(state.model, { expanded: new Set(msg.expanded) }, state.cache);
    state.index ??= indexModel(state.model);
    const packed = packLayout(layout, state.index);
    return { type: "layout", requestId: msg.requestId, packed, ms: performance.now() - t0 };
  } catch (e) {
    return { type: "error", requestId: msg.requestId, message: `The layout worker failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
