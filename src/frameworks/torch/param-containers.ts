// nn.ParameterList and nn.ParameterDict: modules whose entries are Parameters registered under
// "0", "1", ... or the dict's keys, so `model.parameters()` finds them as PyTorch does
// ("scales.0"). Plain tensors given to them become Parameters, as in PyTorch.

import {
  type NativeContext,
  type PyClass,
  type PyInstance,
  type Value,
  NONE,
  OBJECT_CLASS,
  TRUE,
  bool,
  builtin,
  int,
  nativeClass,
  str,
  tuple,
  settledDict,
} from "../../interp/values";
import { toInt } from "../../interp/args";
import { MODULE_CLASS, isTorchModule, registerParam } from "./module";
import { forget, moduleState } from "./state";
import { isParameter, makeParameter, shapeOfTensorLike } from "./tensor-class";
import { sliceIndices } from "./containers";

const iter = (items: Value[]): Value => ({ kind: "iterator", items, index: 0 });

function selfOf(ctx: NativeContext, v: Value | undefined, cls: string): PyInstance {
  if (!v || !isTorchModule(v)) return ctx.raise("TypeError", `${cls} method called on a non-module.`);
  return v;
}

function initContainer(ctx: NativeContext, self: PyInstance): void {
  moduleState(self).created ??= ctx.site();
  self.dict.set("training", TRUE);
}

/** Stores `v` under `name`: a Parameter (tensors are wrapped) or, for anything else, a plain attribute. */
function putValue(ctx: NativeContext, self: PyInstance, name: string, v: Value): void {
  if (isParameter(v)) return registerParam(self, name, v);
  const shape = shapeOfTensorLike(v);
  if (shape && shape.every((d): d is number => d !== null)) return registerParam(self, name, makeParameter(ctx, shape));
  forget(moduleState(self), "params", name);
  self.dict.set(name, v);
}

/** The entry names in order: registered Parameters and plain values alike. */
const entryNames = new WeakMap<PyInstance, string[]>();

function namesOf(self: PyInstance): string[] {
  let names = entryNames.get(self);
  if (!names) {
    names = [];
    entryNames.set(self, names);
  }
  return names;
}

function valueOf(self: PyInstance, name: string): Value {
  return moduleState(self).params.get(name) ?? self.dict.get(name) ?? NONE;
}

function setEntry(ctx: NativeContext, self: PyInstance, name: string, v: Value): void {
  const names = namesOf(self);
  if (!names.includes(name)) names.push(name);
  putValue(ctx, self, name, v);
}

function dropEntry(self: PyInstance, name: string): void {
  const names = namesOf(self);
  const i = names.indexOf(name);
  if (i >= 0) names.splice(i, 1);
  forget(moduleState(self), "params", name);
  settledDict(self).delete(name);
}

function listIndex(ctx: NativeContext, self: PyInstance, idx: Value): number {
  const len = namesOf(self).length;
  const i = toInt(ctx, idx, "index");
  const j = i < 0 ? i + len : i;
  if (j < 0 || j >= len) ctx.raise("IndexError", `index ${i} is out of range for a ParameterList of length ${len}.`);
  return j;
}

export const PARAMETER_LIST_CLASS: PyClass = nativeClass("ParameterList", "torch.nn", [MODULE_CLASS, OBJECT_CLASS], {
  __init__: builtin("ParameterList.__init__", (args, kwargs, ctx) => {
    const self = selfOf(ctx, args[0], "ParameterList");
    initContainer(ctx, self);
    const values = args[1] ?? kwargs.get("values") ?? NONE;
    if (values.kind !== "none") ctx.iterate(values).forEach((v, i) => setEntry(ctx, self, String(i), v));
    return NONE;
  }),
  __len__: builtin("ParameterList.__len__", (args, _kw, ctx) => int(namesOf(selfOf(ctx, args[0], "ParameterList")).length)),
  __iter__: builtin("ParameterList.__iter__", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ParameterList");
    return iter(namesOf(self).map((n) => valueOf(self, n)));
  }),
  __getitem__: builtin("ParameterList.__getitem__", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ParameterList");
    const idx = args[1] ?? NONE;
    if (idx.kind === "slice") {
      // PyTorch answers a slice with a new ParameterList holding the same Parameters.
      const names = namesOf(self);
      const out = ctx.newInstance(PARAMETER_LIST_CLASS);
      initContainer(ctx, out);
      sliceIndices(ctx, idx, names.length).forEach((i, k) => setEntry(ctx, out, String(k), valueOf(self, names[i])));
      return out;
    }
    return valueOf(self, namesOf(self)[listIndex(ctx, self, idx)]);
  }),
  __setitem__: builtin("ParameterList.__setitem__", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ParameterList");
    setEntry(ctx, self, namesOf(self)[listIndex(ctx, self, args[1] ?? NONE)], args[2] ?? NONE);
    return NONE;
  }),
  append: builtin("ParameterList.append", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ParameterList");
    setEntry(ctx, self, String(namesOf(self).length), args[1] ?? NONE);
    return self;
  }),
  extend: builtin("ParameterList.extend", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ParameterList");
    for (const v of ctx.iterate(args[1] ?? NONE)) setEntry(ctx, self, String(namesOf(self).length), v);
    return self;
  }),
});

