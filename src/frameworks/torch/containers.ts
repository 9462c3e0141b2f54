// nn.Sequential, nn.ModuleList and nn.ModuleDict: ordered child registries with Python's container
// protocol (indexing, slicing, len, iteration) and, for Sequential, a forward that chains children.
// Like PyTorch's add_module, they accept None entries (HRNet's fuse layers): those hold a place in
// the container but are no child module.

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
import { bindArgs, toInt } from "../../interp/args";
import { MODULE_CLASS, isTorchModule, registerChild } from "./module";
import { forget, moduleState } from "./state";
import { placeholderFor } from "./unknown-layer";

const iter = (items: Value[]): Value => ({ kind: "iterator", items, index: 0 });

function selfOf(ctx: NativeContext, v: Value | undefined, cls: string): PyInstance {
  if (!v || !isTorchModule(v)) return ctx.raise("TypeError", `${cls} method called on a non-module.`);
  return v;
}

function initModule(ctx: NativeContext, self: PyInstance): void {
  const st = moduleState(self);
  st.created ??= ctx.site();
  self.dict.set("training", TRUE);
}

/** A container entry: a Module, or null for None. */
type Entry = PyInstance | null;

function asEntry(ctx: NativeContext, given: Value, where: string): Entry {
  if (given.kind === "none") return null;
  const v = placeholderFor(ctx, given);
  if (!isTorchModule(v)) ctx.raise("TypeError", `${where} expects a Module or None, got ${ctx.repr(v)}.`);
  return v;
}

/**
 * All entries, None included, of containers that were given a None, in insertion order. Containers
 * without None entries have none here: their children map is the whole story.
 */
const withNone = new WeakMap<PyInstance, Map<string, Entry>>();

function entriesOf(self: PyInstance): [string, Entry][] {
  const all = withNone.get(self);
  return all ? [...all] : [...moduleState(self).children];
}

function entryCount(self: PyInstance): number {
  return withNone.get(self)?.size ?? moduleState(self).children.size;
}

function hasEntry(self: PyInstance, name: string): boolean {
  return withNone.get(self)?.has(name) ?? moduleState(self).children.has(name);
}

/** Sets entry `name` (keeping its place when it exists, as a Python dict does). */
function putEntry(self: PyInstance, name: string, m: Entry): void {
  let all = withNone.get(self);
  if (m === null && !all) {
    all = new Map(moduleState(self).children);
    withNone.set(self, all);
  }
  if (m) registerChild(self, name, m);
  else {
    forget(moduleState(self), "children", name);
    self.dict.set(name, NONE);
  }
  all?.set(name, m);
}

function dropEntry(self: PyInstance, name: string): void {
  forget(moduleState(self), "children", name);
  withNone.get(self)?.delete(name);
  settledDict(self).delete(name);
}

/** Replaces the whole entry list (used after insert/delete, which renumber "0", "1", ...). */
function setChildren(self: PyInstance, entries: [string, Entry][]): void {
  for (const [name] of entriesOf(self)) settledDict(self).delete(name);
  moduleState(self).children = new Map();
  withNone.delete(self);
  for (const [n, m] of entries) putEntry(self, n, m);
}

const numbered = (mods: Entry[]): [string, Entry][] => mods.map((m, i) => [String(i), m]);
const orNone = (m: Entry): Value => m ?? NONE;

