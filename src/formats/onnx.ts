// ONNX (`.onnx`): a protobuf ModelProto. Initializer dims give exact params without reading their
// payloads; nodes become IR nodes in file order with shapes inferred by onnx-ops.ts. Counting
// follows PyTorch: float initializers are params, except BatchNormalization's mean and variance
// (inputs 3 and 4), which are buffers as PyTorch's running stats are. (PyTorch also has a
// one-element num_batches_tracked buffer per BN that ONNX files do not carry.)

import { IR_VERSION, type Diagnostic, type GraphIR, type IRNode, type Shape } from "../ir/types";
import { type OnnxAttribute, type OnnxGraph, type OnnxModel, type OnnxTensor, type OnnxValueInfo, FLOAT_TYPES, INT64, OnnxDecodeError, decodeModel, toNum } from "./onnx-schema";
import { categoryOf, fmt, inferOp, isModelledOp } from "./onnx-ops";
import { type FormatResult, type ModelFormat, type OpenInput, ZERO_RANGE, bytesOf, diag, failed, messageOf } from "./types";

const LABEL = "ONNX model";

/** Protobuf decoder errors as a sentence with the byte offset the decoder had reached. */
function decodeProblem(name: string, size: number, e: unknown): string {
  const at = e instanceof OnnxDecodeError ? e.offset : undefined;
  const m = messageOf(e).replace(/\.$/, "");
  if (/index out of range/.test(m)) {
    return `${LABEL} '${name}' is truncated or corrupt: a field that starts before byte ${at ?? "?"} runs past the end of the data (file size ${size} bytes).`;
  }
  const wire = /invalid wire type (\d+)/.exec(m);
  if (wire) return `${LABEL} '${name}' is corrupt: invalid protobuf wire type ${wire[1]} near byte ${at ?? "?"}; it is not an ONNX file or it is damaged.`;
  return `${LABEL} '${name}' could not be decoded as an ONNX protobuf (${size} bytes): ${m} near byte ${at ?? "?"}.`;
}

function shapeOf(v: OnnxValueInfo | undefined): Shape | null {
  const dims = v?.type?.tensorType?.shape?.dim;
  if (!dims) return null;
  return dims.map((d) => (d.dimValue !== undefined && toNum(d.dimValue) > 0 ? toNum(d.dimValue) : null));
}

function numel(dims: number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

/** Values of a small int64 tensor (raw little-endian or int64_data); undefined for anything else. */
function int64Values(t: OnnxTensor): number[] | undefined {
  if (t.dataType !== INT64) return undefined;
  const dims = (t.dims ?? []).map(toNum);
  const n = numel(dims);
  if (n > 64) return undefined;
  if (t.int64Data && t.int64Data.length === n) return t.int64Data.map(toNum);
  const raw = t.rawData;
  if (!raw || raw.length !== n * 8) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number(view.getBigInt64(i * 8, true)));
  return out;
}

/** PyTorch exporter names ("/layer1/layer1.0/conv1/Conv") -> module path ("layer1/0/conv1"). */
export function scopeFromName(name: string): string {
  if (!name.startsWith("/")) return "";
  const parts = name.slice(1).split("/").slice(0, -1);
  const out: string[] = [];
  parts.forEach((p, i) => {
    const prev = parts[i - 1];
    out.push(prev && p.startsWith(prev + ".") ? p.slice(prev.length + 1) : p);
  });
  return out.join("/");
}

interface Tensor {
  producer: string;
  shape: Shape | null;
}

