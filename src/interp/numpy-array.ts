// numpy's ndarray class. What an instance holds (a Vector of known numbers or an array known by its
// shape alone) is in numpy-data.ts; this file makes instances and gives them numpy's operators,
// attributes (shape, ndim, size, T, dtype) and methods.

import { type ArrayData, type ShapedArray, type Vector, REDUCTIONS, asValue, dtypeName, elementCount, elementOf, elements, hasValues, needValues, reprShaped, reprVector, shapeOfData, shaped, valuesNotKnown } from "./numpy-data";
import { assignData, indexData } from "./numpy-index";
import { type ArrayShape, broadcastArrayShapes, sizeOf } from "./numpy-shapes";
import { argData, astypeData, flattenData, matmulData, reduceData, reshapeData, squeezeData, transposeData } from "./numpy-transforms";
import {
  type Kwargs, type NativeContext, type PyClass, type PyInstance, type PyUnknown, type Value,
  NONE, OBJECT_CLASS, PyException, bool, builtin, derivedUnknown, int, list, nativeClass, str, tuple, unknown, unknownCode,
} from "./values";

export type { Vector } from "./numpy-data";
export { REDUCTIONS, argBest, asValue, isIntegerDtype } from "./numpy-data";

/** Rows a shape-only array yields when iterated or turned into a list; more is left unknown. */
const MAX_ROWS = 4096;

export function isNdarray(v: Value | undefined): v is PyInstance {
  return v?.kind === "instance" && v.cls === NDARRAY_CLASS;
}

export const arrayData = (v: PyInstance): ArrayData => v.native as ArrayData;

/** What an ndarray holds, or undefined for any other value. */
export const arrayOf = (v: Value): ArrayData | undefined => (isNdarray(v) ? arrayData(v) : undefined);

/** A shape-only array, or undefined for an array of known values (or anything else). */
export function shapedOf(v: Value | undefined): ShapedArray | undefined {
  const d = v && arrayOf(v);
  return d && !hasValues(d) ? d : undefined;
}

/** The shape of any ndarray (a Vector's is its length): what frameworks read when they take one as a constant. */
export const ndarrayShape = (v: PyInstance): ArrayShape => shapeOfData(arrayData(v));

export function fromData(ctx: NativeContext, d: ArrayData): PyInstance {
  const out = ctx.newInstance(NDARRAY_CLASS);
  out.native = d;
  return out;
}

export const ndarray = (ctx: NativeContext, data: number[], integral: boolean, dtype?: string): PyInstance => fromData(ctx, dtype ? { data, integral, dtype } : { data, integral });

export const shapedArray = (ctx: NativeContext, shape: ArrayShape, integral: boolean, dtype?: string, fill?: number): PyInstance => fromData(ctx, shaped(shape, integral, dtype, fill));

/** A result that is either a Python value already or an array's data. */
export const wrap = (ctx: NativeContext, r: Value | ArrayData): Value => ("kind" in r ? r : fromData(ctx, r));

export function num(v: Value | undefined, what: string): number {
  if (v && (v.kind === "int" || v.kind === "float")) return v.v;
  if (v && v.kind === "bool") return v.v ? 1 : 0;
  if (v && v.kind === "unknown") throw new PyException("ValueError", `${what} of a value the analyzer cannot know (${v.why})`, undefined, unknownCode(v));
  const s = shapedOf(v);
  if (s) needValues(what, s.shape);
  throw new PyException("TypeError", `${what}: expected a number, got a ${v?.kind ?? "missing value"}`);
}

export const isScalar = (v: Value): boolean => v.kind === "int" || v.kind === "float" || v.kind === "bool";

/** A scalar as a one-number vector (broadcast later), an ndarray as itself, any other iterable by its items. */
export function toVector(ctx: NativeContext, v: Value, what: string): Vector & { scalar: boolean } {
  if (isNdarray(v)) {
    const d = arrayData(v);
    if (!hasValues(d)) needValues(what, d.shape);
    return { ...d, scalar: false };
  }
  if (isScalar(v)) return { data: [num(v, what)], integral: v.kind !== "float", scalar: true };
  const items = ctx.iterate(v);
  const data = items.map((x) => (isNdarray(x) ? (toVector(ctx, x, what).data[0] ?? NaN) : num(x, what)));
  return { data, integral: items.every((x) => (isNdarray(x) ? arrayData(x).integral : x.kind !== "float")), scalar: false };
}

