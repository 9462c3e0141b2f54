// Mappings that are not dicts, read the way CPython's dict merge reads them (`f(**m)`, `{**m}`,
// `dict(m)`): `m.keys()`, then `m[key]` for each. Lightning's `self.hparams` (an AttributeDict), a
// `collections.abc.Mapping` subclass or any class with keys() and __getitem__ qualifies.

import type { InterpreterCore as Interpreter } from "./runtime";
import { type PyDict, type Value, PyException, hashKey } from "./values";
import { typeOf } from "./types";
import { plainDictItems } from "./dict-subclass";

/** The (key, value) pairs of `v` when it has a `keys` method; undefined when it is no mapping. */
export function mappingItems(I: Interpreter, v: Value): [Value, Value][] | undefined {
  if (v.kind !== "instance") return undefined;
  const own = plainDictItems(I, v);
  if (own) return [...own.map.values()].map((e) => [e.key, e.value]);
  const keys = I.getAttrOrUndefined(v, "keys");
  if (keys === undefined) return undefined;
  return I.iterate(I.call(keys, [])).map((k) => [k, I.getItem(v, k)]);
}

/** `{**m}`, `dict(m)`: copies the items of mapping `v` into `into`; false when `v` is no mapping. */
export function mergeMapping(I: Interpreter, into: PyDict, v: Value): boolean {
  const items = mappingItems(I, v);
  if (!items) return false;
  for (const [k, x] of items) into.map.set(hashKey(k), { key: k, value: x });
  return true;
}

/** `f(**m)`: the keyword arguments a mapping gives; keys must be strings, as CPython requires. */
export function mappingKeywords(I: Interpreter, v: Value, into: Map<string, Value>): boolean {
  const items = mappingItems(I, v);
  if (!items) return false;
  for (const [k, x] of items) {
    if (k.kind !== "str") throw new PyException("TypeError", `keywords must be strings, not ${typeOf(k).name}`);
    into.set(k.v, x);
  }
  return true;
}
