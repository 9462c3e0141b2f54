// nn.Unfold / nn.Fold and F.unfold / F.fold: sliding blocks of an image as columns (im2col) and back
// (col2im), as T2T-ViT's soft split builds its tokens. Pure rearrangements with overlap: no
// parameters, and no MACs (the multiply-accumulates come from the Linear that usually follows).
// Shapes follow the formulas in PyTorch's documentation of nn.Unfold and nn.Fold.

import { type NativeContext, type PyClass, type PyInstance, type PyTensor, type Value, int } from "../../interp/values";
import { toIntTuple } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { defineLayer, layerLabel, setAttrs } from "./define-layer";
import { moduleNode, opNode } from "./nodes";
import { convOut, formatShape } from "./shape-math";

/** kernel_size, dilation, padding and stride, each as one number per spatial dimension (two). */
export interface BlockConfig {
  kernel: number[];
  dilation: number[];
  padding: number[];
  stride: number[];
}

export function parseBlocks(ctx: NativeContext, a: Record<string, Value | undefined>): BlockConfig {
  return {
    kernel: toIntTuple(ctx, a.kernel_size, 2, "kernel_size"),
    dilation: toIntTuple(ctx, a.dilation, 2, "dilation", 1),
    padding: toIntTuple(ctx, a.padding, 2, "padding", 0),
    stride: toIntTuple(ctx, a.stride, 2, "stride", 1),
  };
}

const blockAttrs = (c: BlockConfig) => ({ kernel_size: c.kernel, dilation: c.dilation, padding: c.padding, stride: c.stride });
const product = (xs: readonly (number | null)[]): number | null => xs.reduce<number | null>((p, x) => (p === null || x === null ? null : p * x), 1);

/** Number of sliding blocks along each spatial dimension of `spatial`. */
const blockCounts = (spatial: Shape, c: BlockConfig): Shape => spatial.map((len, i) => convOut(len, c.kernel[i], c.stride[i], c.padding[i], c.dilation[i]));

/** A block layout's output: its shape (null when the rank is wrong) and what does not fit, if anything. */
export interface BlocksOut {
  shape: Shape | null;
  problem?: string;
}

/** Unfold: (N, C, H, W) or (C, H, W) -> (N, C * kh * kw, L), L the number of blocks. */
export function unfoldShape(shape: Shape, c: BlockConfig): BlocksOut {
  if (shape.length !== 3 && shape.length !== 4) return { shape: null, problem: `expects a 3-D or 4-D input, got a ${shape.length}-D tensor of shape ${formatShape(shape)}` };
  const counts = blockCounts(shape.slice(-2), c);
  const channels = shape[shape.length - 3];
  const out = [...shape.slice(0, -3), channels === null ? null : channels * c.kernel[0] * c.kernel[1], product(counts)];
  if (counts.some((n) => n !== null && n < 1)) {
    return { shape: out.map(() => null), problem: `the spatial size ${formatShape(shape.slice(-2))} is smaller than kernel_size ${formatShape(c.kernel)} with padding ${formatShape(c.padding)} and dilation ${formatShape(c.dilation)}` };
  }
  return { shape: out };
}

/**
 * Fold: (N, C * kh * kw, L) or (C * kh * kw, L) -> (N, C, *output_size). When the blocks do not
 * match output_size, the shape is still the one asked for (PyTorch raises; the graph goes on).
 */
export function foldShape(shape: Shape, outputSize: number[], c: BlockConfig): BlocksOut {
  if (shape.length !== 2 && shape.length !== 3) return { shape: null, problem: `expects a 2-D or 3-D input, got a ${shape.length}-D tensor of shape ${formatShape(shape)}` };
  const [cols, blocks] = shape.slice(-2);
  const perBlock = c.kernel[0] * c.kernel[1];
  const divides = cols === null || cols % perBlock === 0;
  const out = [...shape.slice(0, -2), cols === null || !divides ? null : cols / perBlock, ...outputSize];
  if (!divides) return { shape: out, problem: `the input's dimension ${shape.length - 2} (${cols}) is not divisible by the product of kernel_size ${formatShape(c.kernel)} (${perBlock})` };
  const counts = blockCounts(outputSize, c);
  const expected = product(counts);
  if (blocks !== null && expected !== null && blocks !== expected) {
    return { shape: out, problem: `output_size ${formatShape(outputSize)} makes ${counts.join(" * ")} = ${expected} sliding blocks, but the input's dimension ${shape.length - 1} is ${blocks}` };
  }
  return { shape: out };
}

