// Named tuples: `collections.namedtuple('BlockArgs', [...], defaults=...)` and
// `class BlockArgs(typing.NamedTuple)`, as config code uses them (lukemelas EfficientNet's BlockArgs and
// GlobalParams: `_replace(**changes)`, `_fields`, `BlockArgs.__new__.__defaults__ = (None,) * n`).
// An instance is an object of a class deriving from `tuple` whose items are its fields' attributes, in
// field order (so whatever reads an object's attributes, such as a model's outputs, finds them); each
// field is also a read-only property on the class, so `nt.x = 1` fails as it does in Python.

import { type Kwargs, type NativeContext, type PyClass, type PyInstance, type Value, NONE, OBJECT_CLASS, bool, builtin, computeMro, dict, int, nativeClass, str, tuple, list } from "./values";
import type { InterpreterCore as Interpreter } from "./runtime";
import { TUPLE_CLASS } from "./types";
import { primitiveAttr } from "./primitive-methods";
import { pyEquals } from "./ops";

/** The fields of each named-tuple class, made here. */
const FIELDS = new WeakMap<PyClass, string[]>();

function fieldsOf(cls: PyClass): string[] | undefined {
  for (const c of cls.mro) {
    const f = FIELDS.get(c);
    if (f) return f;
  }
  return undefined;
}

function itemsOf(v: Value | undefined): Value[] | undefined {
  if (v?.kind !== "instance") return undefined;
  return fieldsOf(v.cls)?.map((f) => v.dict.get(f) ?? NONE);
}

/** The items of a named tuple (or a plain tuple), for tuple methods and operators to work on. */
function asTuple(ctx: NativeContext, v: Value | undefined): Value[] {
  const items = itemsOf(v);
  if (items) return items;
  if (v?.kind === "tuple") return v.items;
  return ctx.raise("TypeError", `Expected a named tuple, got ${ctx.repr(v ?? NONE)}.`);
}

function setItems(self: PyInstance, fields: string[], items: Value[]): PyInstance {
  fields.forEach((f, i) => self.dict.set(f, items[i]));
  return self;
}

/** The named tuple a `__new__` object makes: its type name (for messages) and fields. */
interface NewSpec { name: string; fields: string[] }

/**
 * `__new__` as an object whose `__defaults__` can be set (`BlockArgs.__new__.__defaults__ = ...`): the
 * defaults apply to the last fields, read when an instance is made. Calling it, `__new__(cls, *items)`,
 * makes an instance with its items, as tuple.__new__ does: so a subclass's own `__new__` that calls
 * `super().__new__(cls, ...)` decides them, and a subclass's `__init__` finds them set.
 */
const NEW_FUNCTION_CLASS: PyClass = nativeClass("function", "builtins", [OBJECT_CLASS], {
  __call__: builtin("__new__", (a, k, ctx) => makeNamedTuple(ctx, a[0] as PyInstance, a[1] ?? NONE, a.slice(2), k)),
});

function makeNamedTuple(ctx: NativeContext, newFn: PyInstance, cls: Value, rest: Value[], k: Kwargs): PyInstance {
  const { name, fields } = newFn.native as NewSpec;
  if (cls.kind !== "class") return ctx.raise("TypeError", `${name}.__new__(X): X must be a class, got ${ctx.repr(cls)}.`);
  if (rest.length > fields.length) ctx.raise("TypeError", `${name}() takes ${fields.length} positional arguments but ${rest.length} were given`);
  for (const key of k.keys()) {
    if (!fields.includes(key)) ctx.raise("TypeError", `${name}() got an unexpected keyword argument '${key}'`);
    if (fields.indexOf(key) < rest.length) ctx.raise("TypeError", `${name}() got multiple values for argument '${key}'`);
  }
  const defaults = defaultsOf(ctx, newFn, name, fields);
  const items = fields.map((f, i) => {
    const v = i < rest.length ? rest[i] : k.get(f) ?? defaults.get(f);
    return v ?? ctx.raise("TypeError", `${name}() is missing the required argument '${f}'`);
  });
  return setItems(ctx.newInstance(cls), fields, items);
}

