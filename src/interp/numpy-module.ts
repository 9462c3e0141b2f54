// The slice of numpy that model-building code uses for plain numbers: schedules such as
// `np.linspace(0, drop_path_rate, sum(depths))`, `np.prod(shape)`, `np.ceil(x / 8)`, and timm's
// regnet width arithmetic. One-dimensional results are ndarrays of numbers (numpy-array.ts): they
// iterate, index and `tolist()` like lists and do numpy's elementwise arithmetic; scalars are floats
// or ints. Arrays of any rank made from a known shape (np.zeros((2708, 1433)), np.random.rand(8, 4),
// reshapes and stacks of them) are known by their shape alone (numpy-data.ts); data loaded from
// files stays unknown.

import { type PyModule, type Value, type NativeContext, type Kwargs, PyException, builtin, derivedUnknown, float, int, list, str, tuple, unknown, NONE } from "./values";
import { type Vector, NDARRAY_CLASS, REDUCTIONS, argBest, arrayData, asValue, axisArg, combine, fromData, isIntegerDtype, isNdarray, mapArray, ndarray, num, shapedArray, shapedOf, toVector, wrap } from "./numpy-array";
import { elementValue, reducedType, valuesNotKnown } from "./numpy-data";
import { normAxis, sizeOf } from "./numpy-shapes";
import { argData, astypeData, reduceData } from "./numpy-transforms";
import { creationMembers, makeNumpyRandom } from "./numpy-creation";
import { reshapingMembers } from "./numpy-reshaping";

/** Numbers of a scalar or a (nested) iterable, flattened. */
function numbers(ctx: NativeContext, v: Value, what: string): number[] {
  if (v.kind === "int" || v.kind === "float" || v.kind === "bool") return [num(v, what)];
  if (isNdarray(v)) return toVector(ctx, v, what).data.slice();
  return ctx.iterate(v).flatMap((x) => numbers(ctx, x, what));
}

const allInts = (ctx: NativeContext, v: Value): boolean =>
  isNdarray(v) ? arrayData(v).integral : v.kind === "int" || v.kind === "bool" || (v.kind !== "float" && ctx.iterate(v).every((x) => allInts(ctx, x)));

const isScalar = (v: Value): boolean => v.kind === "int" || v.kind === "float" || v.kind === "bool";

/**
 * A numpy function of known numbers. An unknown argument makes the result unknown, as calling an
 * unmodelled numpy function does (so `len(np.unique(data))` says where the unknown came from).
 */
function fn(name: string, f: (a: Value[], k: Kwargs, ctx: NativeContext) => Value) {
  return builtin(`numpy.${name}`, (a, k, ctx) => {
    if (a.some((x) => x.kind === "unknown") || [...k.values()].some((x) => x.kind === "unknown")) return unknown(`the result of calling numpy.${name}`);
    if (!a[0]) throw new PyException("TypeError", `numpy.${name}() needs an argument`);
    return f(a, k, ctx);
  });
}

/** Element-wise on a scalar or a sequence; ints stay ints only where `keepInt`. */
function elementwise(name: string, f: (x: number) => number, keepInt = false) {
  return builtin(`numpy.${name}`, (a, _k, ctx) => {
    const v = a[0];
    if (!v) throw new PyException("TypeError", `numpy.${name}() needs an argument`);
    if (isScalar(v)) return asValue(f(num(v, `numpy.${name}()`)), keepInt && v.kind !== "float");
    if (v.kind === "unknown") return derivedUnknown(v, `numpy.${name}() of ${v.why}`);
    if (isNdarray(v)) return mapArray(ctx, arrayData(v), f, keepInt && arrayData(v).integral);
    const x = toVector(ctx, v, `numpy.${name}()`);
    return ndarray(ctx, x.data.map(f), keepInt && x.integral);
  });
}

/** Element-wise on two operands, broadcasting a scalar: `np.power(2.5, exps)`, `np.divide(widths, q)`. */
function elementwise2(name: string, f: (x: number, y: number) => number, integral: (a: boolean, b: boolean) => boolean) {
  return fn(name, (a, _k, ctx) => {
    if (!a[1]) throw new PyException("TypeError", `numpy.${name}() needs two arguments`);
    return combine(ctx, a[0], a[1], `numpy.${name}()`, f, integral);
  });
}

