// The general layered layout (dagre) for the parts of a graph that are not series-parallel:
// Inception-like bridges, DenseNet concatenations, cyclic quotients. Positions come back relative
// to the region's spine (the first item's centre line) and top, like the series-parallel layout's.

import dagre from "@dagrejs/dagre";
import { edgeKey } from "./edge-key";

export interface LayeredBox {
  key: string;
  /** Width left / right of the item's own spine, and height. */
  left: number;
  right: number;
  height: number;
}

export interface LayeredResult {
  left: number;
  right: number;
  height: number;
  /** Spine x (relative to the region's spine) and top y of each item, in input order. */
  at: { dx: number; y: number }[];
  /** Polylines of the edges between region items, relative, keyed by edgeKey. */
  edges: Map<string, [number, number][]>;
}

export interface LayeredSpacing {
  nodeGap: number;
  rankGap: number;
}

export function layeredLayout(boxes: LayeredBox[], edges: [number, number][], spacing: LayeredSpacing): LayeredResult {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: "TB", nodesep: spacing.nodeGap, ranksep: spacing.rankGap, edgesep: spacing.nodeGap / 2, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  boxes.forEach((b, i) => g.setNode(String(i), { width: b.left + b.right, height: b.height }));
  for (const [a, b] of edges) if (a !== b) g.setEdge(String(a), String(b));
  dagre.layout(g);

  const centres = boxes.map((_, i) => g.node(String(i)) as { x: number; y: number });
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  boxes.forEach((b, i) => {
    const w = b.left + b.right;
    minX = Math.min(minX, centres[i].x - w / 2);
    maxX = Math.max(maxX, centres[i].x + w / 2);
    minY = Math.min(minY, centres[i].y - b.height / 2);
    maxY = Math.max(maxY, centres[i].y + b.height / 2);
  });
  if (boxes.length === 0) return { left: 0, right: 0, height: 0, at: [], edges: new Map() };
  const spineOf = (i: number): number => centres[i].x - (boxes[i].left + boxes[i].right) / 2 + boxes[i].left;
  const spine = spineOf(0);
  const at = boxes.map((b, i) => ({ dx: spineOf(i) - spine, y: centres[i].y - b.height / 2 - minY }));
  const laidEdges = new Map<string, [number, number][]>();
  for (const [a, b] of edges) {
    const label = g.edge(String(a), String(b)) as { points?: { x: number; y: number }[] } | undefined;
    if (!label?.points) continue;
    laidEdges.set(edgeKey(boxes[a].key, boxes[b].key), label.points.map((p) => [p.x - spine, p.y - minY]));
  }
  return { left: spine - minX, right: maxX - spine, height: maxY - minY, at, edges: laidEdges };
}
