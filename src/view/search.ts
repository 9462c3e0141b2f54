// Search by layer name, op, scope path or id: case-insensitive substring match, every word of the
// query must match somewhere. Python attribute paths and scope paths are the same query:
// "layer3.2.conv2" matches scope "layer3/2/conv2" (".", "/", "\" and ":" all read as "/").
// Results in execution order, for next/previous navigation. The one search of the graph view.

import type { ViewModel, ViewNode } from "./types";

/** Lower case, every path separator as "/". */
export function normalizeQuery(text: string): string {
  return text.toLowerCase().replace(/[./\\:]/g, "/");
}

export function searchNodes(model: ViewModel, query: string): string[] {
  const words = normalizeQuery(query.trim()).split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return [];
  const out: string[] = [];
  for (const n of model.nodes) {
    const hay = haystack(n);
    if (words.every((w) => hay.includes(w))) out.push(n.id);
  }
  return out;
}

function haystack(n: ViewNode): string {
  return normalizeQuery(`${n.id}\n${n.label}\n${n.path}\n${n.op}\n${n.scope}\n${n.category}`);
}

/** Index of the next (+1) or previous (-1) hit after `current`, wrapping around; -1 without hits. */
export function stepMatch(matches: readonly string[], current: string | null, direction: 1 | -1): number {
  if (matches.length === 0) return -1;
  const at = current === null ? -1 : matches.indexOf(current);
  if (at < 0) return direction === 1 ? 0 : matches.length - 1;
  return (at + direction + matches.length) % matches.length;
}
