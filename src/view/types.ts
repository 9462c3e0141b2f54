// Contract between the pure graph-view core (src/view: view model, grouping, collapse state, layout)
// and the renderer (webview/: d3 + DOM). Plain data only; no DOM here.

import type { NodeCategory, Shape } from "../ir/types";
import type { ShortcutKind } from "../analysis/residual";

/** The view draws the shortcut kinds the residual analysis finds. */
export type { ShortcutKind };

/** A real IR node as the view shows it. */
export interface ViewNode {
  id: string;
  label: string;
  op: string;
  category: NodeCategory;
  /** Output shape, formatted like "1×64×56×56" (null dims as "?"). */
  shapeText: string;
  shape: Shape | null;
  params: number;
  macs: number;
  /** Innermost group containing the node, or null at top level. */
  group: string | null;
  scope: string;
  /** Scope path label as the summary shows it ("layer1/0/conv1"): unique where `label` repeats. */
  path: string;
  /** 1-based source line where the layer was applied (else created); null when unknown. */
  line: number | null;
}

/** A collapsible group: a stage (conv2_x), a residual block, or a module scope without a block. */
export interface ViewGroup {
  id: string;
  kind: "stage" | "block" | "scope";
  /** "Bottleneck", "conv3_x", "layer1/0"... */
  label: string;
  /** Extra line for a collapsed box: "Bottleneck × 6" style repeat info, channels in → out. */
  detail: string;
  parent: string | null;
  /** Direct child groups, in execution order. */
  groups: string[];
  /** Direct member nodes (not inside a child group), in execution order. */
  nodes: string[];
  /** Residual blocks only. */
  shortcut?: ShortcutKind;
  /** Number of consecutive identical sibling blocks this one starts (1 when alone). */
  repeat: number;
  /** Optional (added by the view core): on the 2nd..nth block of such a run, the id of the run's first block. */
  repeatOf?: string;
  params: number;
  macs: number;
  inChannels: number | null;
  outChannels: number | null;
  outShapeText: string;
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  shapeText: string;
  /** Set on the edge that carries a residual block's shortcut (fork -> merge, or through its projection). */
  shortcut?: ShortcutKind;
  /** The residual block whose shortcut this edge is. */
  block?: string;
  /** Optional (added by the view core): the block whose shortcut branch this edge lies on, for every
   * edge of a projection path (fork -> 1x1 conv -> BN -> merge), the tagged last one included. */
  shortcutOf?: string;
}

export interface ViewModel {
  modelName: string;
  nodes: ViewNode[];
  edges: ViewEdge[];
  groups: ViewGroup[];
  /** Top-level group ids and node ids, in execution order. */
  roots: string[];
}

/** What is open. Groups not listed as expanded are collapsed. */
export interface CollapseState {
  expanded: ReadonlySet<string>;
}

/** Size of a node box; the layout never measures the DOM (tests pass fixed sizes). */
export type NodeSizer = (item: { kind: "node"; node: ViewNode } | { kind: "group"; group: ViewGroup }) => { width: number; height: number };

/** A visible box. x, y are the box's CENTRE (dagre's convention). */
export interface LaidNode {
  /** A node id, or a collapsed group's id. */
  id: string;
  kind: "node" | "collapsed-group";
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An expanded group's frame. x, y are its TOP-LEFT corner; depth 0 = a top-level group. */
export interface LaidGroup {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  depth: number;
}

export interface LaidEdge {
  id: string;
  source: string;
  target: string;
  /** Polyline from source box to target box. */
  points: [number, number][];
  shortcut?: ShortcutKind;
  block?: string;
}

export interface Layout {
  width: number;
  height: number;
  /** Visible boxes: real nodes and collapsed groups. */
  nodes: LaidNode[];
  /** Expanded groups drawn as frames around their content. */
  groups: LaidGroup[];
  edges: LaidEdge[];
  /** Which algorithm placed the graph: series-parallel, or the layered fallback for the parts that are not. */
  engine: "series-parallel" | "layered" | "mixed";
}
