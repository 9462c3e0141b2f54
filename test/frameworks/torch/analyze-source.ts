// Analyses a PyTorch source snippet and returns what these tests compare: the non-info diagnostics by
// line, the layers (op and shape, plus whatever `layerFacts` adds), and the output shapes.

import { analyze } from "../../../src/analyze";
import type { IRNode } from "../../../src/ir/types";

export function analyzeSource<T extends unknown[] = [string, IRNode["shape"]]>(
  text: string,
  entry: string,
  input: number[][],
  layerFacts: (n: IRNode) => T = (n) => [n.op, n.shape] as unknown as T,
) {
  const a = analyze({ file: "m.py", text, entry, input });
  const ir = a.ir!;
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  return {
    ir,
    problems: a.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.message]),
    ops: ir.nodes.filter((n) => n.op !== "Input").map(layerFacts),
    output: ir.outputs.map((id) => byId.get(id)!.shape),
  };
}

export const lines = (...ls: string[]) => ls.join("\n") + "\n";
