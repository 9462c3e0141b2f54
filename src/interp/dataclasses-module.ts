// `dataclasses` as config classes in model files use it (torchvision's MBConvConfig, timm's cfgs):
// @dataclass gives a class an __init__ over its annotated fields, in order, base classes' first,
// with defaults from the class body or field(default=..., default_factory=...), then __post_init__.

import { type Kwargs, type NativeContext, type PyClass, type PyInstance, type PyModule, type Value, NONE, OBJECT_CLASS, bool, builtin, dict, list, nativeClass, str, tuple } from "./values";

const FIELD_CLASS: PyClass = nativeClass("Field", "dataclasses", [OBJECT_CLASS], {});

interface FieldSpec {
  name: string;
  default?: Value;
  factory?: Value;
}

/** Fields of `cls` and its dataclass bases, each class's annotations in order, bases first. */
function fieldsOf(cls: PyClass): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const c of [...cls.mro].reverse()) {
    const ann = c.dict.get("__annotations__");
    if (ann?.kind !== "dict") continue;
    for (const { key } of ann.map.values()) {
      if (key.kind !== "str") continue;
      const spec: FieldSpec = { name: key.v };
      const v = c.dict.get(key.v);
      if (v?.kind === "instance" && v.cls === FIELD_CLASS) {
        spec.default = v.dict.get("default");
        spec.factory = v.dict.get("default_factory");
      } else if (v !== undefined) spec.default = v;
      const at = out.findIndex((f) => f.name === spec.name);
      if (at >= 0) out[at] = spec;
      else out.push(spec);
    }
  }
  return out;
}

function dataclassInit(cls: PyClass): Value {
  // Fixed when the class is decorated, as Python's dataclass does.
  const fields = fieldsOf(cls);
  return builtin(`${cls.name}.__init__`, (args: Value[], kwargs: Kwargs, ctx: NativeContext) => {
    const [self, ...rest] = args;
    if (rest.length > fields.length) {
      return ctx.raise("TypeError", `${cls.name}.__init__() takes ${fields.length} positional arguments but ${rest.length} were given`);
    }
    fields.forEach((f, i) => {
      const v = i < rest.length ? rest[i] : kwargs.get(f.name) ?? f.default ?? (f.factory ? ctx.call(f.factory, []) : undefined);
      if (v === undefined) ctx.raise("TypeError", `${cls.name}.__init__() missing required argument: '${f.name}'`);
      else ctx.setAttr(self, f.name, v);
    });
    const post = ctx.getAttrOrUndefined(self, "__post_init__");
    if (post) ctx.call(post, []);
    return NONE;
  });
}

const DATACLASSES = new WeakSet<PyClass>();

function isDataclass(cls: PyClass): boolean {
  return cls.mro.some((c) => DATACLASSES.has(c));
}

function decorate(cls: Value): Value {
  if (cls.kind !== "class") return cls;
  DATACLASSES.add(cls);
  // A class that writes its own __init__ keeps it, as @dataclass(init=...) leaves a defined one alone.
  if (!cls.dict.has("__init__")) cls.dict.set("__init__", dataclassInit(cls));
  for (const f of fieldsOf(cls)) {
    const v = cls.dict.get(f.name);
    if (v?.kind === "instance" && v.cls === FIELD_CLASS) {
      if (f.default !== undefined) cls.dict.set(f.name, f.default);
      else cls.dict.delete(f.name);
    }
  }
  return cls;
}

export function makeDataclasses(): PyModule {
  const dataclass = builtin("dataclass", (args) => (args[0] ? decorate(args[0]) : builtin("dataclass.<decorator>", (a) => decorate(a[0] ?? NONE))));
  const field = builtin("field", (_args, kwargs, ctx) => {
    const f = ctx.newInstance(FIELD_CLASS);
    for (const key of ["default", "default_factory"]) {
      const v = kwargs.get(key);
      if (v !== undefined) f.dict.set(key, v);
    }
    return f;
  });
  // dataclasses.fields(obj_or_class): objects with the field's `name` (what config code reads).
  const fields = builtin("fields", (args, _kw, ctx) => {
    const target = args[0];
    const cls = target?.kind === "class" ? target : target?.kind === "instance" ? target.cls : undefined;
    return tuple((cls ? fieldsOf(cls) : []).map((f) => {
      const o = ctx.newInstance(FIELD_CLASS);
      o.dict.set("name", str(f.name));
      return o;
    }));
  });
  const instanceFields = (ctx: NativeContext, fn: string, v: Value | undefined): [string, Value][] => {
    if (v?.kind !== "instance" || !isDataclass(v.cls)) return ctx.raise("TypeError", `${fn}() should be called on dataclass instances`);
    return fieldsOf(v.cls).map((f) => [f.name, ctx.getAttr(v, f.name)]);
  };
  // asdict/astuple recurse into nested dataclasses, lists, tuples and dicts, as Python's do.
  const deep = (ctx: NativeContext, v: Value, asDict: boolean): Value => {
    if (v.kind === "instance" && isDataclass(v.cls)) {
      const items = instanceFields(ctx, asDict ? "asdict" : "astuple", v).map(([k, x]): [string, Value] => [k, deep(ctx, x, asDict)]);
      return asDict ? dict(items.map(([k, x]) => [str(k), x])) : tuple(items.map(([, x]) => x));
    }
    if (v.kind === "list") return list(v.items.map((x) => deep(ctx, x, asDict)));
    if (v.kind === "tuple") return tuple(v.items.map((x) => deep(ctx, x, asDict)));
    if (v.kind === "dict") return dict([...v.map.values()].map((e) => [e.key, deep(ctx, e.value, asDict)]));
    return v;
  };
  const asdict = builtin("asdict", (args, _kw, ctx) => (instanceFields(ctx, "asdict", args[0]), deep(ctx, args[0], true)));
  const astuple = builtin("astuple", (args, _kw, ctx) => (instanceFields(ctx, "astuple", args[0]), deep(ctx, args[0], false)));
  // replace(obj, **changes): a new instance through the class's __init__, as Python's does.
  const replace = builtin("replace", (args, kwargs, ctx) => {
    const obj = args[0];
    const current = instanceFields(ctx, "replace", obj);
    const merged: Kwargs = new Map(current);
    for (const [k, v] of kwargs) merged.set(k, v);
    return ctx.call((obj as PyInstance).cls, [], merged);
  });
  const is_dataclass = builtin("is_dataclass", (args) => {
    const v = args[0];
    const cls = v?.kind === "class" ? v : v?.kind === "instance" ? v.cls : undefined;
    return bool(!!cls && isDataclass(cls));
  });
  const members: [string, Value][] = [["dataclass", dataclass], ["field", field], ["fields", fields], ["asdict", asdict], ["astuple", astuple], ["replace", replace], ["is_dataclass", is_dataclass]];
  return { kind: "module", name: "dataclasses", dict: new Map<string, Value>(members) };
}
