// Python's builtin functions and the constructors of the builtin types.

import {
  type Kwargs,
  type PyClass,
  type Value,
  NONE,
  OBJECT_CLASS,
  computeMro,
  PyException,
  bool,
  builtin,
  dict,
  float,
  hashKey,
  identityOf,
  int,
  list,
  str,
  tuple,
  unknown,
  NOT_IMPLEMENTED,
  derivedUnknown,
  settledDict,
  unknownCode,
} from "./values";
import type { InterpreterCore as Interpreter } from "./runtime";
import { mergeMapping } from "./mapping";
import { evalExpression } from "./eval-string";
import { installDictMethods } from "./dict-subclass";
import { rangeLength } from "./sequences";
import * as T from "./types";
import { bankersRound, formatSpec, isNumber, reprPrimitive } from "./ops";
import { sortItems } from "./primitive-methods";
import { abstractSubclass } from "./abstract-types";
import { tensorProtocol } from "./tensor-protocol";
import { ordered } from "./rich-compare";

function toNum(ctx: Interpreter, v: Value, what: string): number {
  if (v.kind === "int" || v.kind === "float") return v.v;
  if (v.kind === "bool") return v.v ? 1 : 0;
  if (v.kind === "tensor") {
    const x = tensorProtocol(v.framework)?.scalar?.(v);
    if (x !== undefined) return x;
    throw new PyException("ValueError", `${what} of a tensor's value (the analyzer tracks shapes, not values)`, undefined, "unknown-value");
  }
  if (v.kind === "unknown") throw new PyException("ValueError", `${what} of a value the analyzer cannot know (${v.why})`, undefined, unknownCode(v));
  throw new PyException("TypeError", `${what}: expected a number, got '${T.typeOf(v).name}'`);
}

function minMax(ctx: Interpreter, args: Value[], kwargs: Kwargs, sign: 1 | -1, name: string): Value {
  const items = args.length === 1 ? ctx.iterate(args[0]) : args;
  const key = kwargs.get("key");
  if (!items.length) {
    const d = kwargs.get("default");
    if (d) return d;
    throw new PyException("ValueError", `${name}() arg is an empty sequence`);
  }
  let best = items[0];
  let bestK = key ? ctx.call(key, [best]) : best;
  for (let i = 1; i < items.length; i++) {
    const k = key ? ctx.call(key, [items[i]]) : items[i];
    if (k.kind === "unknown" || bestK.kind === "unknown") return unknown(`${name}() of unknown values`);
    // As CPython: the first of equal items wins, and a class's own __lt__ / __gt__ answers.
    if (ordered(ctx, sign > 0 ? ">" : "<", k, bestK)) {
      best = items[i];
      bestK = k;
    }
  }
  return best;
}

