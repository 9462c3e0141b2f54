// Subclasses of dict (`class AttrDict(dict)`, config objects): their instances keep their items in a
// dict of their own, and the methods of `dict` itself (found through the subclass's MRO, after any the
// subclass overrides) read and write it with the same code as a plain dict's methods. The store is
// made on first use, so instantiating other classes costs nothing more.

import { type NativeContext, type PyDict, type PyInstance, type Value, NONE, PyException, builtin, dict, hashKey, str } from "./values";
import type { InterpreterCore as Interpreter } from "./runtime";
import { primitiveAttr } from "./primitive-methods";
import { DICT_CLASS } from "./types";

const stores = new WeakMap<PyInstance, PyDict>();

/** The items of a dict, or of an instance of a dict subclass. */
export function dictStore(self: Value): PyDict {
  if (self.kind === "dict") return self;
  if (self.kind !== "instance") throw new PyException("TypeError", "descriptor of 'dict' needs a dict");
  let d = stores.get(self);
  if (!d) stores.set(self, (d = dict()));
  return d;
}

/** An instance of a dict subclass whose iteration is dict's own: `**d` and `dict(d)` read its items directly, as CPython does. */
export function plainDictItems(ctx: NativeContext, v: PyInstance): PyDict | undefined {
  return v.cls.mro.includes(DICT_CLASS) && ctx.getAttrOrUndefined(v.cls, "__iter__") === DICT_METHODS.__iter__ ? dictStore(v) : undefined;
}

const PLAIN_METHODS = ["get", "keys", "values", "items", "update", "pop", "setdefault", "copy", "clear"];

function plain(name: string): Value {
  return builtin(name, (a, k, ctx) => ctx.call(primitiveAttr(ctx as unknown as Interpreter, dictStore(a[0]), name)!, a.slice(1), k));
}

const DICT_METHODS: Record<string, Value> = {
  ...Object.fromEntries(PLAIN_METHODS.map((m) => [m, plain(m)])),
  __init__: builtin("__init__", (a, k, ctx) => {
    const d = dictStore(a[0]);
    const filled = ctx.call(DICT_CLASS, a.slice(1, 2), k) as PyDict;
    for (const [h, e] of filled.map) d.map.set(h, e);
    return NONE;
  }),
  __getitem__: builtin("__getitem__", (a, _k, ctx) => {
    const self = a[0];
    const key = a[1] ?? NONE;
    const hit = dictStore(self).map.get(hashKey(key));
    if (hit) return hit.value;
    // dict.__getitem__ asks a subclass's __missing__ (a defaultdict written by hand).
    const missing = self.kind === "instance" ? ctx.getAttrOrUndefined(self, "__missing__") : undefined;
    if (missing) return ctx.call(missing, [key]);
    return ctx.raise("KeyError", ctx.repr(key));
  }),
  __setitem__: builtin("__setitem__", (a) => {
    const key = a[1] ?? NONE;
    dictStore(a[0]).map.set(hashKey(key), { key, value: a[2] ?? NONE });
    return NONE;
  }),
  __delitem__: builtin("__delitem__", (a, _k, ctx) => {
    const key = a[1] ?? NONE;
    if (!dictStore(a[0]).map.delete(hashKey(key))) ctx.raise("KeyError", ctx.repr(key));
    return NONE;
  }),
  __contains__: builtin("__contains__", (a) => ({ kind: "bool", v: dictStore(a[0]).map.has(hashKey(a[1] ?? NONE)) })),
  __len__: builtin("__len__", (a) => ({ kind: "int", v: dictStore(a[0]).map.size })),
  __iter__: builtin("__iter__", (a) => ({ kind: "iterator", items: [...dictStore(a[0]).map.values()].map((e) => e.key), index: 0 })),
  __repr__: builtin("__repr__", (a, _k, ctx) => str(ctx.repr(dictStore(a[0])))),
};

let installed = false;

/** Gives `dict` its methods as class attributes, for its subclasses (plain dicts keep their own fast path). */
export function installDictMethods(): void {
  if (installed) return;
  installed = true;
  for (const [name, fn] of Object.entries(DICT_METHODS)) DICT_CLASS.dict.set(name, fn);
}
