// How analyzer shapes map to the shapes of the tensors the profiler builds. Keras (NHWC) maps as is;
// PyTorch NCHW 4-D tensors run as their NHWC equivalents, because every tfjs backend's convolution
// and pooling kernels are NHWC-only. Other ranks keep the analyzer's layout.

import type { Framework, Shape } from "../ir/types";

export type TensorLayout = "NHWC" | "NHWC (converted from NCHW)";

export function layoutOf(framework: Framework): TensorLayout {
  return framework === "pytorch" ? "NHWC (converted from NCHW)" : "NHWC";
}

/** True when a PyTorch value of this analyzer shape is held as NHWC in the built computation. */
export function isConverted(framework: Framework, shape: Shape): boolean {
  return framework === "pytorch" && shape.length === 4;
}

/**
 * The built tensor's shape for an analyzer shape: the batch dimension replaced by `batch` (the
 * analyzer's may be null, Keras's "None"), and NCHW → NHWC for PyTorch 4-D tensors. Null when a
 * non-batch dimension is unknown: such a tensor cannot be allocated. With `analyzerBatch` (the
 * model input's batch), a first dimension of another size is not a batch and is kept: a
 * sequence-first tensor [T, N, E] (PyTorch RNNs and attention), a batch-first view of it.
 */
export function builtShape(framework: Framework, shape: Shape, batch: number, analyzerBatch?: number | null): number[] | null {
  if (shape.length === 0) return [];
  const first = shape[0];
  const isBatch = analyzerBatch === undefined || analyzerBatch === null || first === null || first === analyzerBatch;
  const dims = [isBatch ? batch : first, ...shape.slice(1)];
  if (dims.some((d) => d === null || d <= 0)) return null;
  const known = dims as number[];
  return isConverted(framework, shape) ? [known[0], known[2], known[3], known[1]] : known;
}

/** The built tensor's axis for an analyzer axis (negative axes allowed), e.g. PyTorch channel dim 1 → 3. */
export function builtAxis(framework: Framework, shape: Shape, axis: number): number {
  const rank = shape.length;
  const a = axis < 0 ? axis + rank : axis;
  if (!isConverted(framework, shape)) return a;
  return [0, 3, 1, 2][a];
}

/** NHWC → NCHW permutation (to flatten in PyTorch's element order) and back. */
export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];

export function numel(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function formatDims(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;
}

/** The axes of a built tensor in the framework's own order (PyTorch 4-D: NHWC → NCHW), as a transpose perm. */
export function toFrameworkOrder(framework: Framework, shape: Shape): number[] {
  return isConverted(framework, shape) ? TO_NCHW : shape.map((_, i) => i);
}

/** The perm taking a tensor in the framework's order to its built layout (PyTorch 4-D: NCHW → NHWC). */
export function toBuiltOrder(framework: Framework, shape: Shape): number[] {
  return isConverted(framework, shape) ? TO_NHWC : shape.map((_, i) => i);
}

/** transpose(transpose(x, first), then) as one perm. */
export function composePerms(first: number[], then: number[]): number[] {
  return then.map((i) => first[i]);
}

/** True when transposing `shape` by `perm` keeps the element order (only size-1 axes move): a reshape. */
export function isPureReshape(shape: number[], perm: number[]): boolean {
  const moved = perm.filter((a) => shape[a] !== 1);
  return moved.every((a, i) => i === 0 || moved[i - 1] < a);
}
