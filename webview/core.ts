// The one place the renderer imports the pure view core (src/view) from.
export { buildViewModel } from "../src/view/view-model";
export { defaultCollapse, expandAll, collapseAll, expandToDepth, toggle, revealNode } from "../src/view/collapse";
export { layoutGraph, createLayoutCache, type LayoutCache } from "../src/view/layout";
