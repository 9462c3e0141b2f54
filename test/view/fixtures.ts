// Hand-built GraphIR fixtures for the graph-view tests, and fixed box sizes.

import { IRBuilder } from "../analysis/ir-fixtures";
import type { GraphIR } from "../../src/ir/types";
import type { NodeSizer } from "../../src/view/types";

/** Every node 160×40, every collapsed group 200×56. */
export const fixedSizer: NodeSizer = (item) => (item.kind === "node" ? { width: 160, height: 40 } : { width: 200, height: 56 });

/**
 * A residual network of `blocks` identity blocks (conv -> relu -> conv -> add(x) -> relu), after a
 * stem conv; 2 weighted layers per block, so blocks = 2,500 makes a 5,000-layer network.
 */
export function residualChain(blocks: number): GraphIR {
  const b = new IRBuilder("pytorch");
  const shape = [1, 16, 8, 8];
  const conv = { params: 2304, macs: 147456 };
  b.input("x", shape);
  let x = b.node("stem", "Conv2d", "conv", ["x"], shape, { ...conv, scope: "stem" });
  for (let i = 0; i < blocks; i++) {
    const s = `blocks/${i}`;
    b.node(`${s}/conv1`, "Conv2d", "conv", [x], shape, { ...conv, scope: `${s}/conv1` });
    b.node(`${s}/relu`, "ReLU", "activation", [`${s}/conv1`], shape, { scope: `${s}/relu` });
    b.node(`${s}/conv2`, "Conv2d", "conv", [`${s}/relu`], shape, { ...conv, scope: `${s}/conv2` });
    b.node(`${s}/add`, "add", "merge", [`${s}/conv2`, x], shape, { scope: s, name: "add" });
    x = b.node(`${s}/relu_1`, "ReLU", "activation", [`${s}/add`], shape, { scope: `${s}/relu`, name: "relu" });
  }
  b.node("fc", "Linear", "dense", [x], [1, 10], { params: 10250, macs: 10240, scope: "fc" });
  return b.build(["fc"], "ResidualChain");
}

/** input -> stem -> {1x1, 3x3 (reads the 1x1 too), pool} -> concat -> fc: the cross edge makes a bridge, so not series-parallel. */
export function inceptionWithBridge(): GraphIR {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 8, 8, 8]);
  b.node("stem", "Conv2d", "conv", ["x"], [1, 8, 8, 8], { params: 576, macs: 36864, scope: "stem" });
  b.node("b1", "Conv2d", "conv", ["stem"], [1, 8, 8, 8], { params: 64, macs: 4096, scope: "inc/b1" });
  b.node("b2", "Conv2d", "conv", ["stem", "b1"], [1, 8, 8, 8], { params: 576, macs: 36864, scope: "inc/b2" });
  b.node("b3", "MaxPool2d", "pooling", ["stem"], [1, 8, 8, 8], { scope: "inc/b3" });
  b.node("cat", "cat", "merge", ["b1", "b2", "b3"], [1, 24, 8, 8], { scope: "inc", attrs: { mergeKind: "concat" } });
  b.node("fc", "Linear", "dense", ["cat"], [1, 10], { params: 15370, macs: 15360, scope: "fc" });
  return b.build(["fc"], "Bridge");
}
