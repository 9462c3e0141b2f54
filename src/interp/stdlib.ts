// The parts of Python's standard library that model files use: math, functools, copy,
// collections, typing, itertools, operator, and harmless stand-ins for os/sys/warnings/logging.

import {
  type Kwargs,
  type PyClass,
  type PyDict,
  type PyInstance,
  type PyModule,
  type Value,
  type NativeContext,
  NONE,
  OBJECT_CLASS,
  PyException,
  bool,
  builtin,
  dict,
  float,
  int,
  list,
  nativeClass,
  str,
  tuple,
  unknownName,
  unknownCode,
} from "./values";
import type { InterpreterCore as Interpreter } from "./runtime";
import { BUILTIN_FUNCTION_CLASS, DICT_CLASS, FUNCTION_CLASS, METHOD_CLASS, MODULE_CLASS } from "./types";
import { collectionsAbcMembers, numbersMembers, typingMembers } from "./abstract-types";
import { makeInspect } from "./inspect-module";
import { makeDataclasses } from "./dataclasses-module";
import { makeNumpy } from "./numpy-module";
import { makeNumpyRandom } from "./numpy-creation";
import { makeRe } from "./re-module";
import { makeEnum } from "./enum-module";
import { argparseMembers } from "./argparse-module";
import { makeArgv } from "./command-line";
import { NAMED_TUPLE_BASE, namedtupleFactory } from "./namedtuple-module";
import { SIMPLE_NAMESPACE_CLASS } from "./simple-namespace";

const cache = new Map<string, PyModule>();

function mod(name: string, members: Record<string, Value>): PyModule {
  return { kind: "module", name, dict: new Map(Object.entries(members)) };
}

function num(v: Value | undefined, what: string): number {
  if (v && (v.kind === "int" || v.kind === "float")) return v.v;
  if (v && v.kind === "bool") return v.v ? 1 : 0;
  if (v && v.kind === "unknown") throw new PyException("ValueError", `${what} of a value the analyzer cannot know (${v.why})`, undefined, unknownCode(v));
  throw new PyException("TypeError", `${what}: must be a real number`);
}

const f1 = (name: string, f: (x: number) => number, asInt = false) =>
  builtin(name, (a) => {
    const r = f(num(a[0], `math.${name}()`));
    return asInt ? int(r) : float(r);
  });

