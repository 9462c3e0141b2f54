// Tiny hand-built GraphIR fixtures for the analysis and CLI tests.

import { IR_VERSION, type Framework, type GraphIR, type IRNode, type JsonValue, type NodeCategory, type Shape } from "../../src/ir/types";

export interface NodeOptions {
  params?: number;
  /** Defaults to `params` (everything trainable). */
  trainableParams?: number;
  buffers?: number;
  macs?: number;
  scope?: string;
  name?: string;
  attrs?: Record<string, JsonValue>;
  reuseOf?: string;
  line?: number;
}

/** Builds an IR node by node; inputs refer to earlier ids. paramTotals are summed from the nodes. */
export class IRBuilder {
  readonly nodes: IRNode[] = [];
  private readonly byId = new Map<string, IRNode>();
  private readonly inputIds: string[] = [];

  constructor(private readonly framework: Framework = "pytorch") {}

  input(id: string, shape: Shape): string {
    this.inputIds.push(id);
    return this.node(id, "Input", "input", [], shape, { name: id });
  }

  node(id: string, op: string, category: NodeCategory, inputs: string[], shape: Shape | null, o: NodeOptions = {}): string {
    const byId = this.byId;
    const params = o.params ?? 0;
    const trainable = o.trainableParams ?? params;
    const scope = o.scope ?? "";
    const node: IRNode = {
      id,
      op,
      category,
      name: o.name ?? (scope.split("/").pop() || id),
      attrs: o.attrs ?? {},
      inputs,
      shape,
      inputShapes: inputs.map((i) => byId.get(i)?.shape ?? null),
      params,
      trainableParams: trainable,
      nonTrainableParams: params - trainable,
      buffers: o.buffers ?? 0,
      macs: o.macs ?? 0,
      scope,
    };
    if (o.reuseOf !== undefined) node.reuseOf = o.reuseOf;
    if (o.line !== undefined) {
      const range = { start: { line: o.line - 1, character: 4 }, end: { line: o.line - 1, character: 20 } };
      node.applied = { file: "model.py", range, stack: [] };
    }
    this.nodes.push(node);
    byId.set(id, node);
    return id;
  }

  build(outputs: string[] = [this.nodes[this.nodes.length - 1].id], modelName = "Net"): GraphIR {
    const total = (f: (n: IRNode) => number) => this.nodes.reduce((s, n) => s + f(n), 0);
    return {
      version: IR_VERSION,
      framework: this.framework,
      file: "model.py",
      entry: `${modelName}()`,
      modelName,
      inputs: this.inputIds,
      outputs,
      inputShapes: this.inputIds.map((id) => this.byId.get(id)!.shape!),
      nodes: this.nodes,
      paramTotals: {
        params: total((n) => n.params),
        trainableParams: total((n) => n.trainableParams),
        nonTrainableParams: total((n) => n.nonTrainableParams),
        buffers: total((n) => n.buffers),
      },
    };
  }
}

/** Conv params without bias: k*k*cin*cout; MACs = params * output pixels. */
function conv(b: IRBuilder, id: string, from: string, cin: number, cout: number, k: number, hw: number, scope: string): string {
  const params = k * k * cin * cout;
  return b.node(id, "Conv2d", "conv", [from], [1, cout, hw, hw], { params, macs: params * hw * hw, scope });
}

function bn(b: IRBuilder, id: string, from: string, c: number, hw: number, scope: string): string {
  return b.node(id, "BatchNorm2d", "norm", [from], [1, c, hw, hw], { params: 2 * c, buffers: 2 * c, scope });
}

function relu(b: IRBuilder, id: string, from: string, c: number, hw: number, scope: string, reuseOf?: string): string {
  return b.node(id, "ReLU", "activation", [from], [1, c, hw, hw], { scope, reuseOf });
}

/**
 * A 2-block CIFAR-style ResNet (PyTorch layout):
 * input 3x32x32 -> conv1(16) -> bn1 -> relu
 *   -> layer1/0: conv-bn-relu-conv-bn + identity, add -> relu          (16x32x32)
 *   -> layer2/0: conv(s2)-bn-relu-conv-bn + conv1x1(s2)-bn, add -> relu (32x16x16)
 *   -> avgpool -> flatten-free [1, 32] -> fc(10)
 * Params 19,994; MACs 8,831,296; depth 6.
 */
