// The methods `collections.abc.Mapping` gives a subclass that defines __getitem__, __iter__ and
// __len__: keys(), items(), values(), get() and `in`, each read through those three, as in CPython
// (keys() gives a list here, not a view: model code only iterates it).

import { type NativeContext, type Value, NONE, PyException, bool, builtin, hashKey, list, tuple } from "./values";

function itemOf(ctx: NativeContext, self: Value, key: Value): Value {
  const getitem = ctx.getAttrOrUndefined(self, "__getitem__");
  if (!getitem) throw new PyException("TypeError", "a Mapping subclass must define __getitem__");
  return ctx.call(getitem, [key]);
}

function keysOf(ctx: NativeContext, self: Value): Value[] {
  return ctx.iterate(self);
}

/**
 * Whether the mapping holds `key`, by its keys rather than by catching the KeyError of `self[key]` as
 * CPython does: a KeyError the interpreter meets inside __getitem__ skips that statement (the failure
 * policy) instead of reaching this caller. The same answer for any mapping whose __iter__ agrees with
 * its __getitem__.
 */
function holds(ctx: NativeContext, self: Value, key: Value): boolean {
  const wanted = hashKey(key);
  return keysOf(ctx, self).some((k) => hashKey(k) === wanted);
}

export const MAPPING_MIXINS: Record<string, Value> = {
  keys: builtin("keys", (a, _k, ctx) => list(keysOf(ctx, a[0]))),
  items: builtin("items", (a, _k, ctx) => list(keysOf(ctx, a[0]).map((k) => tuple([k, itemOf(ctx, a[0], k)])))),
  values: builtin("values", (a, _k, ctx) => list(keysOf(ctx, a[0]).map((k) => itemOf(ctx, a[0], k)))),
  get: builtin("get", (a, _k, ctx) => (holds(ctx, a[0], a[1] ?? NONE) ? itemOf(ctx, a[0], a[1] ?? NONE) : (a[2] ?? NONE))),
  __contains__: builtin("__contains__", (a, _k, ctx) => bool(holds(ctx, a[0], a[1] ?? NONE))),
};