export function onnxToIR(file: string, model: OnnxModel): FormatResult {
  const diagnostics: Diagnostic[] = [];
  const warn = (message: string, code = "onnx"): void => void diagnostics.push(diag(file, message, code, "warning"));
  const graph: OnnxGraph | undefined = model.graph;
  if (!graph) return failed(file, `${LABEL} '${file}' has no graph (ModelProto field 7 is missing).`, "bad-onnx");
  const nodesIn = graph.node ?? [];
  if (nodesIn.length === 0) return failed(file, `${LABEL} '${file}' has a graph with no nodes (GraphProto field 1 is empty).`, "bad-onnx");

  const inits = new Map<string, OnnxTensor>();
  for (const t of graph.initializer ?? []) if (t.name) inits.set(t.name, t);
  const declared = new Map<string, Shape | null>();
  for (const v of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) if (v.name) declared.set(v.name, shapeOf(v));

  const tensors = new Map<string, Tensor>();
  const consts = new Map<string, number[]>();
  for (const [n, t] of inits) {
    const vals = int64Values(t);
    if (vals) consts.set(n, vals);
  }
  const nodes: IRNode[] = [];
  const ids = new Set<string>();
  const uniqueId = (stem: string): string => {
    let id = stem;
    for (let i = 1; ids.has(id); i++) id = `${stem}_${i}`;
    ids.add(id);
    return id;
  };
  const site = { file, range: ZERO_RANGE, stack: [] };

  const inputs: string[] = [];
  const inputShapes: Shape[] = [];
  for (const v of graph.input ?? []) {
    if (!v.name || inits.has(v.name)) continue; // old exporters list initializers as inputs too
    const shape = shapeOf(v);
    const id = uniqueId(v.name);
    nodes.push({ id, op: "Input", category: "input", name: v.name, attrs: {}, inputs: [], shape, inputShapes: [], params: 0, trainableParams: 0, nonTrainableParams: 0, buffers: 0, macs: 0, scope: "", created: site, applied: site });
    tensors.set(v.name, { producer: id, shape });
    inputs.push(id);
    inputShapes.push(shape ?? []);
  }
  if (inputs.length === 0) warn(`${LABEL} '${file}' declares no graph input besides its initializers (GraphProto field 11).`);

  const counted = new Set<string>();
  let params = 0;
  let buffers = 0;
  nodesIn.forEach((n, index) => {
    const op = n.opType || "";
    const label = `Node ${index}${n.name ? ` ('${n.name}')` : ""}`;
    if (!op) {
      warn(`${label} has no op_type (NodeProto field 4); it is shown as an opaque node.`, "bad-onnx");
    }
    const attr = new Map<string, OnnxAttribute>();
    for (const a of n.attribute ?? []) if (a.name) attr.set(a.name, a);
    const ins = n.input ?? [];
    if (op === "Constant") {
      const t = attr.get("value")?.t;
      const vals = t && int64Values(t);
      for (const o of n.output ?? []) {
        if (vals) consts.set(o, vals);
        tensors.set(o, { producer: "", shape: t ? (t.dims ?? []).map(toNum) : null });
      }
      return;
    }
    const shapes: (Shape | null)[] = [];
    const producers: string[] = [];
    const producerShapes: (Shape | null)[] = [];
    let nodeParams = 0;
    let nodeBuffers = 0;
    let constOperands = 0;
    ins.forEach((name, k) => {
      if (!name) return void shapes.push(null);
      const init = inits.get(name);
      if (init) {
        const dims = (init.dims ?? []).map(toNum);
        shapes.push(dims);
        constOperands++;
        if (!counted.has(name) && FLOAT_TYPES.has(init.dataType ?? 0)) {
          counted.add(name);
          if (op === "BatchNormalization" && k >= 3) nodeBuffers += numel(dims);
          else nodeParams += numel(dims);
        }
        return;
      }
      const t = tensors.get(name);
      if (!t) {
        warn(`${label} (${op}) reads tensor '${name}', which no earlier node, graph input or initializer produces.`, "bad-onnx");
        return void shapes.push(null);
      }
      shapes.push(t.shape);
      if (t.producer) {
        producers.push(t.producer);
        producerShapes.push(t.shape);
      } else constOperands++;
    });
    const inferred = isModelledOp(op) ? inferOp({ op, attr, shapes, consts: ins.map((i) => consts.get(i)) }) : { shape: null, macs: 0, attrs: {} };
    if ("problem" in inferred && inferred.problem) {
      diagnostics.push(diag(file, `${label} (${op}): ${inferred.problem}.`, "shape-mismatch", "error"));
    }
    const outs = n.output ?? [];
    const shape = inferred.shape ?? declared.get(outs[0] ?? "") ?? null;
    const id = uniqueId(n.name || `${op || "node"}_${index}`);
    const leaf = n.name ? n.name.replace(/\/[^/]*$/, "").split("/").pop() || n.name : `${op}_${index}`;
    const node: IRNode = {
      id,
      op: op || "Unknown",
      category: categoryOf(op, constOperands),
      name: leaf,
      attrs: { ...inferred.attrs, onnxNodeIndex: index, ...(n.domain ? { domain: n.domain } : {}) },
      inputs: producers,
      shape,
      inputShapes: producerShapes,
      params: nodeParams,
      trainableParams: nodeParams,
      nonTrainableParams: 0,
      buffers: nodeBuffers,
      macs: inferred.macs,
      scope: scopeFromName(n.name ?? ""),
      created: site,
      applied: site,
    };
    if (!isModelledOp(op)) node.opaque = `ONNX op '${op}' is not modelled; its output shape is ${shape ? "the one the file declares" : "unknown"}.`;
    nodes.push(node);
    params += nodeParams;
    buffers += nodeBuffers;
    outs.forEach((o, i) => tensors.set(o, { producer: id, shape: i === 0 ? shape : declared.get(o) ?? null }));
  });

  const outputs: string[] = [];
  for (const v of graph.output ?? []) {
    const t = v.name ? tensors.get(v.name) : undefined;
    if (t?.producer) outputs.push(t.producer);
    else warn(`Graph output '${v.name ?? ""}' is produced by no node.`, "bad-onnx");
  }
  const ir: GraphIR = {
    version: IR_VERSION,
    framework: /pytorch/i.test(model.producerName ?? "") ? "pytorch" : "unknown",
    file,
    entry: graph.name || "graph",
    modelName: graph.name || file.replace(/^.*[\\/]/, "").replace(/\.onnx$/i, ""),
    inputs,
    outputs,
    inputShapes,
    nodes,
    paramTotals: { params, trainableParams: params, nonTrainableParams: 0, buffers },
  };
  return { ir, diagnostics };
}

export const onnxFormat: ModelFormat = {
  id: "onnx",
  label: LABEL,
  match(name) {
    return /\.onnx$/i.test(name);
  },
  async open(name: string, input: OpenInput | Uint8Array): Promise<FormatResult> {
    const bytes = bytesOf(input);
    if (bytes.length === 0) return failed(name, `${LABEL} '${name}' is empty (0 bytes).`, "bad-onnx");
    let model: OnnxModel;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      model = decodeModel(bytes);
    } catch (e) {
      return failed(name, decodeProblem(name, bytes.length, e), "bad-onnx");
    } finally {
      Error.stackTraceLimit = limit;
    }
    try {
      return onnxToIR(name, model);
    } catch (e) {
      return failed(name, `${LABEL} '${name}' could not be turned into a graph: ${messageOf(e)}`, "internal");
    }
  },
};

export { fmt as formatOnnxShape };