/** Python slice -> the selected indices of a sequence of length `len`. */
export function sliceIndices(ctx: NativeContext, s: Value, len: number): number[] {
  if (s.kind !== "slice") return [];
  const step = s.step.kind === "none" ? 1 : toInt(ctx, s.step, "step");
  if (step === 0) ctx.raise("ValueError", "slice step cannot be zero.");
  const clamp = (v: Value, dflt: number, lo: number, hi: number) => {
    if (v.kind === "none") return dflt;
    let i = toInt(ctx, v, "slice index");
    if (i < 0) i += len;
    return Math.min(Math.max(i, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const start = clamp(s.start, 0, 0, len);
    const stop = clamp(s.stop, len, 0, len);
    for (let i = start; i < stop; i += step) out.push(i);
  } else {
    const start = clamp(s.start, len - 1, -1, len - 1);
    const stop = clamp(s.stop, -1, -1, len - 1);
    for (let i = start; i > stop; i += step) out.push(i);
  }
  return out;
}

function indexOf(ctx: NativeContext, idx: Value, len: number, what: string): number {
  const i = toInt(ctx, idx, "index");
  const j = i < 0 ? i + len : i;
  if (j < 0 || j >= len) ctx.raise("IndexError", `index ${i} is out of range for a ${what} of length ${len}.`);
  return j;
}

/** A new container of class `cls` holding the given children, keeping their names and parents. */
function sharing(ctx: NativeContext, cls: PyClass, src: PyInstance, entries: [string, Entry][]): PyInstance {
  const out = ctx.newInstance(cls);
  initModule(ctx, out);
  moduleState(out).created = moduleState(src).created;
  for (const [n, m] of entries) putEntry(out, n, m);
  return out;
}

/** Members shared by Sequential and ModuleList (list-like child registries). */
function listMembers(clsName: string, getCls: () => PyClass, renameOnSlice: boolean): Record<string, Value> {
  const kids = entriesOf;
  return {
    __len__: builtin(`${clsName}.__len__`, (args, _kw, ctx) => int(entryCount(selfOf(ctx, args[0], clsName)))),
    __iter__: builtin(`${clsName}.__iter__`, (args, _kw, ctx) => iter(kids(selfOf(ctx, args[0], clsName)).map(([, m]) => orNone(m)))),
    __getitem__: builtin(`${clsName}.__getitem__`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      const entries = kids(self);
      const idx = args[1] ?? NONE;
      if (idx.kind === "slice") {
        const picked = sliceIndices(ctx, idx, entries.length).map((i) => entries[i]);
        // ModuleList slices are renumbered; Sequential slices keep the original names (as PyTorch does).
        return sharing(ctx, getCls(), self, renameOnSlice ? numbered(picked.map(([, m]) => m)) : picked);
      }
      return orNone(entries[indexOf(ctx, idx, entries.length, clsName)][1]);
    }),
    __setitem__: builtin(`${clsName}.__setitem__`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      const entries = kids(self);
      const j = indexOf(ctx, args[1] ?? NONE, entries.length, clsName);
      putEntry(self, entries[j][0], asEntry(ctx, args[2] ?? NONE, `${clsName}.__setitem__`));
      return NONE;
    }),
    __delitem__: builtin(`${clsName}.__delitem__`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      const entries = kids(self);
      const idx = args[1] ?? NONE;
      const drop = new Set(idx.kind === "slice" ? sliceIndices(ctx, idx, entries.length) : [indexOf(ctx, idx, entries.length, clsName)]);
      setChildren(self, numbered(entries.filter((_, i) => !drop.has(i)).map(([, m]) => m)));
      return NONE;
    }),
    append: builtin(`${clsName}.append`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      putEntry(self, String(entryCount(self)), asEntry(ctx, args[1] ?? NONE, `${clsName}.append`));
      return self;
    }),
    extend: builtin(`${clsName}.extend`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      for (const m of ctx.iterate(args[1] ?? NONE)) {
        putEntry(self, String(entryCount(self)), asEntry(ctx, m, `${clsName}.extend`));
      }
      return self;
    }),
    insert: builtin(`${clsName}.insert`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      const mods = kids(self).map(([, m]) => m);
      let i = toInt(ctx, args[1], "index");
      if (i < 0) i = Math.max(0, i + mods.length);
      mods.splice(Math.min(i, mods.length), 0, asEntry(ctx, args[2] ?? NONE, `${clsName}.insert`));
      setChildren(self, numbered(mods));
      return NONE;
    }),
    pop: builtin(`${clsName}.pop`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      const mods = kids(self).map(([, m]) => m);
      const j = indexOf(ctx, args[1] ?? int(-1), mods.length, clsName);
      const [m] = mods.splice(j, 1);
      setChildren(self, numbered(mods));
      return orNone(m);
    }),
    __add__: builtin(`${clsName}.__add__`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      const other = args[1] ?? NONE;
      const mine = kids(self).map(([, m]) => m);
      const theirs = isTorchModule(other) ? entriesOf(other).map(([, m]) => m) : ctx.iterate(other).map((m) => asEntry(ctx, m, `${clsName}.__add__`));
      return sharing(ctx, getCls(), self, numbered([...mine, ...theirs]));
    }),
    __iadd__: builtin(`${clsName}.__iadd__`, (args, _kw, ctx) => {
      const self = selfOf(ctx, args[0], clsName);
      for (const m of ctx.iterate(args[1] ?? NONE)) putEntry(self, String(entryCount(self)), asEntry(ctx, m, clsName));
      return self;
    }),
  };
}

/** PyTorch's `Sequential.forward(self, input)`: one input, also passable as `input=`. */
const SEQUENTIAL_FORWARD_SPEC = ["input"];

export const SEQUENTIAL_CLASS: PyClass = nativeClass("Sequential", "torch.nn", [MODULE_CLASS, OBJECT_CLASS], {
  __init__: builtin("Sequential.__init__", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "Sequential");
    initModule(ctx, self);
    const rest = args.slice(1);
    if (rest.length === 1 && rest[0].kind === "dict") {
      for (const { key, value } of rest[0].map.values()) {
        putEntry(self, key.kind === "str" ? key.v : ctx.repr(key), asEntry(ctx, value, "Sequential"));
      }
    } else {
      rest.forEach((m, i) => putEntry(self, String(i), asEntry(ctx, m, "Sequential")));
    }
    return NONE;
  }),
  forward: builtin("Sequential.forward", (args, kwargs, ctx) => {
    const self = selfOf(ctx, args[0], "Sequential");
    let x = bindArgs(ctx, "Sequential.forward", args.slice(1), kwargs, SEQUENTIAL_FORWARD_SPEC).input ?? NONE;
    for (const m of moduleState(self).children.values()) x = ctx.call(m, [x]);
    return x;
  }),
  ...listMembers("Sequential", () => SEQUENTIAL_CLASS, false),
});

