// A generated plain residual network of any depth, as the analyzer would hand it to the view: a stem
// conv, basic blocks (conv-bn-relu-conv-bn-add-relu, identity shortcut) and a pooled linear head.
// Shared by the browser tests and the render benchmark (bench/render.bench.mjs).

import { summarize } from "../../src/analysis/summary";
import { initialViewState, type Snapshot } from "../../src/protocol";
import { IR_VERSION, type GraphIR, type IRNode, type NodeCategory, type Shape } from "../../src/ir/types";

/** Basic blocks in a network of `layers` layers (7 nodes each, 4 nodes of stem and head). */
export function syntheticBlocks(layers: number): number {
  return Math.max(1, Math.floor((layers - 4) / 7));
}

export function syntheticResNet(layers: number): GraphIR {
  const nodes: IRNode[] = [];
  const node = (id: string, op: string, category: NodeCategory, inputs: string[], shape: Shape, extra: { params?: number; macs?: number; scope?: string } = {}): string => {
    const params = extra.params ?? 0;
    nodes.push({ id, op, category, name: id.split("/").pop()!, attrs: {}, inputs, shape, inputShapes: inputs.map(() => shape), params, trainableParams: params, nonTrainableParams: 0, buffers: 0, macs: extra.macs ?? 0, scope: extra.scope ?? id });
    return id;
  };
  const c = 64;
  const shape = [1, c, 56, 56];
  const convParams = c * c * 9;
  const convMacs = convParams * 56 * 56;
  let x = node("input", "Input", "input", [], [1, 3, 224, 224]);
  x = node("conv1", "Conv2d", "conv", [x], shape, { params: 3 * c * 49, macs: 3 * c * 49 * 112 * 112 });
  for (let b = 0; b < syntheticBlocks(layers); b++) {
    const s = `layer/${b}`;
    const fork = x;
    let y = node(`${s}/conv1`, "Conv2d", "conv", [fork], shape, { params: convParams, macs: convMacs, scope: `${s}/conv1` });
    y = node(`${s}/bn1`, "BatchNorm2d", "norm", [y], shape, { params: 2 * c, scope: `${s}/bn1` });
    y = node(`${s}/relu`, "ReLU", "activation", [y], shape, { scope: `${s}/relu` });
    y = node(`${s}/conv2`, "Conv2d", "conv", [y], shape, { params: convParams, macs: convMacs, scope: `${s}/conv2` });
    y = node(`${s}/bn2`, "BatchNorm2d", "norm", [y], shape, { params: 2 * c, scope: `${s}/bn2` });
    y = node(`${s}/add`, "add", "merge", [y, fork], shape, { scope: `${s}/add` });
    x = node(`${s}/relu_2`, "ReLU", "activation", [y], shape, { scope: `${s}/relu_2` });
  }
  x = node("pool", "AdaptiveAvgPool2d", "pooling", [x], [1, c]);
  node("fc", "Linear", "dense", [x], [1, 1000], { params: c * 1000 + 1000, macs: c * 1000 });
  const params = nodes.reduce((p, n) => p + n.params, 0);
  return {
    version: IR_VERSION,
    framework: "pytorch",
    file: `synthetic-${layers}.py`,
    entry: `resnet_${layers}()`,
    modelName: `ResNet${nodes.length}`,
    inputs: ["input"],
    outputs: ["fc"],
    inputShapes: [[1, 3, 224, 224]],
    nodes,
    paramTotals: { params, trainableParams: params, nonTrainableParams: 0, buffers: 0 },
  };
}

/** What a host sends the view for an analysed IR. */
export function snapshotOf(ir: GraphIR, diagnostics: Snapshot["diagnostics"] = []): Snapshot {
  return { file: ir.file, documentVersion: 0, ir, summary: summarize(ir, diagnostics), diagnostics, entries: [], entry: ir.entry, view: initialViewState() };
}