export function tinyResNet(): GraphIR {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 3, 32, 32]);
  conv(b, "conv1", "x", 3, 16, 3, 32, "conv1");
  bn(b, "bn1", "conv1", 16, 32, "bn1");
  relu(b, "relu", "bn1", 16, 32, "relu");

  conv(b, "layer1.0.conv1", "relu", 16, 16, 3, 32, "layer1/0/conv1");
  bn(b, "layer1.0.bn1", "layer1.0.conv1", 16, 32, "layer1/0/bn1");
  relu(b, "layer1.0.relu", "layer1.0.bn1", 16, 32, "layer1/0/relu");
  conv(b, "layer1.0.conv2", "layer1.0.relu", 16, 16, 3, 32, "layer1/0/conv2");
  bn(b, "layer1.0.bn2", "layer1.0.conv2", 16, 32, "layer1/0/bn2");
  b.node("layer1.0.add", "add", "merge", ["layer1.0.bn2", "relu"], [1, 16, 32, 32], { scope: "layer1/0", name: "add" });
  relu(b, "layer1.0.relu_1", "layer1.0.add", 16, 32, "layer1/0/relu", "layer1.0.relu");

  conv(b, "layer2.0.conv1", "layer1.0.relu_1", 16, 32, 3, 16, "layer2/0/conv1");
  bn(b, "layer2.0.bn1", "layer2.0.conv1", 32, 16, "layer2/0/bn1");
  relu(b, "layer2.0.relu", "layer2.0.bn1", 32, 16, "layer2/0/relu");
  conv(b, "layer2.0.conv2", "layer2.0.relu", 32, 32, 3, 16, "layer2/0/conv2");
  bn(b, "layer2.0.bn2", "layer2.0.conv2", 32, 16, "layer2/0/bn2");
  conv(b, "layer2.0.downsample.0", "layer1.0.relu_1", 16, 32, 1, 16, "layer2/0/downsample/0");
  bn(b, "layer2.0.downsample.1", "layer2.0.downsample.0", 32, 16, "layer2/0/downsample/1");
  b.node("layer2.0.add", "add", "merge", ["layer2.0.bn2", "layer2.0.downsample.1"], [1, 32, 16, 16], {
    scope: "layer2/0",
    name: "add",
  });
  relu(b, "layer2.0.relu_1", "layer2.0.add", 32, 16, "layer2/0/relu", "layer2.0.relu");

  b.node("avgpool", "AdaptiveAvgPool2d", "pooling", ["layer2.0.relu_1"], [1, 32], { scope: "avgpool" });
  b.node("fc", "Linear", "dense", ["avgpool"], [1, 10], { params: 330, macs: 320, scope: "fc" });
  return b.build(["fc"], "TinyResNet");
}

/**
 * A chain of `blocks` basic blocks (7 nodes each: conv-bn-relu-conv-bn-add-relu), every 10th with a
 * 1x1 projection shortcut (2 more nodes). Used to guard against quadratic behaviour.
 */
export function blockChain(blocks: number): GraphIR {
  const b = new IRBuilder("pytorch");
  let x = b.input("x", [1, 8, 8, 8]);
  for (let i = 0; i < blocks; i++) {
    const s = `b${i}`;
    conv(b, `${s}.c1`, x, 8, 8, 3, 8, `${s}/c1`);
    bn(b, `${s}.n1`, `${s}.c1`, 8, 8, `${s}/n1`);
    relu(b, `${s}.r1`, `${s}.n1`, 8, 8, `${s}/r`);
    conv(b, `${s}.c2`, `${s}.r1`, 8, 8, 3, 8, `${s}/c2`);
    bn(b, `${s}.n2`, `${s}.c2`, 8, 8, `${s}/n2`);
    let shortcut = x;
    if (i % 10 === 0) {
      conv(b, `${s}.p`, x, 8, 8, 1, 8, `${s}/proj/0`);
      shortcut = bn(b, `${s}.pn`, `${s}.p`, 8, 8, `${s}/proj/1`);
    }
    b.node(`${s}.add`, "add", "merge", [`${s}.n2`, shortcut], [1, 8, 8, 8], { scope: s });
    x = relu(b, `${s}.r2`, `${s}.add`, 8, 8, `${s}/r`);
  }
  return b.build();
}