/** np.sum(a, axis=None, keepdims=False) and kin: an ndarray over an axis too, a sequence as a whole. */
function reduce(name: string, f: (xs: number[]) => number) {
  return builtin(`numpy.${name}`, (a, k, ctx) => {
    const v = a[0];
    if (!v) throw new PyException("TypeError", `numpy.${name}() needs an argument`);
    if (v.kind === "unknown") return derivedUnknown(v, `numpy.${name}() of ${v.why}`);
    if (isNdarray(v)) {
      const keepdims = k.get("keepdims");
      return wrap(ctx, reduceData(name, arrayData(v), axisArg(a[1] ?? k.get("axis"), `numpy.${name}()`), !!keepdims && ctx.truthy(keepdims)));
    }
    return elementValue(f(numbers(ctx, v, `numpy.${name}()`)), reducedType(name, allInts(ctx, v)));
  });
}

/** np.argmax(a, axis=None) / argmin. */
function arg(name: string, sign: 1 | -1) {
  return fn(name, (a, k, ctx) => {
    if (isNdarray(a[0])) {
      const axis = axisArg(a[1] ?? k.get("axis"), `numpy.${name}()`);
      return wrap(ctx, argData(arrayData(a[0]), sign, Array.isArray(axis) ? axis[0] : axis));
    }
    return int(argBest(numbers(ctx, a[0], `numpy.${name}()`), sign));
  });
}

