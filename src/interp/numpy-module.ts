// The slice of numpy that model-building code uses for plain numbers: schedules such as
// `np.linspace(0, drop_path_rate, sum(depths))`, `np.prod(shape)`, `np.ceil(x / 8)`. One-dimensional
// results are Python lists (iterable, indexable, with `tolist()` in the list methods); scalars are
// floats or ints. Anything array-shaped beyond that (random data, n-d arrays) is unknown.

import { type PyModule, type Value, type NativeContext, PyException, builtin, float, int, list, str, unknown, unknownCode } from "./values";

function num(v: Value | undefined, what: string): number {
  if (v && (v.kind === "int" || v.kind === "float")) return v.v;
  if (v && v.kind === "bool") return v.v ? 1 : 0;
  if (v && v.kind === "unknown") throw new PyException("ValueError", `${what} of a value the analyzer cannot know (${v.why})`, undefined, unknownCode(v));
  throw new PyException("TypeError", `${what}: expected a number, got a ${v?.kind ?? "missing value"}`);
}

/** Numbers of a scalar or a (nested) iterable, flattened. */
function numbers(ctx: NativeContext, v: Value, what: string): number[] {
  if (v.kind === "int" || v.kind === "float" || v.kind === "bool") return [num(v, what)];
  return ctx.iterate(v).flatMap((x) => numbers(ctx, x, what));
}

const asValue = (x: number, integral: boolean): Value => (integral && Number.isInteger(x) ? int(x) : float(x));
const allInts = (ctx: NativeContext, v: Value): boolean =>
  v.kind === "int" || v.kind === "bool" || (v.kind !== "float" && ctx.iterate(v).every((x) => allInts(ctx, x)));

/** Element-wise on a scalar or a list; ints stay ints only where `keepInt`. */
function elementwise(name: string, f: (x: number) => number, keepInt = false) {
  return builtin(`numpy.${name}`, (a, _k, ctx) => {
    const v = a[0];
    if (!v) throw new PyException("TypeError", `numpy.${name}() needs an argument`);
    if (v.kind === "int" || v.kind === "float" || v.kind === "bool") return asValue(f(num(v, `numpy.${name}()`)), keepInt && v.kind !== "float");
    return list(ctx.iterate(v).map((x) => asValue(f(num(x, `numpy.${name}()`)), keepInt && x.kind !== "float")));
  });
}

function reduce(name: string, f: (xs: number[]) => number) {
  return builtin(`numpy.${name}`, (a, _k, ctx) => {
    const v = a[0];
    if (!v) throw new PyException("TypeError", `numpy.${name}() needs an argument`);
    return asValue(f(numbers(ctx, v, `numpy.${name}()`)), name !== "mean" && allInts(ctx, v));
  });
}

export function makeNumpy(): PyModule {
  const members: Record<string, Value> = {
    pi: float(Math.PI),
    e: float(Math.E),
    inf: float(Infinity),
    nan: float(NaN),
    linspace: builtin("numpy.linspace", (a, k) => {
      const start = num(a[0], "numpy.linspace()");
      const stop = num(a[1], "numpy.linspace()");
      const n = num(a[2] ?? k.get("num") ?? int(50), "numpy.linspace()");
      const endpointArg = a[3] ?? k.get("endpoint");
      const endpoint = endpointArg?.kind === "bool" ? endpointArg.v : true;
      const steps = endpoint ? n - 1 : n;
      return list(Array.from({ length: n }, (_, i) => float(steps > 0 ? start + ((stop - start) * i) / steps : start)));
    }),
    arange: builtin("numpy.arange", (a) => {
      const [start, stop, step] = a.length === 1 ? [0, num(a[0], "numpy.arange()"), 1] : [num(a[0], "numpy.arange()"), num(a[1], "numpy.arange()"), a[2] ? num(a[2], "numpy.arange()") : 1];
      const integral = a.every((x) => x.kind === "int");
      // numpy's length, ceil((stop - start) / step), and start + i * step: no rounding error builds up.
      const n = step === 0 ? 0 : Math.max(0, Math.ceil((stop - start) / step));
      return list(Array.from({ length: n }, (_, i) => asValue(start + i * step, integral)));
    }),
    array: builtin("numpy.array", (a, _k, ctx) => (a[0] && a[0].kind !== "int" && a[0].kind !== "float" ? list(ctx.iterate(a[0])) : a[0] ?? unknown("numpy.array()"))),
    prod: reduce("prod", (xs) => xs.reduce((p, x) => p * x, 1)),
    sum: reduce("sum", (xs) => xs.reduce((p, x) => p + x, 0)),
    mean: reduce("mean", (xs) => xs.reduce((p, x) => p + x, 0) / xs.length),
    max: reduce("max", (xs) => Math.max(...xs)),
    min: reduce("min", (xs) => Math.min(...xs)),
    cumsum: builtin("numpy.cumsum", (a, _k, ctx) => {
      let acc = 0;
      const integral = a[0] ? allInts(ctx, a[0]) : true;
      return list(numbers(ctx, a[0] ?? list([]), "numpy.cumsum()").map((x) => asValue((acc += x), integral)));
    }),
    sqrt: elementwise("sqrt", Math.sqrt),
    exp: elementwise("exp", Math.exp),
    log: elementwise("log", Math.log),
    log2: elementwise("log2", Math.log2),
    ceil: elementwise("ceil", Math.ceil),
    floor: elementwise("floor", Math.floor),
    round: elementwise("round", (x) => {
      // numpy rounds half to even, as Python's round() does.
      const r = Math.round(x);
      return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }, true),
    abs: elementwise("abs", Math.abs, true),
  };
  for (const d of ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool_"]) members[d] = str(d);
  const m: PyModule = { kind: "module", name: "numpy", dict: new Map(Object.entries(members)) };
  m.dict.set("__getattr__", builtin("numpy.__getattr__", (a) => unknown(`numpy.${a[0]?.kind === "str" ? a[0].v : "?"}`)));
  return m;
}