/** The shape, integer-ness and (when one number fills it) value of an operand: scalar, ndarray or nested sequence. */
export function operandOf(ctx: NativeContext, v: Value, what: string): { shape: ArrayShape; integral: boolean; fill?: number; dtype?: string } {
  if (isScalar(v)) return { shape: [], integral: v.kind !== "float", fill: num(v, what) };
  const d = arrayOf(v);
  if (d) return { shape: shapeOfData(d), integral: d.integral, fill: hasValues(d) ? undefined : d.fill, dtype: dtypeName(d) };
  const items = ctx.iterate(v);
  if (items.length === 0) return { shape: [0], integral: false };
  const inner = items.map((x) => operandOf(ctx, x, what));
  return { shape: [items.length, ...inner[0].shape], integral: inner.every((x) => x.integral) };
}

/** Array data of an ndarray, a number or a (nested) sequence of numbers: np.stack's and np.reshape's operands. */
export function toArrayData(ctx: NativeContext, v: Value, what: string): ArrayData {
  const d = arrayOf(v);
  if (d) return d;
  const o = operandOf(ctx, v, what);
  if (o.shape.length !== 1) return shaped(o.shape, o.integral, undefined, o.shape.length === 0 ? o.fill : undefined);
  const { data, integral } = toVector(ctx, v, what);
  return { data, integral };
}

/** The elementwise result of `f` over two operands, broadcasting scalars and length-1 vectors as numpy does. */
export function combine(ctx: NativeContext, a: Value, b: Value, what: string, f: (x: number, y: number) => number, integral: (ai: boolean, bi: boolean) => boolean): Value {
  if (shapedOf(a) || shapedOf(b)) {
    const x = operandOf(ctx, a, what);
    const y = operandOf(ctx, b, what);
    const fill = x.fill !== undefined && y.fill !== undefined ? f(x.fill, y.fill) : undefined;
    const keepInt = integral(x.integral, y.integral);
    return shapedArray(ctx, broadcastArrayShapes(x.shape, y.shape), keepInt, resultDtype(x, y, keepInt), fill);
  }
  const x = toVector(ctx, a, what);
  const y = toVector(ctx, b, what);
  const n = Math.max(x.data.length, y.data.length);
  const fits = (v: Vector) => v.data.length === n || v.data.length === 1;
  if (!fits(x) || !fits(y)) throw new PyException("ValueError", `operands could not be broadcast together with shapes (${x.data.length},) (${y.data.length},)`);
  const data = Array.from({ length: x.scalar && y.scalar ? 1 : n }, (_, i) => f(x.data[x.data.length === 1 ? 0 : i], y.data[y.data.length === 1 ? 0 : i]));
  const keepInt = integral(x.integral, y.integral);
  if (x.scalar && y.scalar) return asValue(data[0], keepInt);
  return ndarray(ctx, data, keepInt);
}

/**
 * The dtype of an elementwise result: a Python number leaves an array's dtype as it is when the kind
 * (int or float) stays (numpy 2's rule: int32 * 2 is int32), as do two arrays of one dtype; else numpy's default.
 */
function resultDtype(x: { integral: boolean; dtype?: string }, y: { integral: boolean; dtype?: string }, integral: boolean): string | undefined {
  const kept = [x, y].filter((o) => o.dtype && o.integral === integral).map((o) => o.dtype);
  if (!x.dtype || !y.dtype) return kept[0];
  return x.dtype === y.dtype && kept.length === 2 ? x.dtype : undefined;
}

/** `f` applied to each element: a Vector's numbers, or a shape-only array's one number if it has one. */
export function mapArray(ctx: NativeContext, d: ArrayData, f: (x: number) => number, integral: boolean): PyInstance {
  const dtype = integral === d.integral ? d.dtype : undefined;
  if (hasValues(d)) return ndarray(ctx, d.data.map(f), integral, dtype);
  return shapedArray(ctx, d.shape.slice(), integral, dtype, d.fill === undefined ? undefined : f(d.fill));
}

/**
 * A shape given as ints, or as one tuple / list / int array of them (`a.reshape(2, 3)`,
 * `np.zeros((2, 3))`). A dim the analyzer does not know (an unknown, a symbolic None) makes the
 * whole result that unknown: numpy would need the number.
 */
export function shapeArg(ctx: NativeContext, v: Value, what: string): number[] | PyUnknown {
  if (v.kind === "unknown") return derivedUnknown(v, `${what} of ${v.why}`);
  if (v.kind === "int" || v.kind === "bool") return [num(v, what)];
  const items = isNdarray(v) ? toVector(ctx, v, what).data.map((x) => int(x)) : ctx.iterate(v);
  const dims: number[] = [];
  for (const d of items) {
    if (d.kind === "unknown") return derivedUnknown(d, `${what} of a shape with ${d.why}`);
    if (d.kind === "none") return unknown(`${what} of a shape with a dim the analyzer does not know (None)`);
    const n = num(d, what);
    if (!Number.isInteger(n)) throw new PyException("TypeError", `'float' object cannot be interpreted as an integer`);
    dims.push(n);
  }
  return dims;
}

