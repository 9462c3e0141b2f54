// A collapsed residual block's shortcut is the layout's bypass edge from its box to itself. Should
// the layout also route the block's tagged shortcut edge into that box from outside (an identity
// shortcut starts at the fork, outside the block), keep it as a plain connection, so each shortcut
// is drawn (and counted in the DOM) exactly once.

import type { LaidEdge, Layout } from "../src/view/types";

export function reconcileShortcuts(layout: Layout): Layout {
  const collapsed = new Set(layout.nodes.filter((n) => n.kind === "collapsed-group").map((n) => n.id));
  const plain = new Set(layout.edges.filter((e) => !e.shortcut).map((e) => `${e.source}->${e.target}`));
  let changed = false;
  const edges: LaidEdge[] = [];
  for (const e of layout.edges) {
    if (e.shortcut && e.source !== e.target && e.block !== undefined && collapsed.has(e.block)) {
      changed = true;
      // Keep the connection itself when no plain edge joins the same two boxes.
      if (!plain.has(`${e.source}->${e.target}`)) edges.push({ id: e.id, source: e.source, target: e.target, points: e.points });
      continue;
    }
    edges.push(e);
  }
  return changed ? { ...layout, edges } : layout;
}