/** The node of unfold/fold of `x`; what does not fit is reported at the user's line. */
export function blocksNode(ctx: NativeContext, op: "unfold" | "fold" | "Unfold" | "Fold", x: PyTensor, out: BlocksOut, attrs: Record<string, number[]>, layer?: PyInstance): PyTensor {
  if (out.problem) ctx.reportError(`${layer ? layerLabel(layer, op) : op}: ${out.problem}.`, "shape-mismatch");
  const node = { op, category: "reshape" as const, inputs: [x], shape: out.shape, attrs };
  return layer ? moduleNode(ctx, layer, node) : opNode(ctx, node);
}

/** The attributes as given (PyTorch keeps `stride=2` as 2, not (2, 2)), with PyTorch's defaults. */
const givenAttrs = (a: Record<string, Value | undefined>) => ({ dilation: a.dilation ?? int(1), padding: a.padding ?? int(0), stride: a.stride ?? int(1) });

const UNFOLD = defineLayer<BlockConfig>({
  name: "Unfold",
  spec: ["kernel_size", "dilation=", "padding=", "stride="],
  init(ctx, self, a) {
    const c = parseBlocks(ctx, a);
    setAttrs(self, { kernel_size: a.kernel_size!, ...givenAttrs(a) });
    return c;
  },
  forward: (ctx, self, c, x) => blocksNode(ctx, "Unfold", x, unfoldShape(x.shape, c), blockAttrs(c), self),
});

const FOLD = defineLayer<BlockConfig & { outputSize: number[] }>({
  name: "Fold",
  spec: ["output_size", "kernel_size", "dilation=", "padding=", "stride="],
  init(ctx, self, a) {
    const c = parseBlocks(ctx, a);
    const outputSize = toIntTuple(ctx, a.output_size, 2, "output_size");
    setAttrs(self, { output_size: a.output_size!, kernel_size: a.kernel_size!, ...givenAttrs(a) });
    return { ...c, outputSize };
  },
  forward: (ctx, self, c, x) => blocksNode(ctx, "Fold", x, foldShape(x.shape, c.outputSize, c), { output_size: c.outputSize, ...blockAttrs(c) }, self),
});

export const FOLD_CLASSES: Record<string, PyClass> = { Unfold: UNFOLD, Fold: FOLD };

/**
 * `x.unfold(dimension, size, step)`: the windows of `size` every `step` along one dimension; that
 * dimension becomes the window count and a last dimension of `size` is added.
 */
export function tensorUnfold(ctx: NativeContext, x: PyTensor, dimension: number, size: number, step: number): PyTensor {
  const rank = x.shape.length;
  const d = dimension < 0 ? dimension + Math.max(rank, 1) : dimension;
  if (d < 0 || d >= Math.max(rank, 1)) return ctx.raise("IndexError", `unfold(): dimension ${dimension} is out of range for a tensor of rank ${rank}.`);
  if (step <= 0) return ctx.raise("RuntimeError", `unfold(): step must be positive, got ${step}.`);
  const len = rank === 0 ? 1 : x.shape[d];
  if (len !== null && size > len) ctx.reportError(`unfold(): the size ${size} is larger than dimension ${d} of the tensor (${len}).`, "shape-mismatch");
  const shape: Shape = rank === 0 ? [] : [...x.shape];
  if (rank > 0) shape[d] = len === null ? null : Math.max(0, Math.floor((len - size) / step) + 1);
  return opNode(ctx, { op: "unfold", category: "reshape", inputs: [x], shape: [...shape, size], attrs: { dimension: d, size, step } });
}