/** An axis argument: none, an int, or a tuple of ints. */
export function axisArg(v: Value | undefined, what: string): number | number[] | undefined {
  if (!v || v.kind === "none") return undefined;
  if (v.kind === "tuple" || v.kind === "list") return v.items.map((x) => num(x, what));
  return num(v, what);
}

const keepdimsArg = (ctx: NativeContext, k: Kwargs): boolean => {
  const v = k.get("keepdims");
  return !!v && ctx.truthy(v);
};

const bothInt = (a: boolean, b: boolean) => a && b;
const never = () => false;
const floorDiv = (x: number, y: number) => Math.floor(x / y);
const mod = (x: number, y: number) => x - Math.floor(x / y) * y;

type Op = [name: string, f: (x: number, y: number) => number, integral: (a: boolean, b: boolean) => boolean];
const OPS: Op[] = [
  ["add", (x, y) => x + y, bothInt],
  ["sub", (x, y) => x - y, bothInt],
  ["mul", (x, y) => x * y, bothInt],
  ["truediv", (x, y) => x / y, never],
  ["floordiv", floorDiv, bothInt],
  ["mod", mod, bothInt],
  ["pow", (x, y) => x ** y, bothInt],
];

/** Elementwise comparisons: bool arrays, as numpy makes them (`mask = labels == 0`). */
const COMPARISONS: [name: string, f: (x: number, y: number) => boolean][] = [
  ["eq", (x, y) => x === y],
  ["ne", (x, y) => x !== y],
  ["lt", (x, y) => x < y],
  ["le", (x, y) => x <= y],
  ["gt", (x, y) => x > y],
  ["ge", (x, y) => x >= y],
];

const data = (a: Value[]): ArrayData => arrayData(a[0] as PyInstance);

export const matmul = (ctx: NativeContext, a: Value, b: Value): Value => wrap(ctx, matmulData(toArrayData(ctx, a, "matmul"), toArrayData(ctx, b, "matmul")));

/** Rows of an array for iteration: numbers, or the sub-arrays along the first axis. */
function rows(ctx: NativeContext, d: ArrayData): Value {
  if (hasValues(d)) return elements(d);
  if (d.shape.length === 0) throw new PyException("TypeError", "iteration over a 0-d array");
  if (d.shape[0] > MAX_ROWS) return unknown(valuesNotKnown(d.shape));
  const row = d.shape.length === 1 ? undefined : shaped(d.shape.slice(1), d.integral, d.dtype, d.fill);
  return list(Array.from({ length: d.shape[0] }, () => (row ? fromData(ctx, { ...row, shape: row.shape.slice() }) : elementOf(d))));
}

/** `a.tolist()`: nested lists of its numbers (unknown ones for a shape-only array). */
function toList(d: ArrayData): Value {
  if (hasValues(d)) return elements(d);
  if (d.shape.length === 0) return elementOf(d);
  if (sizeOf(d.shape) > MAX_ROWS) return unknown(valuesNotKnown(d.shape));
  const build = (shape: ArrayShape): Value => (shape.length === 0 ? elementOf(d) : list(Array.from({ length: shape[0] }, () => build(shape.slice(1)))));
  return build(d.shape);
}

const property = (name: string, f: (d: ArrayData, ctx: NativeContext, self: PyInstance) => Value): Value => ({
  kind: "property",
  fget: builtin(`ndarray.${name}`, (a, _k, ctx) => f(data(a), ctx, a[0] as PyInstance)),
});

/** Dims given as separate ints or one sequence: `a.reshape(2, 3)`, `a.transpose((1, 0))`. */
function dimsOf(ctx: NativeContext, args: Value[], what: string): number[] | PyUnknown {
  return shapeArg(ctx, args.length === 1 ? args[0] : tuple(args), what);
}