export function makeBuiltins(ctx: Interpreter): Map<string, Value> {
  const b = new Map<string, Value>();
  installDictMethods();
  const def = (name: string, fn: (args: Value[], kwargs: Kwargs) => Value) => b.set(name, builtin(name, (a, k) => fn(a, k)));

  for (const c of [T.INT_CLASS, T.FLOAT_CLASS, T.STR_CLASS, T.BOOL_CLASS, T.LIST_CLASS, T.TUPLE_CLASS, T.DICT_CLASS, T.SET_CLASS, T.FROZENSET_CLASS, T.RANGE_CLASS, T.SLICE_CLASS, T.TYPE_CLASS, T.BYTES_CLASS, T.COMPLEX_CLASS]) b.set(c.name, c);
  b.set("object", OBJECT_CLASS);
  for (const [name, c] of T.exceptionClasses) b.set(name, c);
  b.set("None", NONE);
  b.set("True", bool(true));
  b.set("False", bool(false));
  b.set("NotImplemented", NOT_IMPLEMENTED);
  b.set("Ellipsis", { kind: "ellipsis" });
  b.set("__name__", str("builtins"));

  def("len", (a) => {
    const v = a[0];
    switch (v.kind) {
      case "str": return int([...v.v].length);
      case "list":
      case "tuple": return int(v.items.length);
      case "dict":
      case "set": return int(v.map.size);
      case "range": return int(rangeLength(v));
      case "tensor": {
        if (v.shape.length === 0) throw new PyException("TypeError", "len() of a 0-d tensor");
        const n = v.shape[0];
        return n === null ? unknown("the size of a tensor's first dimension") : int(n);
      }
      case "instance": {
        const l = ctx.lookupClass(v.cls, "__len__");
        if (l) return ctx.call(l, [v]);
        break;
      }
      case "unknown": return derivedUnknown(v, `len(${v.why})`);
    }
    throw new PyException("TypeError", `object of type '${T.typeOf(v).name}' has no len()`);
  });
  def("print", () => NONE);
  def("repr", (a) => str(ctx.repr(a[0])));
  def("abs", (a) => (a[0].kind === "float" ? float(Math.abs(a[0].v)) : a[0].kind === "unknown" ? a[0] : int(Math.abs(toNum(ctx, a[0], "abs()")))));
  def("round", (a) => {
    if (a[0].kind === "unknown") return a[0];
    const x = toNum(ctx, a[0], "round()");
    if (!a[1] || a[1].kind === "none") return int(bankersRound(x));
    const r = bankersRound(x, toNum(ctx, a[1], "round()"));
    return a[0].kind === "int" ? int(r) : float(r);
  });
  def("min", (a, k) => minMax(ctx, a, k, -1, "min"));
  def("max", (a, k) => minMax(ctx, a, k, 1, "max"));
  def("sum", (a) => {
    let acc: Value = a[1] ?? int(0);
    for (const x of ctx.iterate(a[0])) acc = ctx.binary("+", acc, x, false);
    return acc;
  });
  def("divmod", (a) => tuple([ctx.binary("//", a[0], a[1], false), ctx.binary("%", a[0], a[1], false)]));
  def("pow", (a) => ctx.binary("**", a[0], a[1], false));
  def("range", (a) => {
    const n = a.map((x) => {
      if (x.kind === "unknown") throw new PyException("ValueError", `range() of a value the analyzer cannot know (${x.why})`, undefined, unknownCode(x));
      return Math.trunc(toNum(ctx, x, "range()"));
    });
    if (n.length === 1) return { kind: "range", start: 0, stop: n[0], step: 1 };
    if (n[2] === 0) throw new PyException("ValueError", "range() arg 3 must not be zero");
    return { kind: "range", start: n[0], stop: n[1], step: n[2] ?? 1 };
  });
  def("enumerate", (a, k) => {
    const start = a[1] ?? k.get("start");
    const s0 = start ? toNum(ctx, start, "enumerate()") : 0;
    return { kind: "iterator", items: ctx.iterate(a[0]).map((v, i) => tuple([int(i + s0), v])), index: 0 };
  });
  def("zip", (a) => {
    const lists = a.map((x) => ctx.iterate(x));
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(tuple(lists.map((l) => l[i])));
    return { kind: "iterator", items: out, index: 0 };
  });
  def("map", (a) => {
    const lists = a.slice(1).map((x) => ctx.iterate(x));
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(ctx.call(a[0], lists.map((l) => l[i])));
    return { kind: "iterator", items: out, index: 0 };
  });
  def("filter", (a) => ({
    kind: "iterator",
    items: ctx.iterate(a[1]).filter((x) => ctx.truthy(a[0].kind === "none" ? x : ctx.call(a[0], [x]))),
    index: 0,
  }));
  def("reversed", (a) => ({ kind: "iterator", items: ctx.iterate(a[0]).reverse(), index: 0 }));
  def("sorted", (a, k) => list(sortItems(ctx, ctx.iterate(a[0]), k)));
  def("iter", (a) => ({ kind: "iterator", items: ctx.iterate(a[0]), index: 0 }));
  def("next", (a) => {
    const it = a[0];
    if (it.kind === "iterator") {
      if (it.index < it.items.length) return it.items[it.index++];
      if (a[1]) return a[1];
      throw new PyException("StopIteration", "");
    }
    if (it.kind === "instance") {
      const n = ctx.lookupClass(it.cls, "__next__");
      if (n) return ctx.call(n, [it]);
    }
    throw new PyException("TypeError", `'${T.typeOf(it).name}' object is not an iterator`);
  });
  def("any", (a) => bool(ctx.iterate(a[0]).some((x) => ctx.truthy(x))));
  def("all", (a) => bool(ctx.iterate(a[0]).every((x) => ctx.truthy(x))));
  def("isinstance", (a) => {
    if (a[0].kind === "unknown") return derivedUnknown(a[0], `isinstance(${a[0].why})`);
    if (ctx.isInstance(a[0], a[1])) return bool(true);
    // A class the analyzer does not know (from an unmodelled module) cannot be answered False.
    const classes = a[1].kind === "tuple" ? a[1].items : [a[1]];
    const unknownClass = classes.find((c) => c.kind === "unknown");
    return unknownClass?.kind === "unknown" ? derivedUnknown(unknownClass, `isinstance(..., ${unknownClass.why})`) : bool(false);
  });
  def("issubclass", (a) => {
    const check = (c: Value): boolean =>
      c.kind === "tuple" ? c.items.some(check) : a[0].kind === "class" && c.kind === "class" && (a[0].mro.includes(c) || !!abstractSubclass(a[0], c));
    return bool(check(a[1]));
  });
  def("getattr", (a) => {
    const name = a[1].kind === "str" ? a[1].v : "";
    const v = ctx.getAttrOrUndefined(a[0], name);
    if (v !== undefined) return v;
    if (a[2]) return a[2];
    return ctx.getAttr(a[0], name);
  });
  def("setattr", (a) => (ctx.setAttr(a[0], a[1].kind === "str" ? a[1].v : "", a[2]), NONE));
  def("hasattr", (a) => bool(ctx.getAttrOrUndefined(a[0], a[1].kind === "str" ? a[1].v : "") !== undefined));
  def("delattr", (a) => (a[0].kind === "instance" && a[1].kind === "str" && settledDict(a[0]).delete(a[1].v), NONE));
  def("callable", (a) => bool(["function", "builtin", "method", "class"].includes(a[0].kind) || (a[0].kind === "instance" && !!ctx.lookupClass(a[0].cls, "__call__"))));
  def("id", (a) => int(typeof a[0] === "object" ? identityOf(a[0]) : 0));
  def("hash", (a) => int(hashKey(a[0]).length));
  // vars(), locals() and globals() without an argument read the caller's scope: the expression layer
  // answers those calls (ExpressionEvaluator.namespaceCall); reached another way, they cannot know it.
  def("vars", (a) => {
    const o = a[0];
    if (o === undefined) return unknown("vars() of a scope the analyzer cannot see from here");
    if (o.kind === "unknown") return derivedUnknown(o, `vars(${o.why})`);
    const names = o.kind === "instance" ? settledDict(o) : o.kind === "class" || o.kind === "module" ? o.dict : o.kind === "function" ? o.dict ?? new Map<string, Value>() : undefined;
    if (!names) throw new PyException("TypeError", "vars() argument must have __dict__ attribute");
    return dict([...names].filter(([k]) => o.kind !== "module" || k !== "__getattr__").map(([k, v]) => [str(k), v] as [Value, Value]));
  });
  // dir(x): the names of a module, class or instance (the class's and its bases' too), sorted.
  def("dir", (a) => {
    const o = a[0];
    if (o === undefined) return unknown("dir() of the current scope");
    const names = new Set<string>();
    const dicts = o.kind === "module" ? [o.dict] : o.kind === "class" ? o.mro.map((c) => c.dict) : o.kind === "instance" ? [settledDict(o), ...o.cls.mro.map((c) => c.dict)] : [];
    for (const d of dicts) for (const k of d.keys()) if (k !== "__getattr__") names.add(k);
    return list([...names].sort().map(str));
  });
  def("ord", (a) => int(a[0].kind === "str" ? a[0].v.codePointAt(0) ?? 0 : 0));
  def("chr", (a) => str(String.fromCodePoint(toNum(ctx, a[0], "chr()"))));
  def("format", (a) => str(formatSpec(a[0], a[1]?.kind === "str" ? a[1].v : "")));
  def("locals", () => unknown("locals() of a scope the analyzer cannot see from here"));
  def("globals", () => unknown("globals() of a scope the analyzer cannot see from here"));
  def("open", () => {
    throw new PyException("OSError", "The analyzer does not read files at analysis time", undefined, "unsupported");
  });
  def("input", () => unknown("input()"));
  def("exec", () => {
    throw new PyException("RuntimeError", "exec() is not analysed", undefined, "unsupported");
  });
  // A string holding one expression is evaluated where eval is called, in the caller's scope.
  def("eval", (a, k) => {
    const source = a[0];
    if (source?.kind === "unknown") return source;
    if (source?.kind === "str" && a.length === 1 && k.size === 0) {
      const e = evalExpression(source.v, ctx.callFrom, ctx.callTo);
      if (e) return ctx.eval(e);
      const shown = source.v.length > 60 ? `${source.v.slice(0, 57)}...` : source.v;
      throw new PyException("RuntimeError", `eval() of ${ctx.repr(str(shown))} is not analysed: only a string holding one expression is.`, undefined, "unsupported");
    }
    throw new PyException("RuntimeError", "eval() is not analysed", undefined, "unsupported");
  });
  def("property", (a, k) => ({ kind: "property", fget: a[0] ?? k.get("fget") ?? NONE, fset: a[1] ?? k.get("fset") }));
  def("staticmethod", (a) => ({ kind: "staticmethod", fn: a[0] }));
  def("classmethod", (a) => ({ kind: "classmethod", fn: a[0] }));
  def("super", (a) => {
    const [cls, self] = a;
    if (cls?.kind !== "class" || !self) throw new PyException("TypeError", "super() needs a class and an instance");
    return { kind: "super", thisClass: cls, self };
  });
  b.set("__build_class__", unknown("__build_class__"));
  return b;
}

