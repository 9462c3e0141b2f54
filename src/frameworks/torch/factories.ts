// Tensors made from nothing but sizes or data: torch.zeros/torch.tensor and the `x.new_*` methods.
// Each is an "input"-category node of op "tensor"; data of known numbers keep their values.

import type { Kwargs, NativeContext, PyTensor, Value } from "../../interp/values";
import { NONE } from "../../interp/values";
import { isNdarray, ndarrayShape } from "../../interp/numpy-array";
import type { Shape } from "../../ir/types";
import { opNode } from "./nodes";
import { sizeArgs } from "./ops-shape";
import { dtypeNamed, listValues, withValues } from "./tensor-values";

/** A tensor made from nothing (zeros, randn, ...): an "input"-category node of op "tensor". */
export function constant(ctx: NativeContext, fn: string, shape: Shape): PyTensor {
  return opNode(ctx, { op: "tensor", name: fn, category: "input", inputs: [], shape, attrs: { factory: fn, shape } });
}

/** Shape of nested Python lists given to torch.tensor([...]). */
function dataShape(v: Value): Shape {
  if (v.kind === "list" || v.kind === "tuple") return [v.items.length, ...(v.items.length ? dataShape(v.items[0]) : [])];
  if (v.kind === "tensor") return [...v.shape];
  if (isNdarray(v)) return ndarrayShape(v);
  return [];
}

/** torch.tensor(data): its shape, and its values when the data are known numbers. */
export function fromData(ctx: NativeContext, fn: string, data: Value, kwargs: Kwargs): PyTensor {
  const t = constant(ctx, fn, dataShape(data));
  const known = listValues(data);
  return known ? withValues(t, known.values, dtypeNamed(kwargs.get("dtype")) ?? known.dtype) : t;
}

/**
 * `x.new_zeros(size)`, `x.new_full(size, fill_value)`, `x.new_tensor(data)`: a constant of that size
 * (or data), with x's dtype unless one is given.
 */
export const newTensor = (fn: "new_zeros" | "new_ones" | "new_empty" | "new_full" | "new_tensor") =>
  (ctx: NativeContext, t: PyTensor, args: Value[], kwargs: Kwargs): PyTensor => {
    let out: PyTensor;
    if (fn === "new_tensor") out = fromData(ctx, fn, args[0] ?? kwargs.get("data") ?? NONE, kwargs);
    else {
      const sized = fn === "new_full" ? [args[0] ?? kwargs.get("size") ?? NONE] : args.length ? args : [kwargs.get("size") ?? NONE];
      out = constant(ctx, fn, sizeArgs(ctx, sized));
    }
    const dtype = dtypeNamed(kwargs.get("dtype"));
    if (dtype) out.dtype = dtype;
    else if (t.dtype && !out.values) out.dtype = t.dtype;
    return out;
  };
