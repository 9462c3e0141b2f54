// Shape arithmetic the Keras layers share, written to match Keras 3's own formulas
// (keras/src/ops/operation_utils.py) so output shapes agree exactly.

import type { Dim, Shape } from "../../ir/types";
import { type NativeContext, type PyTuple, type Value, NONE, int, tuple, unknownCode } from "../../interp/values";

/** Python repr of a Keras shape: `(None, 56, 56, 64)`, `(None,)`. */
export function formatShape(shape: Shape | null): string {
  if (!shape) return "(unknown)";
  const parts = shape.map((d) => (d === null ? "None" : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
}

export function shapeToTuple(shape: Shape): PyTuple {
  return tuple(shape.map((d) => (d === null ? NONE : int(d))));
}

/** A shape given as a Python tuple/list of ints and Nones (or a single int). */
export function valueToShape(ctx: NativeContext, v: Value, what: string): Shape {
  if (v.kind === "int") return [v.v];
  if (v.kind === "tuple" || v.kind === "list") {
    return v.items.map((d, i): Dim => {
      if (d.kind === "none") return null;
      if (d.kind === "int") return d.v;
      if (d.kind === "unknown") return null;
      return ctx.raise("TypeError", `'${what}' must contain integers or None, got ${ctx.repr(d)} at position ${i}.`);
    });
  }
  if (v.kind === "tensor") return v.shape;
  // A shape computed from data (`x_train.shape[1:]`): said the way unknown sizes are everywhere.
  if (v.kind === "unknown") return ctx.raise("ValueError", `'${what}' could not be determined: ${v.why}`, unknownCode(v));
  return ctx.raise("TypeError", `'${what}' must be a tuple of integers, got ${ctx.repr(v)}.`);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Product of the dims; null if any is unknown. */
export function product(dims: Dim[]): Dim {
  let p = 1;
  for (const d of dims) {
    if (d === null) return null;
    p *= d;
  }
  return p;
}

/** Elements per sample times batch, with an unknown batch counted as 1 (the MAC convention). */
export function numelBatchAsOne(shape: Shape): number | null {
  return product(shape.map((d, i) => (i === 0 && d === null ? 1 : d)));
}

/** Normalises a possibly negative axis; undefined when out of range. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** Conv / pool output length: "same" -> ceil(in / stride); "valid" -> floor((in - dilated_k) / stride) + 1. */
export function convOutputLength(input: Dim, kernel: number, padding: string, stride: number, dilation = 1): Dim {
  if (input === null) return null;
  const dilated = (kernel - 1) * dilation + 1;
  if (padding === "same" || padding === "causal") return Math.ceil(input / stride);
  return Math.floor((input - dilated) / stride) + 1;
}

/** Conv2DTranspose output length (Keras 3, output_padding=None). */
export function deconvOutputLength(input: Dim, kernel: number, padding: string, stride: number, dilation = 1): Dim {
  if (input === null) return null;
  const dilated = (kernel - 1) * dilation + 1;
  if (padding === "same") return input * stride;
  return input * stride + Math.max(dilated - stride, 0);
}

import { broadcastShapes } from "../broadcast";

export { broadcastShapes };

/** Spatial dims and channel axis of an N-d feature map under a data format. */
export function spatialLayout(rank: number, channelsFirst: boolean): { spatial: number[]; channel: number } {
  const spatial: number[] = [];
  if (channelsFirst) for (let i = 2; i < rank; i++) spatial.push(i);
  else for (let i = 1; i < rank - 1; i++) spatial.push(i);
  return { spatial, channel: channelsFirst ? 1 : rank - 1 };
}