function dictKey(ctx: NativeContext, v: Value | undefined): string {
  if (!v || v.kind !== "str") return ctx.raise("TypeError", `ParameterDict keys must be strings, got ${v ? ctx.repr(v) : "nothing"}.`);
  return v.v;
}

function dictUpdate(ctx: NativeContext, self: PyInstance, src: Value): void {
  if (src.kind === "dict") {
    for (const { key, value } of src.map.values()) setEntry(ctx, self, dictKey(ctx, key), value);
    return;
  }
  if (isTorchModule(src) && src.cls === PARAMETER_DICT_CLASS) {
    for (const n of namesOf(src)) setEntry(ctx, self, n, valueOf(src, n));
    return;
  }
  for (const pair of ctx.iterate(src)) {
    const kv = pair.kind === "tuple" || pair.kind === "list" ? pair.items : [];
    if (kv.length !== 2) ctx.raise("ValueError", "ParameterDict update expects (name, parameter) pairs.");
    setEntry(ctx, self, dictKey(ctx, kv[0]), kv[1]);
  }
}

function lookup(ctx: NativeContext, self: PyInstance, k: string): Value {
  if (!namesOf(self).includes(k)) ctx.raise("KeyError", `ParameterDict has no key '${k}'.`);
  return valueOf(self, k);
}

const dictSelf = (ctx: NativeContext, v: Value | undefined) => selfOf(ctx, v, "ParameterDict");

export const PARAMETER_DICT_CLASS: PyClass = nativeClass("ParameterDict", "torch.nn", [MODULE_CLASS, OBJECT_CLASS], {
  __init__: builtin("ParameterDict.__init__", (args, kwargs, ctx) => {
    const self = dictSelf(ctx, args[0]);
    initContainer(ctx, self);
    const src = args[1] ?? kwargs.get("parameters") ?? NONE;
    if (src.kind !== "none") dictUpdate(ctx, self, src);
    return NONE;
  }),
  __getitem__: builtin("ParameterDict.__getitem__", (args, _kw, ctx) => lookup(ctx, dictSelf(ctx, args[0]), dictKey(ctx, args[1]))),
  __setitem__: builtin("ParameterDict.__setitem__", (args, _kw, ctx) => {
    setEntry(ctx, dictSelf(ctx, args[0]), dictKey(ctx, args[1]), args[2] ?? NONE);
    return NONE;
  }),
  __delitem__: builtin("ParameterDict.__delitem__", (args, _kw, ctx) => {
    const self = dictSelf(ctx, args[0]);
    const k = dictKey(ctx, args[1]);
    lookup(ctx, self, k);
    dropEntry(self, k);
    return NONE;
  }),
  __len__: builtin("ParameterDict.__len__", (args, _kw, ctx) => int(namesOf(dictSelf(ctx, args[0])).length)),
  __contains__: builtin("ParameterDict.__contains__", (args, _kw, ctx) =>
    bool(args[1]?.kind === "str" && namesOf(dictSelf(ctx, args[0])).includes(args[1].v)),
  ),
  __iter__: builtin("ParameterDict.__iter__", (args, _kw, ctx) => iter(namesOf(dictSelf(ctx, args[0])).map(str))),
  keys: builtin("ParameterDict.keys", (args, _kw, ctx) => iter(namesOf(dictSelf(ctx, args[0])).map(str))),
  values: builtin("ParameterDict.values", (args, _kw, ctx) => {
    const self = dictSelf(ctx, args[0]);
    return iter(namesOf(self).map((n) => valueOf(self, n)));
  }),
  items: builtin("ParameterDict.items", (args, _kw, ctx) => {
    const self = dictSelf(ctx, args[0]);
    return iter(namesOf(self).map((n) => tuple([str(n), valueOf(self, n)])));
  }),
  get: builtin("ParameterDict.get", (args, _kw, ctx) => {
    const self = dictSelf(ctx, args[0]);
    const k = dictKey(ctx, args[1]);
    return namesOf(self).includes(k) ? valueOf(self, k) : (args[2] ?? NONE);
  }),
  update: builtin("ParameterDict.update", (args, _kw, ctx) => {
    dictUpdate(ctx, dictSelf(ctx, args[0]), args[1] ?? NONE);
    return NONE;
  }),
  pop: builtin("ParameterDict.pop", (args, _kw, ctx) => {
    const self = dictSelf(ctx, args[0]);
    const k = dictKey(ctx, args[1]);
    const v = lookup(ctx, self, k);
    dropEntry(self, k);
    return v;
  }),
});

export const PARAMETER_CONTAINER_CLASSES: Record<string, PyClass> = {
  ParameterList: PARAMETER_LIST_CLASS,
  ParameterDict: PARAMETER_DICT_CLASS,
};