function makeMath(): PyModule {
  return mod("math", {
    pi: float(Math.PI),
    e: float(Math.E),
    tau: float(2 * Math.PI),
    inf: float(Infinity),
    nan: float(NaN),
    ceil: f1("ceil", Math.ceil, true),
    floor: f1("floor", Math.floor, true),
    trunc: f1("trunc", Math.trunc, true),
    sqrt: f1("sqrt", Math.sqrt),
    exp: f1("exp", Math.exp),
    log2: f1("log2", Math.log2),
    log10: f1("log10", Math.log10),
    fabs: f1("fabs", Math.abs),
    sin: f1("sin", Math.sin),
    cos: f1("cos", Math.cos),
    tanh: f1("tanh", Math.tanh),
    erf: f1("erf", (x) => {
      const t = 1 / (1 + 0.3275911 * Math.abs(x));
      const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
      return x >= 0 ? y : -y;
    }),
    log: builtin("log", (a) => float(a[1] ? Math.log(num(a[0], "math.log()")) / Math.log(num(a[1], "math.log()")) : Math.log(num(a[0], "math.log()")))),
    pow: builtin("pow", (a) => float(Math.pow(num(a[0], "math.pow()"), num(a[1], "math.pow()")))),
    isclose: builtin("isclose", (a) => bool(Math.abs(num(a[0], "isclose") - num(a[1], "isclose")) <= 1e-9 * Math.max(Math.abs(num(a[0], "isclose")), Math.abs(num(a[1], "isclose"))))),
    isfinite: builtin("isfinite", (a) => bool(Number.isFinite(num(a[0], "isfinite")))),
    gcd: builtin("gcd", (a) => {
      let x = Math.abs(num(a[0], "gcd"));
      let y = Math.abs(num(a[1], "gcd"));
      while (y) [x, y] = [y, x % y];
      return int(x);
    }),
    prod: builtin("prod", (a, _k, ctx) => {
      let acc: Value = int(1);
      for (const x of ctx.iterate(a[0])) acc = (ctx as Interpreter).binary("*", acc, x, false);
      return acc;
    }),
    factorial: builtin("factorial", (a) => {
      let r = 1;
      for (let i = 2; i <= num(a[0], "factorial"); i++) r *= i;
      return int(r);
    }),
    comb: builtin("comb", (a) => int(comb(num(a[0], "comb"), num(a[1], "comb")))),
    perm: builtin("perm", (a) => {
      const n = num(a[0], "perm");
      const k = a[1] ? num(a[1], "perm") : n;
      let r = 1;
      for (let i = 0; i < k; i++) r *= n - i;
      return int(k > n ? 0 : r);
    }),
    isqrt: builtin("isqrt", (a) => int(Math.floor(Math.sqrt(num(a[0], "isqrt"))))),
    lcm: builtin("lcm", (a) => {
      const g = (x: number, y: number): number => (y ? g(y, x % y) : x);
      return int(a.reduce((acc, v) => {
        const x = Math.abs(num(v, "lcm"));
        return acc === 0 || x === 0 ? 0 : (acc / g(acc, x)) * x;
      }, 1));
    }),
    isnan: builtin("isnan", (a) => bool(Number.isNaN(num(a[0], "isnan")))),
    isinf: builtin("isinf", (a) => bool(Math.abs(num(a[0], "isinf")) === Infinity)),
    copysign: builtin("copysign", (a) => float(Math.sign(num(a[1], "copysign")) * Math.abs(num(a[0], "copysign")) || Math.abs(num(a[0], "copysign")))),
    hypot: builtin("hypot", (a) => float(Math.hypot(...a.map((v) => num(v, "hypot"))))),
    radians: builtin("radians", (a) => float((num(a[0], "radians") * Math.PI) / 180)),
    degrees: builtin("degrees", (a) => float((num(a[0], "degrees") * 180) / Math.PI)),
    atan2: builtin("atan2", (a) => float(Math.atan2(num(a[0], "atan2"), num(a[1], "atan2")))),
    ...Object.fromEntries(
      (["tan", "asin", "acos", "atan", "sinh", "cosh", "log1p", "expm1"] as const).map((f) => [f, builtin(f, (a) => float(Math[f](num(a[0], f))))]),
    ),
  });
}

/** n choose k, exact for the sizes model code uses. */
function comb(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(r);
}

/**
 * functools.partial: a class, so `isinstance(p, partial)` holds and `p.func`, `p.args`, `p.keywords`
 * read back what was bound (timm's layer factories inspect them); calling adds the new arguments.
 */
const PARTIAL_CLASS: PyClass = nativeClass("partial", "functools", [OBJECT_CLASS], {
  __init__: builtin("__init__", (a, k) => {
    const [self, fn, ...args] = a as [PyInstance, Value, ...Value[]];
    // partial(partial(f, a), b) flattens to partial(f, a, b), as Python's does.
    const inner = fn.kind === "instance" && fn.cls === PARTIAL_CLASS ? fn : undefined;
    const { args: all, kwargs } = withBound(inner, args, k);
    self.dict.set("func", inner?.dict.get("func") ?? fn);
    self.dict.set("args", tuple(all));
    self.dict.set("keywords", dict([...kwargs].map(([kk, vv]) => [str(kk), vv])));
    return NONE;
  }),
  __call__: builtin("__call__", (a, k, ctx) => {
    const self = a[0] as PyInstance;
    const { args, kwargs } = withBound(self, a.slice(1), k);
    return ctx.call(self.dict.get("func") ?? NONE, args, kwargs);
  }),
});

/** A partial's bound arguments followed by `args`, and its keywords updated with `kwargs`. */
function withBound(p: PyInstance | undefined, args: Value[], kwargs: Kwargs): { args: Value[]; kwargs: Kwargs } {
  const bound = p?.dict.get("args");
  const keywords = p?.dict.get("keywords");
  const merged: Kwargs = new Map(keywords?.kind === "dict" ? [...keywords.map.values()].map((e) => [(e.key as { v: string }).v, e.value]) : []);
  for (const [k, v] of kwargs) merged.set(k, v);
  return { args: [...(bound?.kind === "tuple" ? bound.items : []), ...args], kwargs: merged };
}

const identityDecorator = builtin("decorator", (a) => a[0] ?? NONE);
const decoratorFactory = builtin("decorator_factory", (a, k) => (a.length === 1 && k.size === 0 && a[0].kind === "function" ? a[0] : identityDecorator));

