// Lowerings of the weight-free nodes: activations, elementwise merges (also with a scalar),
// concatenation, reshapes (in PyTorch's element order), zero padding and identities.

import { activationKey, activationNameOf, applyActivation, isKnownActivation, isSoftmax } from "./activations";
import { builtAxis, isConverted, TO_NCHW, TO_NHWC } from "./layout";
import { type Lowering, num, pair, str } from "./lower-types";
import type { Tf, TfTensor } from "./tf-api";
import { softmaxOnAxis } from "./lower-framework-order";

export const lowerActivation: Lowering = (c) => {
  const { tf, node } = c;
  const name = activationNameOf(node, c.framework);
  if (!name || !isKnownActivation(name)) return `The activation ${node.op}${name && name !== node.op ? ` ('${name}')` : ""} is not supported by the profiler.`;
  const shape = c.inShapes[0];
  if (isSoftmax(name) && shape) {
    // tf.softmax works on the last axis; PyTorch's `dim` / Keras's `axis` must land there.
    const declared = num(node.attrs, "dim") ?? num(node.attrs, "axis") ?? -1;
    const axis = builtAxis(c.framework, shape, declared);
    if (axis !== c.inBuilt[0].length - 1) return softmaxOnAxis(c, declared, activationKey(name) === "logsoftmax");
  }
  if (activationKey(name) === "leakyrelu") {
    const alpha = num(node.attrs, "negative_slope") ?? num(node.attrs, "alpha") ?? 0.01;
    return (xs) => tf.leakyRelu(xs[0], alpha);
  }
  return (xs) => applyActivation(tf, name, xs[0]);
};

type Binary = (tf: Tf, a: TfTensor, b: TfTensor) => TfTensor;
const BINARY: Record<string, Binary> = {
  add: (tf, a, b) => tf.add(a, b),
  subtract: (tf, a, b) => tf.sub(a, b),
  sub: (tf, a, b) => tf.sub(a, b),
  multiply: (tf, a, b) => tf.mul(a, b),
  mul: (tf, a, b) => tf.mul(a, b),
  divide: (tf, a, b) => tf.div(a, b),
  div: (tf, a, b) => tf.div(a, b),
  truedivide: (tf, a, b) => tf.div(a, b),
  maximum: (tf, a, b) => tf.maximum(a, b),
  minimum: (tf, a, b) => tf.minimum(a, b),
};

type Scalar = (tf: Tf, x: TfTensor, s: number, tensorFirst: boolean) => TfTensor;
const SCALAR: Record<string, Scalar> = {
  add: (tf, x, s) => tf.add(x, s),
  mul: (tf, x, s) => tf.mul(x, s),
  multiply: (tf, x, s) => tf.mul(x, s),
  sub: (tf, x, s, first) => (first ? tf.sub(x, s) : tf.sub(s, x)),
  subtract: (tf, x, s, first) => (first ? tf.sub(x, s) : tf.sub(s, x)),
  div: (tf, x, s, first) => (first ? tf.div(x, s) : tf.div(s, x)),
  divide: (tf, x, s, first) => (first ? tf.div(x, s) : tf.div(s, x)),
  truedivide: (tf, x, s, first) => (first ? tf.div(x, s) : tf.div(s, x)),
};

/** Elementwise merges: Keras Add/Multiply/... (n inputs), PyTorch `a + b`, and tensor-scalar math. */
export const lowerElementwise: Lowering = (c) => {
  const { tf, node } = c;
  const kind = activationKey(str(node.attrs, "mergeKind") ?? node.op);
  if (c.inBuilt.length === 1) {
    const f = SCALAR[kind];
    const scalar = num(node.attrs, "scalar") ?? num(node.attrs, "operand");
    if (!f || scalar === undefined) return `${node.op} with one tensor operand and no known scalar is not profiled.`;
    const tensorFirst = node.attrs.reversed !== true && node.attrs.tensorOnLeft !== false;
    return (xs) => f(tf, xs[0], scalar, tensorFirst);
  }
  const ranks = new Set(c.inShapes.map((s) => s.length));
  if (ranks.size > 1 && c.inShapes.some((s) => isConverted(c.framework, s))) {
    return `${node.op} broadcasts a 4-D PyTorch tensor against a lower-rank one, which does not carry over to NHWC; not profiled.`;
  }
  if (kind === "add" && c.inBuilt.length > 2) return (xs) => tf.addN(xs);
  if (kind === "average") {
    return (xs) => {
      const sum = tf.addN(xs);
      const out = tf.mul(sum, 1 / xs.length);
      sum.dispose();
      return out;
    };
  }
  const f = BINARY[kind];
  if (!f) return `The merge ${node.op} is not supported by the profiler.`;
  return (xs) => {
    let acc = f(tf, xs[0], xs[1]);
    for (const x of xs.slice(2)) {
      const next = f(tf, acc, x);
      acc.dispose();
      acc = next;
    }
    return acc;
  };
};

