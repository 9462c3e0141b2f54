// Box sizes for the layout, estimated from text length (never measured in the DOM: measuring every
// label would force a reflow per node and dominate the time to first paint on big graphs).

import type { NodeSizer, ViewGroup, ViewNode } from "../src/view/types";

/** Average advance of our 11-12px UI font, in px per character; generous so text rarely overflows. */
const CHAR_WIDTH = 6.6;
export const NODE_HEIGHT = 46;
export const GROUP_HEIGHT = 78;
const MIN_NODE_WIDTH = 132;
const MAX_NODE_WIDTH = 240;
const MIN_GROUP_WIDTH = 196;
const MAX_GROUP_WIDTH = 300;

function textWidth(...texts: string[]): number {
  return Math.max(...texts.map((t) => t.length)) * CHAR_WIDTH + 20;
}

export function nodeSize(node: ViewNode): { width: number; height: number } {
  const width = clamp(Math.ceil(textWidth(node.op, node.label, node.shapeText)), MIN_NODE_WIDTH, MAX_NODE_WIDTH);
  return { width, height: NODE_HEIGHT };
}

export function groupSize(group: ViewGroup): { width: number; height: number } {
  const body = clamp(Math.ceil(textWidth(group.label, group.detail, "Params 99.99 M · MACs 9.99 G")), MIN_GROUP_WIDTH, MAX_GROUP_WIDTH);
  return { width: body, height: GROUP_HEIGHT };
}

export const estimateSize: NodeSizer = (item) => (item.kind === "node" ? nodeSize(item.node) : groupSize(item.group));

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