function makeFunctools(): PyModule {
  return mod("functools", {
    partial: PARTIAL_CLASS,
    reduce: builtin("reduce", (a, _k, ctx) => {
      const items = ctx.iterate(a[1]);
      let acc = a.length > 2 ? a[2] : items.shift();
      if (acc === undefined) throw new PyException("TypeError", "reduce() of empty iterable with no initial value");
      for (const x of items) acc = ctx.call(a[0], [acc, x]);
      return acc;
    }),
    wraps: builtin("wraps", (a, _k, ctx) => {
      const wrapped = a[0] ?? NONE;
      return builtin("wraps.<decorator>", (b) => updateWrapper(ctx, b[0] ?? NONE, wrapped));
    }),
    lru_cache: decoratorFactory,
    cache: identityDecorator,
    cached_property: builtin("cached_property", (a) => ({ kind: "property", fget: a[0] })),
    update_wrapper: builtin("update_wrapper", (a, _k, ctx) => updateWrapper(ctx, a[0] ?? NONE, a[1] ?? NONE)),
  });
}

/**
 * functools.update_wrapper: the wrapper takes the wrapped function's name (registries such as
 * torchvision's `@register_model` key builders by `fn.__name__`) and points back to it.
 */
function updateWrapper(ctx: NativeContext, wrapper: Value, wrapped: Value): Value {
  if (wrapper.kind !== "function" && wrapper.kind !== "instance") return wrapper;
  for (const name of ["__module__", "__name__", "__qualname__", "__doc__"]) {
    const v = ctx.getAttrOrUndefined(wrapped, name);
    if (v !== undefined && v.kind !== "unknown") ctx.setAttr(wrapper, name, v);
  }
  ctx.setAttr(wrapper, "__wrapped__", wrapped);
  return wrapper;
}

/** Deep copy for copy.deepcopy: containers and instances (with stub state) are copied; classes, functions and modules are shared. */
export function deepCopy(v: Value, memo = new Map<object, unknown>(), newUid: () => number): Value {
  const hit = memo.get(v);
  if (hit) return hit as Value;
  switch (v.kind) {
    case "list": {
      const out = list([]);
      memo.set(v, out);
      out.items = v.items.map((x) => deepCopy(x, memo, newUid));
      return out;
    }
    case "tuple":
      return tuple(v.items.map((x) => deepCopy(x, memo, newUid)));
    case "dict": {
      const out = dict();
      memo.set(v, out);
      for (const [h, e] of v.map) out.map.set(h, { key: e.key, value: deepCopy(e.value, memo, newUid) });
      return out;
    }
    case "set":
      return { kind: "set", map: new Map(v.map), frozen: v.frozen };
    case "instance": {
      const out = { kind: "instance" as const, cls: v.cls, dict: new Map<string, Value>(), uid: newUid(), native: undefined as unknown };
      memo.set(v, out);
      for (const [k, x] of v.dict) out.dict.set(k, deepCopy(x, memo, newUid));
      out.native = copyNative(v.native, memo, newUid);
      return out;
    }
    case "tensor":
      return { ...v, shape: v.shape.slice() };
    default:
      return v;
  }
}

function copyNative(n: unknown, memo: Map<object, unknown>, newUid: () => number): unknown {
  if (n === null || typeof n !== "object") return n;
  const hit = memo.get(n);
  if (hit) return hit;
  if ("kind" in (n as object) && typeof (n as { kind: unknown }).kind === "string") return deepCopy(n as Value, memo, newUid);
  if (n instanceof Map) {
    const m = new Map();
    memo.set(n, m);
    for (const [k, x] of n) m.set(k, copyNative(x, memo, newUid));
    return m;
  }
  if (Array.isArray(n)) {
    const a: unknown[] = [];
    memo.set(n, a);
    for (const x of n) a.push(copyNative(x, memo, newUid));
    return a;
  }
  const o: Record<string, unknown> = {};
  memo.set(n, o);
  for (const [k, x] of Object.entries(n)) {
    // An owner link (a torch module's `parent`, which gives its scope path) to something outside the
    // copy is left behind: Python modules hold no such link, and a copy belongs to whoever registers
    // it next (nn.TransformerEncoder deep-copies a layer the user may have registered elsewhere).
    if (k === "parent" && isOwnerLink(x) && !memo.has(x.module)) continue;
    o[k] = copyNative(x, memo, newUid);
  }
  return o;
}

