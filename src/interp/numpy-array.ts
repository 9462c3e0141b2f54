// numpy's one-dimensional ndarray of plain numbers, enough for width and depth schedules such as timm's
// regnet.generate_regnet: elementwise arithmetic with scalars and equal-length sequences, indexing,
// iteration (so it still goes wherever a list of numbers goes), astype, tolist and the reductions.
// Elements read back as Python ints or floats, as numpy scalars mostly behave.

import { sliceItems, normIndex } from "./sequences";
import { type NativeContext, type PyClass, type PyInstance, type Value, OBJECT_CLASS, PyException, bool, builtin, float, int, list, nativeClass, str, unknownCode } from "./values";

/** What an ndarray instance holds: its numbers, and whether its dtype is an integer one. */
export interface Vector { data: number[]; integral: boolean }

export const asValue = (x: number, integral: boolean): Value => (integral && Number.isInteger(x) ? int(x) : float(x));

export function isNdarray(v: Value | undefined): v is PyInstance {
  return v?.kind === "instance" && v.cls === NDARRAY_CLASS;
}

export function ndarray(ctx: NativeContext, data: number[], integral: boolean): PyInstance {
  const out = ctx.newInstance(NDARRAY_CLASS);
  out.native = { data, integral } satisfies Vector;
  return out;
}

export function num(v: Value | undefined, what: string): number {
  if (v && (v.kind === "int" || v.kind === "float")) return v.v;
  if (v && v.kind === "bool") return v.v ? 1 : 0;
  if (v && v.kind === "unknown") throw new PyException("ValueError", `${what} of a value the analyzer cannot know (${v.why})`, undefined, unknownCode(v));
  throw new PyException("TypeError", `${what}: expected a number, got a ${v?.kind ?? "missing value"}`);
}

const isScalar = (v: Value): boolean => v.kind === "int" || v.kind === "float" || v.kind === "bool";

/** A scalar as a one-number vector (broadcast later), an ndarray as itself, any other iterable by its items. */
export function toVector(ctx: NativeContext, v: Value, what: string): Vector & { scalar: boolean } {
  if (isNdarray(v)) return { ...(v.native as Vector), scalar: false };
  if (isScalar(v)) return { data: [num(v, what)], integral: v.kind !== "float", scalar: true };
  const items = ctx.iterate(v);
  const data = items.map((x) => (isNdarray(x) ? ((x.native as Vector).data[0] ?? NaN) : num(x, what)));
  return { data, integral: items.every((x) => (isNdarray(x) ? (x.native as Vector).integral : x.kind !== "float")), scalar: false };
}