/** Round half to even, as numpy and Python's round() do, at `decimals` places. */
function roundHalfEven(x: number, decimals = 0): number {
  const scale = 10 ** decimals;
  const y = x * scale;
  const r = Math.round(y);
  return (Math.abs(y % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) / scale;
}

function rounding(name: string) {
  return builtin(`numpy.${name}`, (a, k, ctx) => {
    const v = a[0];
    if (!v) throw new PyException("TypeError", `numpy.${name}() needs an argument`);
    const d = a[1] ?? k.get("decimals");
    const decimals = d && d.kind !== "none" ? num(d, `numpy.${name}()`) : 0;
    if (isScalar(v)) return asValue(roundHalfEven(num(v, `numpy.${name}()`), decimals), v.kind !== "float");
    if (v.kind === "unknown") return derivedUnknown(v, `numpy.${name}() of ${v.why}`);
    if (isNdarray(v)) return mapArray(ctx, arrayData(v), (n) => roundHalfEven(n, decimals), arrayData(v).integral);
    const x = toVector(ctx, v, `numpy.${name}()`);
    return ndarray(ctx, x.data.map((n) => roundHalfEven(n, decimals)), x.integral);
  });
}

/** `np.array(xs)` of a flat sequence of numbers is an ndarray; nested sequences stay lists of rows. */
function array(copy: boolean) {
  return builtin(copy ? "numpy.array" : "numpy.asarray", (a, k, ctx) => {
    const v = a[0];
    if (!v) throw new PyException("TypeError", "numpy.array() needs an argument");
    if (v.kind === "unknown" || isScalar(v)) return v;
    const dtype = a[1] ?? k.get("dtype");
    const s = shapedOf(v);
    if (s) return fromData(ctx, dtype && dtype.kind !== "none" ? astypeData(s, dtype) : { ...s, shape: s.shape.slice() });
    const asDtype = (x: Vector) => (dtype && dtype.kind !== "none" ? { data: isIntegerDtype(dtype) ? x.data.map(Math.trunc) : x.data, integral: isIntegerDtype(dtype) } : x);
    if (isNdarray(v)) {
      const x = asDtype(v.native as Vector);
      return !copy && x === v.native ? v : ndarray(ctx, x.data.slice(), x.integral);
    }
    const items = ctx.iterate(v);
    if (!items.every((x) => isScalar(x))) return list(items);
    const x = asDtype(toVector(ctx, list(items), "numpy.array()"));
    return ndarray(ctx, x.data, x.integral);
  });
}

/** Where `np.split` / `np.array_split` cut an axis of length `n`: equal parts or at indices. */
function cuts(ctx: NativeContext, name: string, n: number, at: Value, uneven: boolean): number[] {
  let bounds: number[];
  if (isScalar(at)) {
    const parts = num(at, `numpy.${name}()`);
    if (parts <= 0) throw new PyException("ValueError", "number sections must be larger than 0.");
    if (!uneven && n % parts !== 0) throw new PyException("ValueError", "array split does not result in an equal division");
    const size = Math.floor(n / parts);
    const extra = n % parts;
    bounds = Array.from({ length: parts - 1 }, (_, i) => (i + 1) * size + Math.min(i + 1, extra));
  } else bounds = numbers(ctx, at, `numpy.${name}()`);
  return [0, ...bounds.map((b) => Math.min(n, b < 0 ? b + n : b)), n];
}

/** `np.split` (equal parts or at indices) and `np.array_split` (parts as equal as can be), along `axis`. */
function split(name: string, uneven: boolean) {
  return fn(name, (a, k, ctx) => {
    const at = a[1] ?? k.get("indices_or_sections");
    if (!at) throw new PyException("TypeError", `numpy.${name}() needs indices_or_sections`);
    const s = shapedOf(a[0]);
    if (s) {
      const axisV = axisArg(a[2] ?? k.get("axis"), `numpy.${name}()`);
      const axis = normAxis(Array.isArray(axisV) ? axisV[0] : (axisV ?? 0), s.shape.length);
      const c = cuts(ctx, name, s.shape[axis], at, uneven);
      const piece = (len: number) => shapedArray(ctx, s.shape.map((d, i) => (i === axis ? len : d)), s.integral, s.dtype, s.fill);
      return list(c.slice(1).map((end, i) => piece(Math.max(0, end - c[i]))));
    }
    const x = toVector(ctx, a[0], `numpy.${name}()`);
    const c = cuts(ctx, name, x.data.length, at, uneven);
    return list(c.slice(1).map((end, i) => ndarray(ctx, x.data.slice(c[i], Math.max(c[i], end)), x.integral)));
  });
}

export function makeNumpy(): PyModule {
  const members: Record<string, Value> = {
    pi: float(Math.PI),
    e: float(Math.E),
    inf: float(Infinity),
    nan: float(NaN),
    ndarray: NDARRAY_CLASS,
    linspace: builtin("numpy.linspace", (a, k, ctx) => {
      const start = num(a[0], "numpy.linspace()");
      const stop = num(a[1], "numpy.linspace()");
      const n = num(a[2] ?? k.get("num") ?? int(50), "numpy.linspace()");
      const endpointArg = a[3] ?? k.get("endpoint");
      const endpoint = endpointArg?.kind === "bool" ? endpointArg.v : true;
      const steps = endpoint ? n - 1 : n;
      // numpy's own floats: i * step + start, with step = (stop - start) / steps, and the endpoint exactly stop.
      const step = steps > 0 ? (stop - start) / steps : 0;
      const data = Array.from({ length: n }, (_, i) => i * step + start);
      if (endpoint && n > 1) data[n - 1] = stop;
      return ndarray(ctx, data, false);
    }),
    arange: builtin("numpy.arange", (a, _k, ctx) => {
      const [start, stop, step] = a.length === 1 ? [0, num(a[0], "numpy.arange()"), 1] : [num(a[0], "numpy.arange()"), num(a[1], "numpy.arange()"), a[2] ? num(a[2], "numpy.arange()") : 1];
      const integral = a.every((x) => x.kind === "int");
      // numpy's length, ceil((stop - start) / step), and start + i * step: no rounding error builds up.
      const n = step === 0 ? 0 : Math.max(0, Math.ceil((stop - start) / step));
      return ndarray(ctx, Array.from({ length: n }, (_, i) => start + i * step), integral);
    }),
    array: array(true),
    asarray: array(false),
    prod: reduce("prod", REDUCTIONS.prod),
    sum: reduce("sum", REDUCTIONS.sum),
    mean: reduce("mean", REDUCTIONS.mean),
    max: reduce("max", REDUCTIONS.max),
    min: reduce("min", REDUCTIONS.min),
    amax: reduce("max", REDUCTIONS.max),
    amin: reduce("min", REDUCTIONS.min),
    std: reduce("std", REDUCTIONS.std),
    var: reduce("var", REDUCTIONS.var),
    any: reduce("any", REDUCTIONS.any),
    all: reduce("all", REDUCTIONS.all),
    argmax: arg("argmax", 1),
    argmin: arg("argmin", -1),
    cumsum: builtin("numpy.cumsum", (a, k, ctx) => {
      const s = shapedOf(a[0]);
      if (s) return shapedArray(ctx, axisArg(a[1] ?? k.get("axis"), "numpy.cumsum()") === undefined ? [sizeOf(s.shape)] : s.shape.slice(), s.integral);
      let acc = 0;
      const integral = a[0] ? allInts(ctx, a[0]) : true;
      return ndarray(ctx, numbers(ctx, a[0] ?? list([]), "numpy.cumsum()").map((x) => (acc += x)), integral);
    }),
    sqrt: elementwise("sqrt", Math.sqrt),
    exp: elementwise("exp", Math.exp),
    log: elementwise("log", Math.log),
    log2: elementwise("log2", Math.log2),
    log10: elementwise("log10", Math.log10),
    ceil: elementwise("ceil", Math.ceil),
    floor: elementwise("floor", Math.floor),
    round: rounding("round"),
    around: rounding("around"),
    abs: elementwise("abs", Math.abs, true),
    add: elementwise2("add", (x, y) => x + y, (p, q) => p && q),
    subtract: elementwise2("subtract", (x, y) => x - y, (p, q) => p && q),
    multiply: elementwise2("multiply", (x, y) => x * y, (p, q) => p && q),
    divide: elementwise2("divide", (x, y) => x / y, () => false),
    true_divide: elementwise2("true_divide", (x, y) => x / y, () => false),
    floor_divide: elementwise2("floor_divide", (x, y) => Math.floor(x / y), (p, q) => p && q),
    power: elementwise2("power", (x, y) => x ** y, (p, q) => p && q),
    maximum: elementwise2("maximum", Math.max, (p, q) => p && q),
    minimum: elementwise2("minimum", Math.min, (p, q) => p && q),
    clip: fn("clip", (a, k, ctx) => {
      const lo = a[1] ?? k.get("a_min") ?? NONE;
      const hi = a[2] ?? k.get("a_max") ?? NONE;
      const bound = (b: Value) => (b.kind === "none" ? undefined : num(b, "numpy.clip()"));
      const [l, h] = [bound(lo), bound(hi)];
      const clip = (x: number) => Math.min(h ?? Infinity, Math.max(l ?? -Infinity, x));
      const integral = (lo.kind === "none" || lo.kind === "int") && (hi.kind === "none" || hi.kind === "int");
      if (isScalar(a[0])) return asValue(clip(num(a[0], "numpy.clip()")), integral && a[0].kind !== "float");
      if (isNdarray(a[0])) return mapArray(ctx, arrayData(a[0]), clip, integral && arrayData(a[0]).integral);
      const x = toVector(ctx, a[0], "numpy.clip()");
      return ndarray(ctx, x.data.map(clip), integral && x.integral);
    }),
    unique: fn("unique", (a, k, ctx) => {
      const s = shapedOf(a[0]);
      if (s) return unknown(`numpy.unique() of ${valuesNotKnown(s.shape)}`);
      const x = toVector(ctx, a[0], "numpy.unique()");
      const sorted = x.data.slice().sort((p, q) => p - q);
      const values: number[] = [];
      const counts: number[] = [];
      for (const v of sorted) {
        if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]++;
        else values.push(v), counts.push(1);
      }
      const out = ndarray(ctx, values, x.integral);
      const wantCounts = k.get("return_counts");
      return wantCounts && ctx.truthy(wantCounts) ? tuple([out, ndarray(ctx, counts, true)]) : out;
    }),
    split: split("split", false),
    array_split: split("array_split", true),
    newaxis: NONE,
    random: makeNumpyRandom(),
    ...creationMembers(),
    ...reshapingMembers(),
  };
  for (const d of ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool_"]) members[d] = str(d);
  const m: PyModule = { kind: "module", name: "numpy", dict: new Map(Object.entries(members)) };
  m.dict.set("__getattr__", builtin("numpy.__getattr__", (a) => unknown(`numpy.${a[0]?.kind === "str" ? a[0].v : "?"}`)));
  return m;
}