export const lowerConcat: Lowering = (c) => {
  const { tf, node } = c;
  const shape = c.inShapes[0];
  if (!shape) return `${node.op} has no inputs.`;
  const declared = num(node.attrs, "dim") ?? num(node.attrs, "axis") ?? (c.framework === "keras" ? -1 : 0);
  const axis = builtAxis(c.framework, shape, declared);
  return (xs) => tf.concat(xs, axis);
};

/**
 * view / reshape / flatten / Flatten / Reshape. A converted (NHWC) PyTorch tensor goes back to NCHW
 * before the reshape, so elements land where PyTorch puts them and the shape equals the analyzer's.
 */
export const lowerReshape: Lowering = (c) => {
  const { tf, node } = c;
  const inShape = c.inShapes[0];
  const outShape = node.shape;
  if (!inShape || !outShape) return `${node.op} has an unknown shape.`;
  const fromNhwc = isConverted(c.framework, inShape);
  const toNhwc = isConverted(c.framework, outShape);
  if (!fromNhwc && !toNhwc) return (xs) => tf.reshape(xs[0], c.outBuilt);
  const target = [c.batch, ...(outShape.slice(1) as number[])];
  return (xs) => {
    const nchw = fromNhwc ? tf.transpose(xs[0], TO_NCHW) : xs[0];
    const reshaped = tf.reshape(nchw, target);
    if (nchw !== xs[0]) nchw.dispose();
    if (!toNhwc) return reshaped;
    const out = tf.transpose(reshaped, TO_NHWC);
    reshaped.dispose();
    return out;
  };
};

/** Keras ZeroPadding2D ([[top, bottom], [left, right]]) and PyTorch F.pad ([left, right, top, bottom]). */
export const lowerZeroPadding: Lowering = (c) => {
  const { tf, node } = c;
  if (c.inBuilt[0]?.length !== 4) return `${node.op} is profiled only on a 4-D input.`;
  const p = node.attrs.padding ?? node.attrs.pad;
  let hw: [[number, number], [number, number]] | undefined;
  if (c.framework === "keras" && Array.isArray(p) && p.length === 2 && p.every((r) => Array.isArray(r))) {
    hw = p as [[number, number], [number, number]];
  } else if (c.framework === "pytorch" && Array.isArray(p) && p.length === 4 && p.every((v) => typeof v === "number")) {
    if ((str(node.attrs, "mode") ?? "constant") !== "constant") return `${node.op} in mode '${String(node.attrs.mode)}' is not profiled.`;
    const [l, r, t, b] = p as number[];
    hw = [[t, b], [l, r]];
  } else {
    const sym = pair(node.attrs, "padding");
    if (sym) hw = [[sym[0], sym[0]], [sym[1], sym[1]]];
  }
  if (!hw) return `${node.op} does not record its padding in a form the profiler reads.`;
  const pads: [number, number][] = [[0, 0], hw[0], hw[1], [0, 0]];
  return (xs) => tf.pad(xs[0], pads);
};

/** Dropout (inference), Identity: the input itself, no kernel. */
export const lowerIdentity: Lowering = (c) => (c.inBuilt.length === 1 ? (xs) => xs[0] : `${c.node.op} with ${c.inBuilt.length} inputs is not an identity.`);

