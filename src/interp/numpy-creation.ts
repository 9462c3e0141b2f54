// numpy's array makers: np.zeros / ones / empty / full of a shape, their *_like twins, np.eye, and
// np.random's samplers. One-dimensional arrays of known numbers keep them (np.zeros(5) + 1 is still
// known); anything else is known by its shape (numpy-data.ts), which is what model code needs of a
// random batch or a captured feature matrix. A shape the analyzer cannot know makes the result that
// unknown, and a random number (no size) is an unknown number.

import { bindArgs } from "./args";
import { type ArrayData, MAX_VALUES, dtypeArg, isIntegerDtype, shapeOfData } from "./numpy-data";
import { arrayOf, isScalar, ndarray, num, operandOf, shapeArg, shapedArray } from "./numpy-array";
import { type NativeContext, type PyModule, type Value, NONE, PyException, builtin, derivedUnknown, unknown } from "./values";

/** An array of this shape: its numbers when one-dimensional, short and of one known number. */
function make(ctx: NativeContext, what: string, shapeV: Value, integral: boolean, dtype: string | undefined, fill: number | undefined): Value {
  const dims = shapeArg(ctx, shapeV, what);
  if (!Array.isArray(dims)) return dims;
  if (dims.some((d) => d < 0)) throw new PyException("ValueError", "negative dimensions are not allowed");
  const value = fill !== undefined && integral ? Math.trunc(fill) : fill;
  if (dims.length === 1 && value !== undefined && dims[0] <= MAX_VALUES) return ndarray(ctx, new Array<number>(dims[0]).fill(value), integral, dtype);
  return shapedArray(ctx, dims, integral, dtype, value);
}

/** The dtype a maker was given, else its default (`float` for zeros, the fill value's type for full). */
function dtypeOf(d: Value | undefined, defaultIntegral: boolean): { integral: boolean; name?: string } {
  if (!d || d.kind === "none") return { integral: defaultIntegral };
  return { integral: isIntegerDtype(d), name: dtypeArg(d) };
}

/** np.zeros(shape, dtype=float) and np.ones / np.empty. */
function maker(name: string, fill: number | undefined): Value {
  return builtin(`numpy.${name}`, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, `numpy.${name}`, args, kwargs, ["shape", "dtype=", "order=", "*", "like=", "device="]);
    const t = dtypeOf(a.dtype, false);
    return make(ctx, `numpy.${name}()`, a.shape!, t.integral, t.name, fill);
  });
}

/** The number a fill value gives each element, when it is one known number. */
const fillNumber = (v: Value): number | undefined => (isScalar(v) ? num(v, "fill_value") : undefined);

const full = builtin("numpy.full", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "numpy.full", args, kwargs, ["shape", "fill_value", "dtype=", "order=", "*", "like=", "device="]);
  const v = a.fill_value!;
  const t = dtypeOf(a.dtype, v.kind === "int" || v.kind === "bool" || (!!arrayOf(v) && arrayOf(v)!.integral));
  return make(ctx, "numpy.full()", a.shape!, t.integral, t.name, fillNumber(v));
});

/** The shape and dtype of a *_like argument: an ndarray, a nested list of numbers or a number. */
function likeOf(ctx: NativeContext, v: Value, what: string): { shape: number[]; integral: boolean; dtype?: string } {
  const d: ArrayData | undefined = arrayOf(v);
  if (d) return { shape: shapeOfData(d), integral: d.integral, dtype: d.dtype };
  return operandOf(ctx, v, what);
}

/** np.zeros_like(a, dtype=None) and kin: `a`'s shape and dtype. */
function likeMaker(name: string, fill: number | undefined | "arg"): Value {
  return builtin(`numpy.${name}`, (args, kwargs, ctx) => {
    const params = fill === "arg" ? ["a", "fill_value", "dtype="] : ["a", "dtype="];
    const a = bindArgs(ctx, `numpy.${name}`, args, kwargs, [...params, "order=", "subok=", "shape=", "*", "device="]);
    const proto = a.a!;
    if (proto.kind === "unknown") return derivedUnknown(proto, `numpy.${name}() of ${proto.why}`);
    const like = likeOf(ctx, proto, `numpy.${name}()`);
    const t = a.dtype && a.dtype.kind !== "none" ? dtypeOf(a.dtype, false) : { integral: like.integral, name: like.dtype };
    const shape = a.shape && a.shape.kind !== "none" ? a.shape : { kind: "tuple" as const, items: like.shape.map((n) => ({ kind: "int" as const, v: n })) };
    return make(ctx, `numpy.${name}()`, shape, t.integral, t.name, fill === "arg" ? fillNumber(a.fill_value!) : fill);
  });
}

const eye = builtin("numpy.eye", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "numpy.eye", args, kwargs, ["N", "M=", "k=", "dtype=", "order=", "*", "like=", "device="]);
  const n = a.N!;
  const m = a.M && a.M.kind !== "none" ? a.M : n;
  const t = dtypeOf(a.dtype, false);
  return make(ctx, "numpy.eye()", { kind: "tuple", items: [n, m] }, t.integral, t.name, undefined);
});

