// types.SimpleNamespace: keyword arguments become attributes. Lightning tutorials keep their
// hyperparameters in one (`self.hparams = SimpleNamespace(c_hidden=..., act_fn=...)`), and the
// layers are sized from them, so they must read back as the values given.

import { type PyClass, type PyInstance, type Value, NONE, OBJECT_CLASS, PyException, bool, builtin, nativeClass, str } from "./values";
import { pyEquals } from "./ops";

export const SIMPLE_NAMESPACE_CLASS: PyClass = nativeClass("SimpleNamespace", "types", [OBJECT_CLASS], {
  __init__: builtin("__init__", (a, k, ctx) => {
    const self = a[0] as PyInstance;
    if (a.length > 2) throw new PyException("TypeError", `SimpleNamespace expected at most 1 positional argument, got ${a.length - 1}`);
    // Python 3.13 also takes one mapping (or iterable of pairs) before the keywords.
    if (a.length === 2) {
      const given = a[1];
      const pairs = given.kind === "dict" ? [...given.map.values()].map((e) => [e.key, e.value]) : ctx.iterate(given).map((p) => ctx.iterate(p));
      for (const [key, v] of pairs) {
        if (key?.kind !== "str") throw new PyException("TypeError", "the keys of the mapping given to SimpleNamespace must be strings");
        self.dict.set(key.v, v ?? NONE);
      }
    }
    for (const [key, v] of k) self.dict.set(key, v);
    return NONE;
  }),
  __eq__: builtin("__eq__", (a) => {
    const [x, y] = a as [PyInstance, Value];
    return bool(isNamespace(y) && x.dict.size === y.dict.size && [...x.dict].every(([key, v]) => y.dict.has(key) && pyEquals(v, y.dict.get(key)!)));
  }),
  __repr__: builtin("__repr__", (a, _k, ctx) => {
    const self = a[0] as PyInstance;
    // CPython writes the base class as `namespace`, a subclass by its own name.
    const name = self.cls === SIMPLE_NAMESPACE_CLASS ? "namespace" : self.cls.name;
    return str(`${name}(${[...self.dict].map(([key, v]) => `${key}=${ctx.repr(v)}`).join(", ")})`);
  }),
});

function isNamespace(v: Value): v is PyInstance {
  return v.kind === "instance" && v.cls.mro.includes(SIMPLE_NAMESPACE_CLASS);
}