/** Field name -> default, from `__new__.__defaults__` as it is now (it may be set after the class is made). */
function defaultsOf(ctx: NativeContext, newFn: PyInstance, name: string, fields: string[]): Map<string, Value> {
  const out = new Map<string, Value>();
  const given = newFn.dict.get("__defaults__");
  if (given === undefined || given.kind === "none") return out;
  const values = ctx.iterate(given);
  if (values.length > fields.length) ctx.raise("TypeError", `${name} has ${fields.length} fields but ${values.length} defaults were given.`);
  const first = fields.length - values.length;
  values.forEach((v, i) => out.set(fields[first + i], v));
  return out;
}

/** The members every named-tuple class has, over `fields`. */
function namedTupleMembers(name: string, fields: string[], defaults: Value[]): Map<string, Value> {
  const m = new Map<string, Value>();
  const spec: NewSpec = { name, fields };
  const newFn: PyInstance = { kind: "instance", cls: NEW_FUNCTION_CLASS, dict: new Map([["__defaults__", defaults.length ? tuple(defaults) : NONE]]), uid: 0, native: spec };
  m.set("__new__", newFn);
  // The items are set by __new__; tuple's __init__ is object's, which takes the arguments and does nothing.
  m.set("__init__", builtin("__init__", () => NONE));
  // Read from the instance's attributes first; the property only refuses assignment.
  fields.forEach((f) => m.set(f, { kind: "property", fget: builtin(f, (a) => (a[0] as PyInstance).dict.get(f) ?? NONE) }));
  m.set("_fields", tuple(fields.map(str)));
  m.set(
    "_field_defaults",
    dict(defaults.map((v, i): [Value, Value] => [str(fields[fields.length - defaults.length + i]), v])),
  );
  m.set(
    "_replace",
    builtin("_replace", (a, k, ctx) => {
      const self = a[0] as PyInstance;
      const items = asTuple(ctx, self).slice();
      const wrong = [...k.keys()].filter((key) => !fields.includes(key));
      if (wrong.length) ctx.raise("ValueError", `Got unexpected field names: [${wrong.map((w) => `'${w}'`).join(", ")}]`);
      for (const [key, v] of k) items[fields.indexOf(key)] = v;
      return setItems(ctx.newInstance(self.cls), fields, items);
    }),
  );
  m.set("_asdict", builtin("_asdict", (a, _k, ctx) => dict(asTuple(ctx, a[0]).map((v, i): [Value, Value] => [str(fields[i]), v]))));
  m.set(
    "_make",
    {
      kind: "classmethod",
      fn: builtin("_make", (a, _k, ctx) => {
        const cls = a[0] as PyClass;
        const items = ctx.iterate(a[1] ?? NONE);
        if (items.length !== fields.length) ctx.raise("TypeError", `Expected ${fields.length} arguments, got ${items.length}`);
        return setItems(ctx.newInstance(cls), fields, items);
      }),
    },
  );
  m.set("__getitem__", builtin("__getitem__", (a, _k, ctx) => (ctx as Interpreter).getItem(tuple(asTuple(ctx, a[0])), a[1] ?? NONE)));
  m.set("__iter__", builtin("__iter__", (a, _k, ctx) => ({ kind: "iterator", items: asTuple(ctx, a[0]).slice(), index: 0 })));
  m.set("__len__", builtin("__len__", (a, _k, ctx) => int(asTuple(ctx, a[0]).length)));
  m.set("__contains__", builtin("__contains__", (a, _k, ctx) => bool(asTuple(ctx, a[0]).some((x) => pyEquals(x, a[1] ?? NONE)))));
  m.set(
    "__eq__",
    builtin("__eq__", (a, _k, ctx) => {
      const other = a[1];
      if (other?.kind !== "tuple" && !itemsOf(other)) return bool(false);
      return bool(pyEquals(tuple(asTuple(ctx, a[0])), tuple(asTuple(ctx, other))));
    }),
  );
  // Adding to a named tuple gives a plain tuple, as in Python.
  m.set("__add__", builtin("__add__", (a, _k, ctx) => (ctx as Interpreter).binary("+", tuple(asTuple(ctx, a[0])), itemsOf(a[1]) ? tuple(asTuple(ctx, a[1])) : a[1] ?? NONE, false)));
  m.set("__radd__", builtin("__radd__", (a, _k, ctx) => (ctx as Interpreter).binary("+", a[1] ?? NONE, tuple(asTuple(ctx, a[0])), false)));
  m.set("__mul__", builtin("__mul__", (a, _k, ctx) => (ctx as Interpreter).binary("*", tuple(asTuple(ctx, a[0])), a[1] ?? NONE, false)));
  for (const method of ["count", "index"]) {
    m.set(method, builtin(method, (a, k, ctx) => ctx.call(primitiveAttr(ctx as Interpreter, tuple(asTuple(ctx, a[0])), method) ?? NONE, a.slice(1), k)));
  }
  m.set(
    "__repr__",
    builtin("__repr__", (a, _k, ctx) => {
      const self = a[0] as PyInstance;
      return str(`${self.cls.name}(${asTuple(ctx, self).map((v, i) => `${fields[i]}=${ctx.repr(v)}`).join(", ")})`);
    }),
  );
  return m;
}