function isOwnerLink(x: unknown): x is { module: object } {
  return typeof x === "object" && x !== null && typeof (x as { module?: unknown }).module === "object";
}

function makeCopy(): PyModule {
  return mod("copy", {
    deepcopy: builtin("deepcopy", (a, _k, ctx) => deepCopy(a[0], new Map(), () => ctx.newInstance(OBJECT_CLASS).uid)),
    copy: builtin("copy", (a, _k, ctx) => {
      const v = a[0];
      if (v.kind === "list") return list(v.items.slice());
      if (v.kind === "dict") return { kind: "dict", map: new Map(v.map) };
      if (v.kind === "instance") {
        const out = ctx.newInstance(v.cls);
        for (const [k, x] of v.dict) out.dict.set(k, x);
        out.native = v.native;
        return out;
      }
      return v;
    }),
  });
}

function makeCollections(): PyModule {
  const ordered = nativeClass("OrderedDict", "collections", [DICT_CLASS], {});
  const od = builtin("OrderedDict", (a, k, ctx) => ctx.call(DICT_CLASS, a, k));
  void ordered;
  return mod("collections", {
    // The module object `import collections.abc` gives, so both spellings hold the same classes.
    abc: stdlibModule("collections.abc")!,
    OrderedDict: od,
    namedtuple: namedtupleFactory,
    defaultdict: builtin("defaultdict", (a, kw, ctx) => {
      const d = ctx.call(DICT_CLASS, a.slice(1), kw) as PyDict;
      d.defaultFactory = a[0] ?? NONE;
      return d;
    }),
    Counter: builtin("Counter", () => dict()),
    deque: builtin("deque", (a, _k, ctx) => list(a[0] ? ctx.iterate(a[0]) : [])),
  });
}

/** `typing` names are only used in annotations and casts: a permissive stand-in. */
function makeTyping(): PyModule {
  const anyType: Value = nativeClass("Any", "typing", [OBJECT_CLASS], {
    __class_getitem__: builtin("__class_getitem__", (a) => a[0]),
  });
  const m = mod("typing", {
    ...typingMembers(stdlibModule("collections.abc")!.dict),
    TYPE_CHECKING: bool(false),
    cast: builtin("cast", (a) => a[1] ?? NONE),
    overload: identityDecorator,
    final: identityDecorator,
    no_type_check: identityDecorator,
    TypeVar: builtin("TypeVar", () => anyType),
    NamedTuple: NAMED_TUPLE_BASE,
  });
  m.dict.set("__getattr__", builtin("__getattr__", () => anyType));
  return m;
}


function makeItertools(): PyModule {
  return mod("itertools", {
    chain: builtin("chain", (a, _k, ctx) => ({ kind: "iterator", items: a.flatMap((x) => ctx.iterate(x)), index: 0 })),
    product: builtin("product", (a, k, ctx) => {
      const rep = k.get("repeat");
      let pools = a.map((x) => ctx.iterate(x));
      if (rep?.kind === "int") pools = Array.from({ length: rep.v }, () => pools).flat();
      let acc: Value[][] = [[]];
      for (const p of pools) acc = acc.flatMap((pre) => p.map((x) => [...pre, x]));
      return { kind: "iterator", items: acc.map((t) => tuple(t)), index: 0 };
    }),
    repeat: builtin("repeat", (a) => ({ kind: "iterator", items: Array.from({ length: a[1]?.kind === "int" ? a[1].v : 0 }, () => a[0]), index: 0 })),
    accumulate: builtin("accumulate", (a, _k, ctx) => {
      const out: Value[] = [];
      let acc: Value | undefined;
      for (const x of ctx.iterate(a[0])) {
        acc = acc === undefined ? x : a[1] ? ctx.call(a[1], [acc, x]) : (ctx as Interpreter).binary("+", acc, x, false);
        out.push(acc);
      }
      return { kind: "iterator", items: out, index: 0 };
    }),
  });
}

function makeOperator(): PyModule {
  const op2 = (name: string, sym: "+" | "*" | "-") => builtin(name, (a, _k, ctx) => (ctx as Interpreter).binary(sym, a[0], a[1], false));
  return mod("operator", { add: op2("add", "+"), mul: op2("mul", "*"), sub: op2("sub", "-") });
}

/**
 * sys.modules: the modules this analysis has loaded (and the stubs), looked up by dotted name when
 * asked; timm's @register_model reads `sys.modules[fn.__module__]` while its own module loads.
 */
