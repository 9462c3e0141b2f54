// Lowerings that compute in the framework's own axis order: a PyTorch 4-D tensor is held NHWC in the
// built computation, but attention code's [batch, heads, tokens, dim] tensors are not images, so
// matmul, softmax over any axis and chunk/split run on the NCHW-order view and hand their result
// back in the built layout (one transpose each way, none for other ranks or Keras).

import { toBuiltOrder, toFrameworkOrder } from "./layout";
import { type Lowering, type LoweringContext, type Run, num } from "./lower-types";
import type { Tf, TfTensor } from "./tf-api";

function transposed(tf: Tf, x: TfTensor, perm: number[]): TfTensor {
  return perm.every((a, i) => a === i) ? x : tf.transpose(x, perm);
}

/** `f` on the inputs in framework order; its result (framework order) back in the built layout. */
export function inFrameworkOrder(c: LoweringContext, f: (xs: TfTensor[]) => TfTensor): Run {
  const { tf } = c;
  const toFramework = c.inShapes.map((s) => toFrameworkOrder(c.framework, s));
  const toBuilt = toBuiltOrder(c.framework, c.node.shape ?? []);
  return (xs) => tf.tidy(() => transposed(tf, f(xs.map((x, i) => transposed(tf, x, toFramework[i]))), toBuilt));
}

/** torch.matmul / `@` on tensors of equal rank (2 or more; leading dims broadcast as batch). */
export const lowerMatmul: Lowering = (c) => {
  const ranks = c.inShapes.map((s) => s.length);
  if (ranks.length !== 2 || ranks[0] !== ranks[1] || ranks[0] < 2) {
    return `${c.node.op} of rank-${ranks.join(" by rank-")} tensors is not profiled (only equal ranks of 2 or more).`;
  }
  return inFrameworkOrder(c, ([a, b]) => c.tf.matMul(a, b));
};

/** softmax / log_softmax over a framework axis that is not the built tensor's last one. */
export function softmaxOnAxis(c: LoweringContext, axis: number, log: boolean): Run {
  const rank = c.inShapes[0].length;
  const a = axis < 0 ? axis + rank : axis;
  const swap = Array.from({ length: rank }, (_, i) => (i === a ? rank - 1 : i === rank - 1 ? a : i));
  const { tf } = c;
  return inFrameworkOrder(c, ([x]) => {
    const moved = transposed(tf, x, swap);
    return transposed(tf, log ? tf.logSoftmax(moved) : tf.softmax(moved), swap);
  });
}

/** One piece of chunk / split: the slice [start, start + size) along the piece's dim. */
export const lowerPiece: Lowering = (c) => {
  const dim = num(c.node.attrs, "dim");
  const start = num(c.node.attrs, "start");
  const outShape = c.node.shape;
  const inShape = c.inShapes[0];
  if (dim === undefined || start === undefined || !outShape || !inShape) return `${c.node.op} does not record where its piece starts; not profiled.`;
  const size = outShape[dim];
  if (size === null || size === undefined) return `${c.node.op}'s piece has an unknown size; not profiled.`;
  const begin = inShape.map((_, i) => (i === dim ? start : 0));
  const sizes = inShape.map((_, i) => (i === dim ? size : -1));
  return inFrameworkOrder(c, ([x]) => c.tf.slice(x, begin, sizes));
};
