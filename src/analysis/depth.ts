// Paper depth: the most weighted layers (conv, dense) met on any path from an input to an output.
// ResNet-34 = (3+4+6+3)*2 + 2. Projection shortcuts never count: they sit on the shorter path.
// Matmul is not a layer and does not count.

import type { GraphIR } from "../ir/types";
import { indexGraph, isWeightedLayer, type GraphIndex } from "./graph-index";

export function paperDepth(ir: GraphIR, index: GraphIndex = indexGraph(ir)): number {
  const { nodes, preds } = index;
  const depth = new Int32Array(nodes.length);
  for (let v = 0; v < nodes.length; v++) {
    let best = 0;
    for (const p of preds[v]) if (p < v && depth[p] > best) best = depth[p];
    depth[v] = best + (isWeightedLayer(nodes[v]) ? 1 : 0);
  }
  // Measured at the model outputs; without declared outputs, the deepest node anywhere.
  let result = 0;
  const outputs = ir.outputs.map((id) => index.indexOf.get(id)).filter((v): v is number => v !== undefined);
  const ends = outputs.length > 0 ? outputs : nodes.map((_, v) => v);
  for (const v of ends) result = Math.max(result, depth[v]);
  return result;
}