/** Constructors of builtin types; undefined when `cls` is not one (user classes are instantiated normally). */
export function constructBuiltin(ctx: Interpreter, cls: PyClass, args: Value[], kwargs: Kwargs): Value | undefined {
  if (!cls.native || cls.moduleName !== "builtins") return undefined;
  const a = args[0];
  switch (cls) {
    case T.INT_CLASS: {
      if (!a) return int(0);
      if (a.kind === "str") {
        const baseArg = args[1] ?? kwargs.get("base");
        const base = baseArg && baseArg.kind === "int" ? baseArg.v : 10;
        const n = parseInt(a.v.trim().replace(/_/g, ""), base);
        if (Number.isNaN(n)) throw new PyException("ValueError", `invalid literal for int() with base ${base}: '${a.v}'`);
        return int(n);
      }
      if (a.kind === "unknown") return a;
      return int(Math.trunc(toNum(ctx, a, "int()")));
    }
    case T.FLOAT_CLASS: {
      if (!a) return float(0);
      if (a.kind === "str") {
        const t = a.v.trim().toLowerCase();
        const n = t === "inf" || t === "+inf" ? Infinity : t === "-inf" ? -Infinity : t === "nan" ? NaN : Number(t);
        if (Number.isNaN(n) && t !== "nan") throw new PyException("ValueError", `could not convert string to float: '${a.v}'`);
        return float(n);
      }
      if (a.kind === "unknown") return a;
      return float(toNum(ctx, a, "float()"));
    }
    case T.STR_CLASS:
      return str(a ? ctx.toStr(a) : "");
    case T.BOOL_CLASS:
      return a ? (a.kind === "unknown" ? a : bool(ctx.truthy(a))) : bool(false);
    case T.LIST_CLASS:
      return list(a ? ctx.iterate(a) : []);
    case T.TUPLE_CLASS:
      return tuple(a ? ctx.iterate(a) : []);
    case T.SET_CLASS:
    case T.FROZENSET_CLASS: {
      const m = new Map<string, Value>();
      if (a) for (const x of ctx.iterate(a)) m.set(hashKey(x), x);
      return { kind: "set", map: m, frozen: cls === T.FROZENSET_CLASS };
    }
    case T.DICT_CLASS: {
      const d = dict();
      if (a) {
        if (a.kind === "dict") for (const [h, e] of a.map) d.map.set(h, e);
        else if (!mergeMapping(ctx, d, a)) {
          for (const p of ctx.iterate(a)) {
            const kv = ctx.iterate(p);
            d.map.set(hashKey(kv[0]), { key: kv[0], value: kv[1] });
          }
        }
      }
      for (const [k, v] of kwargs) d.map.set("s" + k, { key: str(k), value: v });
      return d;
    }
    case T.RANGE_CLASS:
      return ctx.call(makeRange(ctx), args);
    case T.SLICE_CLASS: {
      if (args.length === 1) return { kind: "slice", start: NONE, stop: args[0], step: NONE };
      return { kind: "slice", start: args[0] ?? NONE, stop: args[1] ?? NONE, step: args[2] ?? NONE };
    }
    case T.TYPE_CLASS: {
      if (args.length === 1) return T.typeOf(a);
      // type(name, bases, namespace): a class made at run time, as a class statement would make it.
      const [name, bases, ns] = args;
      if (name?.kind !== "str" || bases?.kind !== "tuple" || ns?.kind !== "dict") return unknown("type() with these arguments");
      const baseClasses = bases.items.filter((b): b is PyClass => b.kind === "class");
      const cls: PyClass = {
        kind: "class",
        name: name.v,
        qualname: name.v,
        moduleName: ctx.currentModule().name,
        bases: baseClasses.length ? baseClasses : [OBJECT_CLASS],
        mro: [],
        dict: new Map([...ns.map.values()].filter((e) => e.key.kind === "str").map((e) => [(e.key as { v: string }).v, e.value])),
      };
      cls.mro = computeMro(cls);
      return cls;
    }
    case T.BYTES_CLASS:
      return str(a && a.kind === "str" ? a.v : "");
    case T.COMPLEX_CLASS:
      return unknown("a complex number");
    case OBJECT_CLASS:
      return ctx.newInstance(OBJECT_CLASS);
    default:
      return undefined;
  }
}

let rangeFn: Value | undefined;
function makeRange(ctx: Interpreter): Value {
  rangeFn ??= builtin("range", (a) => {
    const n = a.map((x) => Math.trunc(toNum(ctx, x, "range()")));
    if (n.length === 1) return { kind: "range", start: 0, stop: n[0], step: 1 };
    return { kind: "range", start: n[0], stop: n[1], step: n[2] ?? 1 };
  });
  return rangeFn;
}

export { isNumber, reprPrimitive };
