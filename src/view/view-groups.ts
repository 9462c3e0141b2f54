// Collapsible groups over the topological order: stages (contiguous runs of top-level blocks),
// residual blocks, and PyTorch module scopes that are neither. Every group is convex (no path leaves
// it and comes back), so collapsing any set of groups leaves a DAG the layout can place.

import type { GraphIndex } from "../analysis/graph-index";
import { nodeLabel, scopeSegments } from "../analysis/scope";
import type { AnalysisFacts, ViewBlock } from "./view-blocks";

export interface RawGroup {
  id: string;
  kind: "stage" | "block" | "scope";
  label: string;
  /** Index of the parent in the group list, -1 at top level. */
  parent: number;
  /** Every member position (child groups' members included), ascending. */
  members: number[];
  block?: ViewBlock;
}

export interface Grouping {
  groups: RawGroup[];
  /** Innermost group index of each node position, -1 for top-level nodes. */
  groupOf: Int32Array;
}

export function groupNodes(index: GraphIndex, facts: AnalysisFacts, blocks: ViewBlock[]): Grouping {
  const count = index.nodes.length;
  const groupOf = new Int32Array(count).fill(-1);
  const groups: RawGroup[] = [];
  const add = (g: RawGroup): number => {
    groups.push(g);
    const gi = groups.length - 1;
    for (const v of g.members) groupOf[v] = gi;
    return gi;
  };

  // Stages: contiguous intervals ending with their last block, so nodes between two stages' blocks
  // (a transition layer) open the next stage and collapsed stages never form a cycle.
  const blockById = new Map(blocks.map((b) => [b.facts.id, b]));
  let nextStart = -1;
  for (const s of facts.stages) {
    if (s.kind !== "stage") continue;
    const own = s.blocks.map((id) => blockById.get(id)).filter((b): b is ViewBlock => b !== undefined && b.members.length > 0);
    if (own.length === 0) continue;
    const first = Math.min(...own.map((b) => b.members[0]));
    const last = Math.max(...own.map((b) => b.members[b.members.length - 1]));
    const start = nextStart < 0 ? first : Math.min(first, nextStart);
    if (start <= nextStart - 1 || last < start) continue; // overlapping stages: leave them ungrouped
    const members: number[] = [];
    for (let v = start; v <= last; v++) if (groupOf[v] < 0) members.push(v);
    add({ id: `stage:${s.name}`, kind: "stage", label: s.name, parent: -1, members });
    nextStart = last + 1;
  }

  // Blocks, outermost first so the innermost block claims a node last.
  const bySize = [...blocks].sort((a, b) => b.members.length - a.members.length || a.members[0] - b.members[0]);
  for (const b of bySize) {
    if (b.members.length === 0) continue;
    const merge = index.indexOf.get(b.facts.mergeNode) ?? b.members[b.members.length - 1];
    add({ id: `block:${b.facts.id}`, kind: "block", label: "", parent: groupOf[merge], members: b.members, block: b });
  }

  addScopeGroups(index, blocks, groups, groupOf, add);
  return { groups, groupOf };
}

/**
 * Module containers ("features/0", a ConvBNReLU) holding at least two nodes, contiguous in execution
 * order, all direct members of one existing group, and off every shortcut path (a projection's
 * downsample stays loose so it can sit in the block's side column).
 */
function addScopeGroups(
  index: GraphIndex,
  blocks: ViewBlock[],
  groups: RawGroup[],
  groupOf: Int32Array,
  add: (g: RawGroup) => number,
): void {
  const { nodes, indexOf } = index;
  const onShortcut = new Uint8Array(nodes.length);
  for (const b of blocks) for (const id of b.facts.shortcutPath) onShortcut[indexOf.get(id) ?? 0] = 1;
  const blockScopes = new Set(blocks.map((b) => b.facts.scope));

  const found = new Map<string, { first: number; last: number; count: number }>();
  nodes.forEach((n, v) => {
    const segs = scopeSegments(nodeLabel(n));
    let path = "";
    for (let k = 0; k + 1 < segs.length; k++) {
      path = k === 0 ? segs[0] : `${path}/${segs[k]}`;
      const c = found.get(path);
      if (c) {
        c.last = v;
        c.count++;
      } else found.set(path, { first: v, last: v, count: 1 });
    }
  });
  const candidates = [...found.entries()]
    .filter(([path, c]) => c.count >= 2 && c.last - c.first + 1 === c.count && !blockScopes.has(path))
    .sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first || (a[0] < b[0] ? -1 : 1));
  for (const [path, c] of candidates) {
    const owner = groupOf[c.first];
    let ok = true;
    for (let v = c.first; v <= c.last && ok; v++) if (groupOf[v] !== owner || onShortcut[v]) ok = false;
    // A container with the same members as its owner (features/1 and features/1/conv) adds nothing.
    if (!ok || (owner >= 0 && groups[owner].members.length === c.count)) continue;
    const members: number[] = [];
    for (let v = c.first; v <= c.last; v++) members.push(v);
    add({ id: `scope:${path}`, kind: "scope", label: path, parent: owner, members });
  }
}