const LOADED_MODULES = nativeClass("modules", "sys", [OBJECT_CLASS], {
  __getitem__: builtin("__getitem__", (a, _k, ctx) => findLoaded(ctx, a[1]) ?? ctx.raise("KeyError", ctx.repr(a[1] ?? NONE))),
  get: builtin("get", (a, _k, ctx) => findLoaded(ctx, a[1]) ?? a[2] ?? NONE),
  __contains__: builtin("__contains__", (a, _k, ctx) => bool(findLoaded(ctx, a[1]) !== undefined)),
});

function findLoaded(ctx: NativeContext, key: Value | undefined): PyModule | undefined {
  return key?.kind === "str" ? ctx.loadedModule?.(key.v) : undefined;
}

function harmless(name: string, members: Record<string, Value> = {}): PyModule {
  const m = mod(name, members);
  m.dict.set("__getattr__", builtin("__getattr__", (a) => unknownName(`${name}.${a[0]?.kind === "str" ? a[0].v : "?"}`)));
  return m;
}

const noop = builtin("noop", () => NONE);

function makeAbc(): PyModule {
  const ABC = nativeClass("ABC", "abc", [OBJECT_CLASS], {});
  return mod("abc", { ABC, ABCMeta: ABC, abstractmethod: identityDecorator, abstractproperty: builtin("abstractproperty", (a) => ({ kind: "property", fget: a[0] })) });
}

const factories: Record<string, () => PyModule> = {
  math: makeMath,
  functools: makeFunctools,
  copy: makeCopy,
  collections: makeCollections,
  "collections.abc": () => mod("collections.abc", collectionsAbcMembers("collections.abc")),
  typing: makeTyping,
  typing_extensions: makeTyping,
  itertools: makeItertools,
  operator: makeOperator,
  abc: makeAbc,
  inspect: makeInspect,
  numpy: makeNumpy,
  "numpy.random": makeNumpyRandom,
  numbers: () => mod("numbers", numbersMembers()),
  types: () =>
    harmless("types", {
      FunctionType: FUNCTION_CLASS,
      LambdaType: FUNCTION_CLASS,
      MethodType: METHOD_CLASS,
      BuiltinFunctionType: BUILTIN_FUNCTION_CLASS,
      BuiltinMethodType: BUILTIN_FUNCTION_CLASS,
      ModuleType: MODULE_CLASS,
      SimpleNamespace: SIMPLE_NAMESPACE_CLASS,
    }),
  re: makeRe,
  __future__: () => harmless("__future__", { annotations: bool(true) }),
  warnings: () => harmless("warnings", { warn: noop, filterwarnings: noop, simplefilter: noop }),
  logging: () => harmless("logging", { getLogger: builtin("getLogger", () => harmless("logger", { info: noop, debug: noop, warning: noop })), basicConfig: noop }),
  os: () => harmless("os", { environ: dict(), sep: str("/"), path: harmless("os.path") }),
  "os.path": () => harmless("os.path"),
  dataclasses: makeDataclasses,
  enum: makeEnum,

  argparse: () => harmless("argparse", argparseMembers()),
  random: () => harmless("random", { seed: noop }),
  time: () => harmless("time"),
};

/** sys, made once per analysis: its argv names the analysed file, and what code assigns to it stays in that analysis. */
function makeSys(file: string): PyModule {
  const m = harmless("sys", { argv: makeArgv(file), version_info: tuple([int(3), int(11), int(0)]), maxsize: int(Number.MAX_SAFE_INTEGER) });
  const rest = m.dict.get("__getattr__")!;
  // sys.modules is made on each access: it answers for the analysis that reads it.
  m.dict.set("__getattr__", builtin("__getattr__", (a, k, ctx) => (a[0]?.kind === "str" && a[0].v === "modules" ? ctx.newInstance(LOADED_MODULES) : ctx.call(rest, a, k))));
  return m;
}

export function stdlibModule(name: string, ctx?: NativeContext): PyModule | undefined {
  if (name === "sys") {
    if (!ctx) return undefined;
    let m = ctx.state.get("stdlib:sys") as PyModule | undefined;
    if (!m) ctx.state.set("stdlib:sys", (m = makeSys(ctx.mainFile?.() ?? "")));
    return m;
  }
  const hit = cache.get(name);
  if (hit) return hit;
  const f = factories[name];
  if (!f) return undefined;
  const m = f();
  cache.set(name, m);
  return m;
}

export type { Kwargs };
