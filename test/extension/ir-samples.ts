// Small hand-made IR nodes for the extension's pure-logic tests.
import type { IRNode, SourceSite, StackFrame } from "../../src/ir/types";

export const FILE = "/ws/net.py";

export function site(line: number, from: number, to: number, stack: StackFrame[] = [], file = FILE): SourceSite {
  return { file, range: { start: { line, character: from }, end: { line, character: to } }, stack };
}

export function frame(kind: "call" | "loop", label: string, line: number, iteration?: number, file = FILE): StackFrame {
  return { kind, label, file, range: { start: { line, character: 4 }, end: { line, character: 30 } }, ...(iteration === undefined ? {} : { iteration }) };
}

export function node(id: string, over: Partial<IRNode> = {}): IRNode {
  return {
    id,
    op: "Conv2d",
    category: "conv",
    name: id,
    attrs: {},
    inputs: [],
    shape: [1, 64, 56, 56],
    inputShapes: [],
    params: 0,
    trainableParams: 0,
    nonTrainableParams: 0,
    buffers: 0,
    macs: 0,
    scope: id,
    ...over,
  };
}
