// numpy's functions that rearrange arrays: reshape, transpose, expand_dims, squeeze, the stacking
// family and matmul / dot, plus np.shape / ndim / size. They take ndarrays or (nested) lists of
// numbers, as numpy does, and give numpy's result shapes (numpy-transforms.ts).

import { bindArgs } from "./args";
import { type ArrayData, elementCount, shapeOfData } from "./numpy-data";
import { axisArg, combine, fromData, isScalar, matmul, shapeArg, toArrayData } from "./numpy-array";
import { concatData, expandData, flattenData, reshapeData, squeezeData, stackData, transposeData } from "./numpy-transforms";
import { type NativeContext, type Value, PyException, builtin, derivedUnknown, int, tuple } from "./values";

/** The arrays of a sequence argument (np.stack's `arrays`), or the unknown one among them. */
function arraysOf(ctx: NativeContext, v: Value, what: string): ArrayData[] | Value {
  if (v.kind === "unknown") return derivedUnknown(v, `${what} of ${v.why}`);
  const items = ctx.iterate(v);
  const unknownItem = items.find((x) => x.kind === "unknown");
  if (unknownItem?.kind === "unknown") return derivedUnknown(unknownItem, `${what} of ${unknownItem.why}`);
  return items.map((x) => toArrayData(ctx, x, what));
}

/** One array argument as data, or its unknown. */
function arrayArg(ctx: NativeContext, v: Value, what: string): ArrayData | Value {
  return v.kind === "unknown" ? derivedUnknown(v, `${what} of ${v.why}`) : toArrayData(ctx, v, what);
}

const isData = (v: ArrayData | Value): v is ArrayData => !("kind" in v);

/** An int axis argument (np.stack's `axis=0`). */
function intAxis(v: Value | undefined, what: string, fallback: number): number {
  const a = axisArg(v, what);
  if (Array.isArray(a)) throw new PyException("TypeError", `${what}: 'tuple' object cannot be interpreted as an integer`);
  return a ?? fallback;
}

/** A 1-D array as a row (1, n), for vstack; others as they are. */
const atLeast2d = (d: ArrayData): ArrayData => (shapeOfData(d).length === 1 ? expandData(d, [0]) : d);

export function reshapingMembers(): Record<string, Value> {
  return {
    reshape: builtin("numpy.reshape", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "numpy.reshape", args, kwargs, ["a", "newshape=", "order=", "*", "shape=", "copy="]);
      const d = arrayArg(ctx, a.a!, "numpy.reshape()");
      const dims = shapeArg(ctx, a.shape ?? a.newshape ?? tuple([int(-1)]), "numpy.reshape()");
      if (!isData(d)) return d;
      return Array.isArray(dims) ? fromData(ctx, reshapeData(d, dims)) : dims;
    }),
    transpose: builtin("numpy.transpose", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "numpy.transpose", args, kwargs, ["a", "axes="]);
      const d = arrayArg(ctx, a.a!, "numpy.transpose()");
      const axes = a.axes && a.axes.kind !== "none" ? shapeArg(ctx, a.axes, "numpy.transpose()") : undefined;
      if (!isData(d)) return d;
      return axes && !Array.isArray(axes) ? axes : fromData(ctx, transposeData(d, axes));
    }),
    expand_dims: builtin("numpy.expand_dims", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "numpy.expand_dims", args, kwargs, ["a", "axis"]);
      const d = arrayArg(ctx, a.a!, "numpy.expand_dims()");
      const axis = axisArg(a.axis, "numpy.expand_dims()") ?? 0;
      return isData(d) ? fromData(ctx, expandData(d, Array.isArray(axis) ? axis : [axis])) : d;
    }),
    squeeze: builtin("numpy.squeeze", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "numpy.squeeze", args, kwargs, ["a", "axis="]);
      const d = arrayArg(ctx, a.a!, "numpy.squeeze()");
      const axis = axisArg(a.axis, "numpy.squeeze()");
      return isData(d) ? fromData(ctx, squeezeData(d, axis === undefined ? undefined : Array.isArray(axis) ? axis : [axis])) : d;
    }),
    ravel: builtin("numpy.ravel", (args, kwargs, ctx) => {
      const d = arrayArg(ctx, args[0] ?? kwargs.get("a")!, "numpy.ravel()");
      return isData(d) ? fromData(ctx, flattenData(d)) : d;
    }),
    concatenate: builtin("numpy.concatenate", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "numpy.concatenate", args, kwargs, ["arrays", "axis=", "out=", "*", "dtype=", "casting="]);
      const ds = arraysOf(ctx, a.arrays!, "numpy.concatenate()");
      if (!Array.isArray(ds)) return ds;
      // axis=None joins the arrays flattened.
      if (a.axis?.kind === "none") return fromData(ctx, concatData(ds.map(flattenData), 0));
      return fromData(ctx, concatData(ds, intAxis(a.axis, "numpy.concatenate()", 0)));
    }),
    stack: builtin("numpy.stack", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "numpy.stack", args, kwargs, ["arrays", "axis=", "out=", "*", "dtype=", "casting="]);
      const ds = arraysOf(ctx, a.arrays!, "numpy.stack()");
      return Array.isArray(ds) ? fromData(ctx, stackData(ds, intAxis(a.axis, "numpy.stack()", 0))) : ds;
    }),
    vstack: builtin("numpy.vstack", (args, kwargs, ctx) => {
      const ds = arraysOf(ctx, args[0] ?? kwargs.get("tup")!, "numpy.vstack()");
      return Array.isArray(ds) ? fromData(ctx, concatData(ds.map(atLeast2d), 0)) : ds;
    }),
    hstack: builtin("numpy.hstack", (args, kwargs, ctx) => {
      const ds = arraysOf(ctx, args[0] ?? kwargs.get("tup")!, "numpy.hstack()");
      if (!Array.isArray(ds)) return ds;
      return fromData(ctx, concatData(ds, ds.length > 0 && shapeOfData(ds[0]).length === 1 ? 0 : 1));
    }),
    matmul: builtin("numpy.matmul", (args, _k, ctx) => matmulOf(ctx, args[0], args[1], "numpy.matmul()")),
    dot: builtin("numpy.dot", (args, _k, ctx) => {
      const [x, y] = [args[0], args[1]];
      if (x && y && (isScalar(x) || isScalar(y))) return combine(ctx, x, y, "numpy.dot()", (p, q) => p * q, (p, q) => p && q);
      return matmulOf(ctx, x, y, "numpy.dot()");
    }),
    shape: builtin("numpy.shape", (args, _k, ctx) => {
      const d = arrayArg(ctx, args[0], "numpy.shape()");
      return isData(d) ? tuple(shapeOfData(d).map((n) => int(n))) : d;
    }),
    ndim: builtin("numpy.ndim", (args, _k, ctx) => {
      const d = arrayArg(ctx, args[0], "numpy.ndim()");
      return isData(d) ? int(shapeOfData(d).length) : d;
    }),
    size: builtin("numpy.size", (args, _k, ctx) => {
      const d = arrayArg(ctx, args[0], "numpy.size()");
      return isData(d) ? int(elementCount(d)) : d;
    }),
  };
}

function matmulOf(ctx: NativeContext, x: Value | undefined, y: Value | undefined, what: string): Value {
  if (!x || !y) throw new PyException("TypeError", `${what} needs two arguments`);
  if (x.kind === "unknown") return derivedUnknown(x, `${what} of ${x.why}`);
  if (y.kind === "unknown") return derivedUnknown(y, `${what} of ${y.why}`);
  return matmul(ctx, x, y);
}