export const MODULE_LIST_CLASS: PyClass = nativeClass("ModuleList", "torch.nn", [MODULE_CLASS, OBJECT_CLASS], {
  __init__: builtin("ModuleList.__init__", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ModuleList");
    initModule(ctx, self);
    const mods = args[1] && args[1].kind !== "none" ? ctx.iterate(args[1]) : [];
    mods.forEach((m, i) => putEntry(self, String(i), asEntry(ctx, m, "ModuleList")));
    return NONE;
  }),
  ...listMembers("ModuleList", () => MODULE_LIST_CLASS, true),
});

function dictKey(ctx: NativeContext, v: Value | undefined): string {
  if (!v || v.kind !== "str") return ctx.raise("TypeError", `ModuleDict keys must be strings, got ${v ? ctx.repr(v) : "nothing"}.`);
  return v.v;
}

function dictUpdate(ctx: NativeContext, self: PyInstance, src: Value): void {
  if (src.kind === "dict") {
    for (const { key, value } of src.map.values()) putEntry(self, dictKey(ctx, key), asEntry(ctx, value, "ModuleDict"));
    return;
  }
  for (const pair of ctx.iterate(src)) {
    const kv = pair.kind === "tuple" || pair.kind === "list" ? pair.items : [];
    if (kv.length !== 2) ctx.raise("ValueError", "ModuleDict update expects (name, module) pairs.");
    putEntry(self, dictKey(ctx, kv[0]), asEntry(ctx, kv[1], "ModuleDict"));
  }
}

export const MODULE_DICT_CLASS: PyClass = nativeClass("ModuleDict", "torch.nn", [MODULE_CLASS, OBJECT_CLASS], {
  __init__: builtin("ModuleDict.__init__", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ModuleDict");
    initModule(ctx, self);
    if (args[1] && args[1].kind !== "none") dictUpdate(ctx, self, args[1]);
    return NONE;
  }),
  __getitem__: builtin("ModuleDict.__getitem__", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ModuleDict");
    const k = dictKey(ctx, args[1]);
    if (!hasEntry(self, k)) ctx.raise("KeyError", `ModuleDict has no key '${k}'.`);
    return orNone(moduleState(self).children.get(k) ?? null);
  }),
  __setitem__: builtin("ModuleDict.__setitem__", (args, _kw, ctx) => {
    putEntry(selfOf(ctx, args[0], "ModuleDict"), dictKey(ctx, args[1]), asEntry(ctx, args[2] ?? NONE, "ModuleDict"));
    return NONE;
  }),
  __delitem__: builtin("ModuleDict.__delitem__", (args, _kw, ctx) => {
    dropEntry(selfOf(ctx, args[0], "ModuleDict"), dictKey(ctx, args[1]));
    return NONE;
  }),
  __len__: builtin("ModuleDict.__len__", (args, _kw, ctx) => int(entryCount(selfOf(ctx, args[0], "ModuleDict")))),
  __contains__: builtin("ModuleDict.__contains__", (args, _kw, ctx) =>
    bool(args[1]?.kind === "str" && hasEntry(selfOf(ctx, args[0], "ModuleDict"), args[1].v)),
  ),
  __iter__: builtin("ModuleDict.__iter__", (args, _kw, ctx) => iter(entriesOf(selfOf(ctx, args[0], "ModuleDict")).map(([k]) => str(k)))),
  keys: builtin("ModuleDict.keys", (args, _kw, ctx) => iter(entriesOf(selfOf(ctx, args[0], "ModuleDict")).map(([k]) => str(k)))),
  values: builtin("ModuleDict.values", (args, _kw, ctx) => iter(entriesOf(selfOf(ctx, args[0], "ModuleDict")).map(([, m]) => orNone(m)))),
  items: builtin("ModuleDict.items", (args, _kw, ctx) =>
    iter(entriesOf(selfOf(ctx, args[0], "ModuleDict")).map(([k, m]) => tuple([str(k), orNone(m)]))),
  ),
  update: builtin("ModuleDict.update", (args, _kw, ctx) => {
    dictUpdate(ctx, selfOf(ctx, args[0], "ModuleDict"), args[1] ?? NONE);
    return NONE;
  }),
  pop: builtin("ModuleDict.pop", (args, _kw, ctx) => {
    const self = selfOf(ctx, args[0], "ModuleDict");
    const k = dictKey(ctx, args[1]);
    if (!hasEntry(self, k)) ctx.raise("KeyError", `ModuleDict has no key '${k}'.`);
    const m = moduleState(self).children.get(k) ?? null;
    dropEntry(self, k);
    return orNone(m);
  }),
});

export const CONTAINER_CLASSES: Record<string, PyClass> = {
  Sequential: SEQUENTIAL_CLASS,
  ModuleList: MODULE_LIST_CLASS,
  ModuleDict: MODULE_DICT_CLASS,
};