function arrayMembers(): Record<string, Value> {
  const m: Record<string, Value> = {};
  for (const [name, f, integral] of OPS) {
    m[`__${name}__`] = builtin(`ndarray.__${name}__`, (a, _k, ctx) => combine(ctx, a[0], a[1], `ndarray.__${name}__`, f, integral));
    m[`__r${name}__`] = builtin(`ndarray.__r${name}__`, (a, _k, ctx) => combine(ctx, a[1], a[0], `ndarray.__r${name}__`, f, integral));
  }
  for (const [name, f] of COMPARISONS) {
    m[`__${name}__`] = builtin(`ndarray.__${name}__`, (a, _k, ctx) => {
      const out = combine(ctx, a[0], a[1], `ndarray.__${name}__`, (x, y) => (f(x, y) ? 1 : 0), () => true);
      if (isNdarray(out)) arrayData(out).dtype = "bool";
      return out;
    });
  }
  m.__matmul__ = builtin("ndarray.__matmul__", (a, _k, ctx) => matmul(ctx, a[0], a[1]));
  m.__rmatmul__ = builtin("ndarray.__rmatmul__", (a, _k, ctx) => matmul(ctx, a[1], a[0]));
  m.__neg__ = builtin("ndarray.__neg__", (a, _k, ctx) => mapArray(ctx, data(a), (x) => -x, data(a).integral));
  m.__pos__ = builtin("ndarray.__pos__", (a, _k, ctx) => mapArray(ctx, data(a), (x) => x, data(a).integral));
  m.__abs__ = builtin("ndarray.__abs__", (a, _k, ctx) => mapArray(ctx, data(a), Math.abs, data(a).integral));
  m.__len__ = builtin("ndarray.__len__", (a) => {
    const shape = shapeOfData(data(a));
    if (shape.length === 0) throw new PyException("TypeError", "len() of unsized object");
    return int(shape[0]);
  });
  m.__iter__ = builtin("ndarray.__iter__", (a, _k, ctx) => rows(ctx, data(a)));
  m.__bool__ = builtin("ndarray.__bool__", (a) => {
    const d = data(a);
    const n = elementCount(d);
    if (n !== 1) throw new PyException("ValueError", `The truth value of an array with ${n} elements is ambiguous. Use a.any() or a.all()`);
    return hasValues(d) ? bool(d.data[0] !== 0) : d.fill === undefined ? elementOf(d) : bool(d.fill !== 0);
  });
  m.__getitem__ = builtin("ndarray.__getitem__", (a, _k, ctx) => wrap(ctx, indexData(ctx, data(a), a[1], arrayOf)));
  m.__setitem__ = builtin("ndarray.__setitem__", (a, _k, ctx) => {
    const self = a[0] as PyInstance;
    self.native = assignData(ctx, data(a), a[1], a[2] ?? NONE, arrayOf);
    return NONE;
  });
  m.__repr__ = builtin("ndarray.__repr__", (a) => {
    const d = data(a);
    return str(hasValues(d) ? reprVector(d) : reprShaped(d));
  });
  m.shape = property("shape", (d) => tuple(shapeOfData(d).map((x) => int(x))));
  m.ndim = property("ndim", (d) => int(shapeOfData(d).length));
  m.size = property("size", (d) => int(elementCount(d)));
  m.dtype = property("dtype", (d) => str(dtypeName(d)));
  m.T = property("T", (d, ctx) => fromData(ctx, transposeData(d)));
  m.tolist = builtin("ndarray.tolist", (a) => toList(data(a)));
  m.astype = builtin("ndarray.astype", (a, k, ctx) => fromData(ctx, astypeData(data(a), a[1] ?? k.get("dtype"))));
  m.copy = builtin("ndarray.copy", (a, _k, ctx) => {
    const d = data(a);
    return fromData(ctx, hasValues(d) ? { ...d, data: d.data.slice() } : { ...d, shape: d.shape.slice() });
  });
  m.reshape = builtin("ndarray.reshape", (a, _k, ctx) => {
    const dims = dimsOf(ctx, a.slice(1), "ndarray.reshape()");
    return Array.isArray(dims) ? fromData(ctx, reshapeData(data(a), dims)) : dims;
  });
  m.transpose = builtin("ndarray.transpose", (a, _k, ctx) => {
    const axes = a.length > 1 ? dimsOf(ctx, a.slice(1), "ndarray.transpose()") : undefined;
    return axes && !Array.isArray(axes) ? axes : fromData(ctx, transposeData(data(a), axes));
  });
  m.flatten = builtin("ndarray.flatten", (a, _k, ctx) => fromData(ctx, flattenData(data(a))));
  m.ravel = builtin("ndarray.ravel", (a, _k, ctx) => fromData(ctx, flattenData(data(a))));
  m.squeeze = builtin("ndarray.squeeze", (a, k, ctx) => {
    const axis = axisArg(a[1] ?? k.get("axis"), "ndarray.squeeze()");
    return fromData(ctx, squeezeData(data(a), axis === undefined ? undefined : Array.isArray(axis) ? axis : [axis]));
  });
  for (const name of Object.keys(REDUCTIONS)) {
    m[name] = builtin(`ndarray.${name}`, (a, k, ctx) => wrap(ctx, reduceData(name, data(a), axisArg(a[1] ?? k.get("axis"), `ndarray.${name}()`), keepdimsArg(ctx, k))));
  }
  for (const [name, sign] of [["argmax", 1], ["argmin", -1]] as const) {
    m[name] = builtin(`ndarray.${name}`, (a, k, ctx) => {
      const axis = axisArg(a[1] ?? k.get("axis"), `ndarray.${name}()`);
      return wrap(ctx, argData(data(a), sign, Array.isArray(axis) ? axis[0] : axis));
    });
  }
  return m;
}

export const NDARRAY_CLASS: PyClass = nativeClass("ndarray", "numpy", [OBJECT_CLASS], arrayMembers());