/** The elementwise result of `f` over two operands, broadcasting scalars and length-1 vectors as numpy does. */
export function combine(ctx: NativeContext, a: Value, b: Value, what: string, f: (x: number, y: number) => number, integral: (ai: boolean, bi: boolean) => boolean): Value {
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

function vec(self: Value): Vector {
  return (self as PyInstance).native as Vector;
}

function vectorMembers(): Record<string, Value> {
  const m: Record<string, Value> = {};
  for (const [name, f, integral] of OPS) {
    m[`__${name}__`] = builtin(`ndarray.__${name}__`, (a, _k, ctx) => combine(ctx, a[0], a[1], `ndarray.__${name}__`, f, integral));
    m[`__r${name}__`] = builtin(`ndarray.__r${name}__`, (a, _k, ctx) => combine(ctx, a[1], a[0], `ndarray.__r${name}__`, f, integral));
  }
  m.__neg__ = builtin("ndarray.__neg__", (a, _k, ctx) => ndarray(ctx, vec(a[0]).data.map((x) => -x), vec(a[0]).integral));
  m.__len__ = builtin("ndarray.__len__", (a) => int(vec(a[0]).data.length));
  m.__iter__ = builtin("ndarray.__iter__", (a) => elements(vec(a[0])));
  m.__bool__ = builtin("ndarray.__bool__", (a) => {
    const { data } = vec(a[0]);
    if (data.length !== 1) throw new PyException("ValueError", `The truth value of an array with ${data.length} elements is ambiguous. Use a.any() or a.all()`);
    return bool(data[0] !== 0);
  });
  m.__getitem__ = builtin("ndarray.__getitem__", (a, _k, ctx) => {
    const v = vec(a[0]);
    const k = a[1];
    if (k.kind === "slice") return ndarray(ctx, sliceItems(v.data, k), v.integral);
    const i = normIndex(num(k, "ndarray index"), v.data.length);
    if (!Number.isInteger(i) || i < 0 || i >= v.data.length) throw new PyException("IndexError", `index ${ctx.repr(k)} is out of bounds for axis 0 with size ${v.data.length}`);
    return asValue(v.data[i], v.integral);
  });
  m.__repr__ = builtin("ndarray.__repr__", (a) => str(reprVector(vec(a[0]))));
  m.tolist = builtin("ndarray.tolist", (a) => elements(vec(a[0])));
  m.astype = builtin("ndarray.astype", (a, _k, ctx) => {
    const v = vec(a[0]);
    return isIntegerDtype(a[1]) ? ndarray(ctx, v.data.map(Math.trunc), true) : ndarray(ctx, v.data.slice(), false);
  });
  m.copy = builtin("ndarray.copy", (a, _k, ctx) => ndarray(ctx, vec(a[0]).data.slice(), vec(a[0]).integral));
  for (const [name, f] of Object.entries(REDUCTIONS)) m[name] = builtin(`ndarray.${name}`, (a) => reduceVector(name, vec(a[0]), f));
  m.argmax = builtin("ndarray.argmax", (a) => int(argBest(vec(a[0]).data, 1)));
  m.argmin = builtin("ndarray.argmin", (a) => int(argBest(vec(a[0]).data, -1)));
  return m;
}

const elements = (v: Vector): Value => list(v.data.map((x) => asValue(x, v.integral)));

export function argBest(data: number[], sign: 1 | -1): number {
  if (data.length === 0) throw new PyException("ValueError", "attempt to get argmax of an empty sequence");
  let best = 0;
  for (let i = 1; i < data.length; i++) if (sign * (data[i] - data[best]) > 0) best = i;
  return best;
}

/** `int`, `"int64"`, `np.int32` (a string here) and the like are integer dtypes; `float`, `"float32"` are not. */
export function isIntegerDtype(d: Value | undefined): boolean {
  if (!d) return false;
  if (d.kind === "class") return d.name === "int" || d.name === "bool";
  if (d.kind === "str") return /^u?int|^bool/.test(d.v);
  return false;
}

export const REDUCTIONS: Record<string, (xs: number[]) => number> = {
  sum: (xs) => xs.reduce((p, x) => p + x, 0),
  prod: (xs) => xs.reduce((p, x) => p * x, 1),
  mean: (xs) => xs.reduce((p, x) => p + x, 0) / xs.length,
  max: (xs) => {
    if (xs.length === 0) throw new PyException("ValueError", "zero-size array to reduction operation maximum which has no identity");
    return Math.max(...xs);
  },
  min: (xs) => {
    if (xs.length === 0) throw new PyException("ValueError", "zero-size array to reduction operation minimum which has no identity");
    return Math.min(...xs);
  },
};

export function reduceVector(name: string, v: Vector, f: (xs: number[]) => number): Value {
  return asValue(f(v.data), name !== "mean" && v.integral);
}

/** numpy's repr of a short 1-D array: `array([1, 2, 3])`, `array([0. , 0.5, 1. ])`. */
function reprVector(v: Vector): string {
  if (v.data.length === 0) return v.integral ? "array([], dtype=int64)" : "array([], dtype=float64)";
  let texts: string[];
  if (v.integral) texts = v.data.map((x) => String(x));
  else {
    const plain = v.data.map((x) => (Number.isInteger(x) ? `${x}.` : String(x)));
    // numpy pads the fractional parts to a common width: `0. `, `0.5`.
    const frac = Math.max(...plain.map((t) => t.length - t.indexOf(".") - 1));
    texts = plain.map((t) => t + " ".repeat(frac - (t.length - t.indexOf(".") - 1)));
  }
  const width = Math.max(...texts.map((t) => t.length));
  return `array([${texts.map((t) => t.padStart(width)).join(", ")}])`;
}

export const NDARRAY_CLASS: PyClass = nativeClass("ndarray", "numpy", [OBJECT_CLASS], vectorMembers());