/** `namedtuple(typename, field_names, *, rename=False, defaults=None, module=None)`. */
export const namedtupleFactory = builtin("namedtuple", (a, k, ctx) => {
  const nameV = a[0] ?? k.get("typename");
  const fieldsV = a[1] ?? k.get("field_names") ?? list([]);
  const name = nameV?.kind === "str" ? nameV.v : ctx.raise("TypeError", "namedtuple() needs a type name string.");
  const fields =
    fieldsV.kind === "str"
      ? fieldsV.v.replace(/,/g, " ").split(/\s+/).filter(Boolean)
      : ctx.iterate(fieldsV).map((x) => (x.kind === "str" ? x.v : ctx.raise("TypeError", `Field names of namedtuple '${name}' must be strings, got ${ctx.repr(x)}.`)));
  const defaultsV = k.get("defaults");
  const defaults = defaultsV && defaultsV.kind !== "none" ? ctx.iterate(defaultsV) : [];
  if (defaults.length > fields.length) ctx.raise("TypeError", `Got more default values than field names in namedtuple '${name}'.`);
  const moduleV = k.get("module");
  const moduleName = moduleV?.kind === "str" ? moduleV.v : (ctx as Interpreter).currentModule().name;
  const cls = nativeClass(name, moduleName, [TUPLE_CLASS], {});
  for (const [key, v] of namedTupleMembers(name, fields, defaults)) cls.dict.set(key, v);
  FIELDS.set(cls, fields);
  return cls;
});

/**
 * `typing.NamedTuple`: subclassing it makes the class a named tuple over its annotated fields (class-body
 * values are their defaults; methods stay), as Python's NamedTupleMeta does; calling it,
 * `NamedTuple('P', [('x', int)])`, makes one the functional way.
 */
export const NAMED_TUPLE_BASE: PyClass = nativeClass("NamedTuple", "typing", [OBJECT_CLASS], {
  __init_subclass__: builtin("__init_subclass__", (a, _k, ctx) => {
    const cls = a[0] as PyClass;
    const ann = cls.dict.get("__annotations__");
    const fields = ann?.kind === "dict" ? [...ann.map.values()].flatMap((e) => (e.key.kind === "str" ? [e.key.v] : [])) : [];
    const defaults: Value[] = [];
    for (const f of fields) {
      const v = cls.dict.get(f);
      if (v !== undefined) defaults.push(v);
      else if (defaults.length) ctx.raise("TypeError", `Non-default namedtuple field '${f}' cannot follow default field(s).`);
    }
    for (const [key, v] of namedTupleMembers(cls.name, fields, defaults)) {
      // The class body's own methods (a `__repr__`, a property) win over the generated ones; fields do not.
      if (!cls.dict.has(key) || fields.includes(key)) cls.dict.set(key, v);
    }
    cls.bases = [TUPLE_CLASS];
    cls.mro = computeMro(cls);
    FIELDS.set(cls, fields);
    return NONE;
  }),
  __new__: builtin("__new__", (a, k, ctx) => {
    const fieldsV = a[2] ?? k.get("fields") ?? list([]);
    const fields = ctx.iterate(fieldsV).map((p) => ctx.iterate(p)[0] ?? NONE);
    return ctx.call(namedtupleFactory, [a[1] ?? NONE, list(fields)]);
  }),
});
