// Writes torchvision-style ResNets as ONNX protobufs, node for node what torch.onnx.export emits
// with BatchNorm kept (training=TrainingMode.PRESERVE / no constant folding): Conv (no bias),
// BatchNormalization, Relu, MaxPool, Add, GlobalAveragePool, Flatten, Gemm; PyTorch's node names
// ("/layer1/layer1.0/conv1/Conv") and initializer names ("layer1.0.conv1.weight").
// `payload: true` writes real-size raw_data (zeros) so files are as big as real exports.

import protobuf from "protobufjs/light.js";
import { ONNX_DESCRIPTOR } from "../../src/formats/onnx-schema";

const FLOAT = 1;
const INT64 = 7;

interface Attr { name: string; type: number; i?: number; ints?: number[]; f?: number }
const ints = (name: string, v: number[]): Attr => ({ name, type: 7, ints: v });
const int = (name: string, v: number): Attr => ({ name, type: 2, i: v });

export class OnnxGraphWriter {
  nodes: object[] = [];
  inits: object[] = [];
  private n = 0;
  constructor(readonly payload: boolean) {}

  init(name: string, dims: number[], dataType = FLOAT, raw?: Uint8Array): string {
    const count = dims.reduce((p, d) => p * d, 1);
    const rawData = raw ?? (this.payload ? new Uint8Array(count * 4) : undefined);
    this.inits.push({ name, dims, dataType, ...(rawData ? { rawData } : {}) });
    return name;
  }

  /** `mod` is the dotted module path ("layer1.0.conv1"); the name is the exporter's ("/layer1/layer1.0/conv1/Conv"). */
  node(op: string, mod: string, inputs: string[], attrs: Attr[] = []): string {
    const out = `/${mod}/${op}_output_${this.n++}`;
    this.nodes.push({ opType: op, name: `${exportName(mod)}/${op}`, input: inputs, output: [out], attribute: attrs });
    return out;
  }

  conv(x: string, mod: string, cin: number, cout: number, k: number, s: number, p: number): string {
    const w = this.init(`${mod}.weight`, [cout, cin, k, k]);
    return this.node("Conv", mod, [x, w], [
      ints("dilations", [1, 1]), int("group", 1), ints("kernel_shape", [k, k]), ints("pads", [p, p, p, p]), ints("strides", [s, s]),
    ]);
  }

  bn(x: string, mod: string, c: number): string {
    const ins = ["weight", "bias", "running_mean", "running_var"].map((t) => this.init(`${mod}.${t}`, [c]));
    return this.node("BatchNormalization", mod, [x, ...ins], [{ name: "epsilon", type: 1, f: 1e-5 }, { name: "momentum", type: 1, f: 0.9 }]);
  }
}

function exportName(mod: string): string {
  const out: string[] = [];
  for (const p of mod.split(".")) out.push(/^\d+$/.test(p) && out.length ? `${out[out.length - 1]}.${p}` : p);
  return "/" + out.join("/");
}

function block(g: OnnxGraphWriter, x: string, mod: string, cin: number, planes: number, stride: number, bottleneck: boolean): { y: string; cout: number } {
  const cout = bottleneck ? planes * 4 : planes;
  let y: string;
  if (bottleneck) {
    y = g.node("Relu", `${mod}.relu`, [g.bn(g.conv(x, `${mod}.conv1`, cin, planes, 1, 1, 0), `${mod}.bn1`, planes)]);
    y = g.node("Relu", `${mod}.relu_1`, [g.bn(g.conv(y, `${mod}.conv2`, planes, planes, 3, stride, 1), `${mod}.bn2`, planes)]);
    y = g.bn(g.conv(y, `${mod}.conv3`, planes, cout, 1, 1, 0), `${mod}.bn3`, cout);
  } else {
    y = g.node("Relu", `${mod}.relu`, [g.bn(g.conv(x, `${mod}.conv1`, cin, planes, 3, stride, 1), `${mod}.bn1`, planes)]);
    y = g.bn(g.conv(y, `${mod}.conv2`, planes, planes, 3, 1, 1), `${mod}.bn2`, planes);
  }
  let identity = x;
  if (stride !== 1 || cin !== cout) identity = g.bn(g.conv(x, `${mod}.downsample.0`, cin, cout, 1, stride, 0), `${mod}.downsample.1`, cout);
  const sum = g.node("Add", mod, [y, identity]);
  return { y: g.node("Relu", `${mod}.relu_2`, [sum]), cout };
}

/** torchvision resnet18 ([2,2,2,2], basic) / resnet50 ([3,4,6,3], bottleneck), input 1x3xSxS. */
export function resnetOnnx(layers: number[], bottleneck: boolean, opts: { payload?: boolean; size?: number; classes?: number } = {}): Uint8Array {
  const g = new OnnxGraphWriter(opts.payload ?? false);
  const size = opts.size ?? 224;
  const classes = opts.classes ?? 1000;
  let x = g.node("Relu", "relu", [g.bn(g.conv("input", "conv1", 3, 64, 7, 2, 3), "bn1", 64)]);
  x = g.node("MaxPool", "maxpool", [x], [int("ceil_mode", 0), ints("kernel_shape", [3, 3]), ints("pads", [1, 1, 1, 1]), ints("strides", [2, 2])]);
  let cin = 64;
  layers.forEach((n, stage) => {
    for (let b = 0; b < n; b++) {
      const r = block(g, x, `layer${stage + 1}.${b}`, cin, 64 * 2 ** stage, b === 0 && stage > 0 ? 2 : 1, bottleneck);
      x = r.y;
      cin = r.cout;
    }
  });
  x = g.node("GlobalAveragePool", "avgpool", [x]);
  x = g.node("Flatten", "Flatten", [x], [int("axis", 1)]);
  const w = g.init("fc.weight", [classes, cin]);
  const bias = g.init("fc.bias", [classes]);
  const out = g.node("Gemm", "fc", [x, w, bias], [{ name: "alpha", type: 1, f: 1 }, { name: "beta", type: 1, f: 1 }, int("transB", 1)]);
  const tensorType = (dims: number[]) => ({ tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } });
  (g.nodes[g.nodes.length - 1] as { output: string[] }).output = ["output"];
  void out;
  return encodeModel({
    irVersion: 8,
    producerName: "pytorch",
    producerVersion: "2.3.0",
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "main_graph",
      node: g.nodes,
      initializer: g.inits,
      input: [{ name: "input", type: tensorType([1, 3, size, size]) }],
      output: [{ name: "output", type: tensorType([1, classes]) }],
    },
  });
}

export function encodeModel(model: object): Uint8Array {
  const root = protobuf.Root.fromJSON(ONNX_DESCRIPTOR);
  const T = root.lookupType("onnx.ModelProto");
  // finish() gives a Node Buffer, whose slice() is a view: hand out a plain Uint8Array copy.
  return new Uint8Array(T.encode(T.fromObject(model)).finish());
}

export { INT64 as ONNX_INT64 };
