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
 * non-batch dimension is unknown: such a tensor cannot be allocated.
 */
export function builtShape(framework: Framework, shape: Shape, batch: number): number[] | null {
  if (shape.length === 0) return [];
  const dims = [batch, ...shape.slice(1)];
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
