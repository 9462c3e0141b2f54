// A layer the analyzer cannot see into (an instance of an unmodelled class, unknown-calls.ts) is an
// opaque node that assumes its output has its input's shape. When the real class changes the shape
// (timm's PatchEmbed), a later layer finds a mismatch that only the assumption made. The graph builder
// follows the assumption from node to node (GraphBuilder.shapeAssumption); once the model has run,
// each shape error reported at the call that made such a node becomes a warning naming the class.
// Errors on tensors the assumption never reached stay errors. Done after the run, so the stubs and
// the interpreter's hot paths carry nothing for it.

import type { Diagnostic, IRNode } from "../ir/types";
import type { GraphBuilder } from "../ir/builder";

/**
 * Shape errors at the sites of nodes whose shape descends from an assumed one become, in their place
 * in `diagnostics`, warnings that say so. Runs once the model has run: nothing is reported after it.
 */
export function downgradeAssumedShapeErrors(diagnostics: Diagnostic[], graph: GraphBuilder, nodes: IRNode[]): void {
  if (!graph.assumesShapes || !diagnostics.some(isShapeError)) return;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const assumedBySite = new Map<string, { className: string; line: number }>();
  for (const n of nodes) {
    const a = graph.shapeAssumption(n.id);
    const origin = a && byId.get(a.node);
    if (!a || !n.applied || !origin?.applied) continue;
    const key = siteKey(n.applied.file, n.applied.range);
    if (!assumedBySite.has(key)) assumedBySite.set(key, { className: a.className, line: origin.applied.range.start.line + 1 });
  }
  diagnostics.forEach((d, i) => {
    const a = isShapeError(d) ? assumedBySite.get(siteKey(d.file, d.range)) : undefined;
    if (a) diagnostics[i] = { ...d, severity: "warning", message: blamed(d.message, a) };
  });
}

function isShapeError(d: Diagnostic): boolean {
  return d.severity === "error" && d.code === "shape-mismatch";
}

function siteKey(file: string, r: Diagnostic["range"]): string {
  return `${file}:${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;
}

/** `X got 32 (line 20).` → `X got 32; that size comes from the shape assumed for the unmodelled PatchEmbed at line 12 (line 20).` */
function blamed(message: string, a: { className: string; line: number }): string {
  const short = a.className.slice(a.className.lastIndexOf(".") + 1);
  const blame = `; that size comes from the shape assumed for the unmodelled ${short} at line ${a.line}`;
  const located = /^([\s\S]*?)\.?( \((?:in [^()]*, )?line \d+\))\.$/.exec(message);
  return located ? `${located[1]}${blame}${located[2]}.` : `${message.replace(/\.$/, "")}${blame}.`;
}
