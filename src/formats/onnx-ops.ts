// Shape inference and MACs for the common ONNX ops (NCHW), following the ONNX operator spec and
// counting MACs the way the PyTorch stubs do (conv: per output element; Gemm/MatMul: M*N*K;
// batch counted as given, an unknown batch as 1). Ops not listed here are opaque: their output
// shape comes from the file's value_info when it declares one.

import type { Dim, JsonValue, NodeCategory, Shape } from "../ir/types";
import { type OnnxAttribute, toNum } from "./onnx-schema";
import { broadcastShapes } from "../frameworks/broadcast";

export interface OpInput {
  op: string;
  attr: Map<string, OnnxAttribute>;
  /** Shapes of the inputs in order ("" inputs are null). */
  shapes: (Shape | null)[];
  /** Values of constant int64 inputs (Reshape target, Pad amounts), when the file holds them. */
  consts: (number[] | undefined)[];
}

export interface OpOutput {
  shape: Shape | null;
  macs: number;
  attrs: Record<string, JsonValue>;
  /** A sentence when the inputs do not fit the op. */
  problem?: string;
}

const ACTIVATIONS = new Set(["Relu", "Clip", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Softmax", "LogSoftmax", "Elu", "Selu", "Gelu", "Erf", "PRelu", "Softplus", "Mish"]);
const ELEMENTWISE = new Set(["Add", "Sub", "Mul", "Div", "Sum", "Max", "Min", "Pow"]);
const SAME_SHAPE = new Set(["Identity", "Dropout", "Cast", "Neg", "Sqrt", "Exp", "Abs", "LRN", "InstanceNormalization", "LayerNormalization"]);

export function categoryOf(op: string, constOperands: number): NodeCategory {
  if (op === "Conv" || op === "ConvTranspose") return "conv";
  if (op === "Gemm" || op === "MatMul") return "dense";
  if (op === "BatchNormalization" || op === "InstanceNormalization" || op === "LayerNormalization") return "norm";
  if (ACTIVATIONS.has(op)) return "activation";
  if (/Pool$/.test(op)) return "pooling";
  if (op === "Concat") return "merge";
  if (ELEMENTWISE.has(op)) return constOperands > 0 ? "math" : "merge";
  if (["Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Pad"].includes(op)) return "reshape";
  if (op === "Dropout") return "dropout";
  if (op === "Identity" || op === "Cast") return "math";
  return "opaque";
}

export function isModelledOp(op: string): boolean {
  return (
    ACTIVATIONS.has(op) ||
    ELEMENTWISE.has(op) ||
    SAME_SHAPE.has(op) ||
    ["Conv", "Gemm", "MatMul", "BatchNormalization", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Flatten", "Reshape", "Pad"].includes(op)
  );
}

const ints = (a: OnnxAttribute | undefined): number[] | undefined => (a?.ints && a.ints.length ? a.ints.map(toNum) : undefined);
const int = (a: OnnxAttribute | undefined, d: number): number => (a?.i !== undefined ? toNum(a.i) : d);
const text = (a: OnnxAttribute | undefined, d: string): string => (a?.s ? new TextDecoder().decode(a.s) : d);
const prod = (ds: Dim[]): Dim => ds.reduce<Dim>((p, d) => (p === null || d === null ? null : p * d), 1);
const batchAsOne = (d: Dim): number => d ?? 1;

/** Output size of a conv/pool window along one axis (ONNX auto_pad and explicit pads). */
function windowOut(len: Dim, k: number, s: number, d: number, padBegin: number, padEnd: number, autoPad: string, ceil: boolean): Dim {
  if (len === null) return null;
  if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") return Math.ceil(len / s);
  const eff = (k - 1) * d + 1;
  const pads = autoPad === "VALID" ? 0 : padBegin + padEnd;
  const span = len + pads - eff;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // PyTorch's rule: the last window must start inside the input or the left padding.
  if (ceil && (out - 1) * s >= len + padBegin) out--;
  return out;
}

function window(x: OpInput, kernel: number[]): { spatial: Dim[]; attrs: Record<string, JsonValue> } | undefined {
  const inp = x.shapes[0];
  if (!inp || inp.length !== kernel.length + 2) return undefined;
  const n = kernel.length;
  const strides = ints(x.attr.get("strides")) ?? kernel.map(() => 1);
  const dil = ints(x.attr.get("dilations")) ?? kernel.map(() => 1);
  const pads = ints(x.attr.get("pads")) ?? new Array(2 * n).fill(0);
  const autoPad = text(x.attr.get("auto_pad"), "NOTSET");
  const ceil = int(x.attr.get("ceil_mode"), 0) === 1;
  const spatial = kernel.map((k, i) => windowOut(inp[2 + i], k, strides[i], dil[i], pads[i], pads[i + n], autoPad, ceil));
  const attrs: Record<string, JsonValue> = { kernel_shape: kernel, strides, pads, dilations: dil };
  if (autoPad !== "NOTSET") attrs.auto_pad = autoPad;
  return { spatial, attrs };
}

export function inferOp(x: OpInput): OpOutput {
  const [a, b] = x.shapes;
  const op = x.op;
  if (ACTIVATIONS.has(op) || SAME_SHAPE.has(op) || op === "BatchNormalization") {
    const attrs: Record<string, JsonValue> = {};
    if (op === "BatchNormalization") attrs.epsilon = x.attr.get("epsilon")?.f ?? 1e-5;
    if (op === "Softmax" || op === "LogSoftmax") attrs.axis = int(x.attr.get("axis"), -1);
    return { shape: a ?? null, macs: 0, attrs };
  }
  if (ELEMENTWISE.has(op)) {
    const present = x.shapes.filter((s): s is Shape => s !== null);
    if (present.length < x.shapes.length || present.length === 0) return { shape: present[0] ?? null, macs: 0, attrs: {} };
    let out: Shape | undefined = present[0];
    for (const s of present.slice(1)) out = out && broadcastShapes(out, s);
    if (!out) return { shape: null, macs: 0, attrs: {}, problem: `${op} cannot broadcast shapes ${present.map(fmt).join(" and ")}` };
    return { shape: out, macs: 0, attrs: op === "Add" ? { mergeKind: "add" } : {} };
  }
  switch (op) {
    case "Conv": {
      if (!a || !b) return unknownInputs();
      const kernel = ints(x.attr.get("kernel_shape")) ?? (b.slice(2) as number[]);
      const group = int(x.attr.get("group"), 1);
      const w = window(x, kernel);
      if (!w || b[0] === null) return { shape: null, macs: 0, attrs: {}, problem: `Conv expects a ${kernel.length + 2}D input, got ${fmt(a)}` };
      const cout = b[0];
      const cin = a[1];
      if (cin !== null && b[1] !== null && cin !== b[1] * group) {
        return { shape: null, macs: 0, attrs: {}, problem: `Conv expects ${(b[1] ?? 0) * group} input channels (weight ${fmt(b)}, group ${group}), got ${cin}` };
      }
      const shape: Shape = [a[0], cout, ...w.spatial];
      const area = prod(w.spatial);
      const kprod = kernel.reduce((p, k) => p * k, 1);
      const macs = area === null || cin === null ? 0 : batchAsOne(a[0]) * area * cout * (cin / group) * kprod;
      return { shape, macs, attrs: { ...w.attrs, group, out_channels: cout, in_channels: cin } };
    }
    case "MaxPool":
    case "AveragePool": {
      const kernel = ints(x.attr.get("kernel_shape"));
      if (!a) return unknownInputs();
      const w = kernel && window(x, kernel);
      if (!w) return { shape: null, macs: 0, attrs: {}, problem: `${op} needs kernel_shape and an N-d input, got ${fmt(a)}` };
      return { shape: [a[0], a[1], ...w.spatial], macs: 0, attrs: w.attrs };
    }
    case "GlobalAveragePool":
    case "GlobalMaxPool":
      if (!a) return unknownInputs();
      return { shape: [a[0], a[1], ...a.slice(2).map(() => 1)], macs: 0, attrs: {} };
    case "Gemm": {
      if (!a || !b || a.length !== 2 || b.length !== 2) return a && b ? { shape: null, macs: 0, attrs: {}, problem: `Gemm expects 2D operands, got ${fmt(a)} and ${fmt(b)}` } : unknownInputs();
      const ta = int(x.attr.get("transA"), 0) === 1;
      const tb = int(x.attr.get("transB"), 0) === 1;
      const [m, k] = ta ? [a[1], a[0]] : [a[0], a[1]];
      const [k2, n] = tb ? [b[1], b[0]] : [b[0], b[1]];
      if (k !== null && k2 !== null && k !== k2) return { shape: null, macs: 0, attrs: {}, problem: `Gemm's inner dimensions differ: ${k} vs ${k2}` };
      return { shape: [m, n], macs: n === null || (k ?? k2) === null ? 0 : batchAsOne(m) * n * (k ?? k2)!, attrs: { transA: ta ? 1 : 0, transB: tb ? 1 : 0, out_features: n, in_features: k ?? k2 } };
    }
    case "MatMul": {
      if (!a || !b) return unknownInputs();
      const A = a.length === 1 ? [1, a[0]] : a;
      const B = b.length === 1 ? [b[0], 1] : b;
      const k = A[A.length - 1];
      const k2 = B[B.length - 2];
      if (k !== null && k2 !== null && k !== k2) return { shape: null, macs: 0, attrs: {}, problem: `MatMul's inner dimensions differ: ${fmt(a)} x ${fmt(b)}` };
      const lead = broadcastShapes(A.slice(0, -2), B.slice(0, -2));
      if (!lead) return { shape: null, macs: 0, attrs: {}, problem: `MatMul cannot broadcast ${fmt(a)} with ${fmt(b)}` };
      const shape: Shape = [...lead, ...(a.length === 1 ? [] : [A[A.length - 2]]), ...(b.length === 1 ? [] : [B[B.length - 1]])];
      const n = A[A.length - 2];
      const m = B[B.length - 1];
      const batch = prod(lead.map((d, i) => (i === 0 ? batchAsOne(d) : d)));
      const macs = batch === null || m === null || (k ?? k2) === null ? 0 : batch * batchAsOne(n) * m * (k ?? k2)!;
      return { shape, macs, attrs: {} };
    }
    case "Concat": {
      const axis = int(x.attr.get("axis"), 1);
      const present = x.shapes.filter((s): s is Shape => s !== null);
      if (present.length !== x.shapes.length || present.length === 0) return unknownInputs();
      const rank = present[0].length;
      const ax = axis < 0 ? axis + rank : axis;
      const out = [...present[0]];
      out[ax] = present.reduce<Dim>((s, p) => (s === null || p[ax] === null ? null : s + (p[ax] as number)), 0);
      return { shape: out, macs: 0, attrs: { axis } };
    }
    case "Flatten": {
      if (!a) return unknownInputs();
      const axis = int(x.attr.get("axis"), 1);
      const ax = axis < 0 ? axis + a.length : axis;
      return { shape: [prod(a.slice(0, ax)), prod(a.slice(ax))], macs: 0, attrs: { axis } };
    }
    case "Reshape": {
      const target = x.consts[1];
      if (!a || !target) return { shape: null, macs: 0, attrs: {} };
      const allowZero = int(x.attr.get("allowzero"), 0) === 1;
      const out: Shape = target.map((d, i) => (d === 0 && !allowZero ? a[i] ?? null : d));
      const minus = out.indexOf(-1);
      if (minus >= 0) {
        const total = prod(a);
        const rest = prod(out.filter((_, i) => i !== minus));
        out[minus] = total === null || rest === null || rest === 0 ? null : total / rest;
      }
      return { shape: out, macs: 0, attrs: { shape: target } };
    }
    case "Pad": {
      if (!a) return unknownInputs();
      const pads = x.consts[1] ?? ints(x.attr.get("pads"));
      if (!pads || pads.length !== 2 * a.length) return { shape: null, macs: 0, attrs: {} };
      return { shape: a.map((d, i) => (d === null ? null : d + pads[i] + pads[i + a.length])), macs: 0, attrs: { pads, mode: text(x.attr.get("mode"), "constant") } };
    }
  }
  return { shape: null, macs: 0, attrs: {} };
}

function unknownInputs(): OpOutput {
  return { shape: null, macs: 0, attrs: {} };
}

export function fmt(s: Shape | null | undefined): string {
  return s ? `[${s.map((d) => (d === null ? "?" : d)).join(", ")}]` : "[?]";
}