export function creationMembers(): Record<string, Value> {
  return {
    zeros: maker("zeros", 0),
    ones: maker("ones", 1),
    empty: maker("empty", undefined),
    full,
    zeros_like: likeMaker("zeros_like", 0),
    ones_like: likeMaker("ones_like", 1),
    empty_like: likeMaker("empty_like", undefined),
    full_like: likeMaker("full_like", "arg"),
    eye,
    identity: builtin("numpy.identity", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "numpy.identity", args, kwargs, ["n", "dtype=", "*", "like="]);
      const t = dtypeOf(a.dtype, false);
      return make(ctx, "numpy.identity()", { kind: "tuple", items: [a.n!, a.n!] }, t.integral, t.name, undefined);
    }),
  };
}

// ---- np.random ----------------------------------------------------------------------------------

/** Random samples of `size` (an int or a shape); no size is one random number, which is unknown. */
function sample(ctx: NativeContext, what: string, size: Value | undefined, integral: boolean): Value {
  if (!size || size.kind === "none") return unknown(`a random number from ${what}`);
  return make(ctx, what, size, integral, undefined, undefined);
}

/** A sampler with numpy's parameters, `size` among them. */
function sampler(name: string, params: string[], integral: boolean | ((a: Record<string, Value | undefined>) => boolean) = false): Value {
  return builtin(`numpy.random.${name}`, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, `numpy.random.${name}`, args, kwargs, params);
    return sample(ctx, `numpy.random.${name}()`, a.size, typeof integral === "function" ? integral(a) : integral);
  });
}

/** np.random.rand(d0, d1, ...) / randn: the dims as separate ints. */
function dimsSampler(name: string): Value {
  return builtin(`numpy.random.${name}`, (args, _k, ctx) => (args.length === 0 ? unknown(`a random number from numpy.random.${name}()`) : make(ctx, `numpy.random.${name}()`, { kind: "tuple", items: args }, false, undefined, undefined)));
}

/** np.random.permutation(x): a shuffled arange(x) for an int, else x's shape. */
const permutation = builtin("numpy.random.permutation", (args, kwargs, ctx) => {
  const x = args[0] ?? kwargs.get("x") ?? NONE;
  if (x.kind === "unknown") return derivedUnknown(x, `numpy.random.permutation() of ${x.why}`);
  if (x.kind === "int") return make(ctx, "numpy.random.permutation()", x, true, undefined, undefined);
  const like = likeOf(ctx, x, "numpy.random.permutation()");
  return shapedArray(ctx, like.shape, like.integral, like.dtype);
});

const dtypeIsInt = (a: Record<string, Value | undefined>) => !a.dtype || a.dtype.kind === "none" || isIntegerDtype(a.dtype);

/** The samplers numpy's legacy module (np.random.normal) and a Generator (default_rng().normal) share. */
function samplers(): Record<string, Value> {
  return {
    normal: sampler("normal", ["loc=", "scale=", "size="]),
    uniform: sampler("uniform", ["low=", "high=", "size="]),
    standard_normal: sampler("standard_normal", ["size=", "dtype=", "out="]),
    random: sampler("random", ["size=", "dtype=", "out="]),
    random_sample: sampler("random_sample", ["size="]),
    sample: sampler("sample", ["size="]),
    ranf: sampler("ranf", ["size="]),
    exponential: sampler("exponential", ["scale=", "size="]),
    beta: sampler("beta", ["a", "b", "size="]),
    gamma: sampler("gamma", ["shape", "scale=", "size="]),
    laplace: sampler("laplace", ["loc=", "scale=", "size="]),
    binomial: sampler("binomial", ["n", "p", "size="], true),
    poisson: sampler("poisson", ["lam=", "size="], true),
    randint: sampler("randint", ["low", "high=", "size=", "dtype="], dtypeIsInt),
    integers: sampler("integers", ["low", "high=", "size=", "dtype=", "endpoint="], dtypeIsInt),
    choice: builtin("numpy.random.choice", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "numpy.random.choice", args, kwargs, ["a", "size=", "replace=", "p=", "axis=", "shuffle="]);
      const from = a.a!;
      const integral = from.kind === "int" || (from.kind !== "unknown" && operandOf(ctx, from, "numpy.random.choice()").integral);
      return sample(ctx, "numpy.random.choice()", a.size, integral);
    }),
    permutation,
    shuffle: builtin("numpy.random.shuffle", () => NONE),
  };
}

/** A Generator (`np.random.default_rng(0)`) or RandomState: the same samplers as methods. */
function generator(name: string): PyModule {
  return { kind: "module", name, dict: new Map<string, Value>(Object.entries({ ...samplers(), rand: dimsSampler("rand"), randn: dimsSampler("randn") })) };
}

export function makeNumpyRandom(): PyModule {
  const members: Record<string, Value> = {
    ...samplers(),
    rand: dimsSampler("rand"),
    randn: dimsSampler("randn"),
    seed: builtin("numpy.random.seed", () => NONE),
    default_rng: builtin("numpy.random.default_rng", () => generator("numpy.random.Generator")),
    RandomState: builtin("numpy.random.RandomState", () => generator("numpy.random.RandomState")),
  };
  const m: PyModule = { kind: "module", name: "numpy.random", dict: new Map(Object.entries(members)) };
  m.dict.set("__getattr__", builtin("numpy.random.__getattr__", (a) => unknown(`numpy.random.${a[0]?.kind === "str" ? a[0].v : "?"}`)));
  return m;
}
