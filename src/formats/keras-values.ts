// Keras config JSON -> the interpreter's Python values, so saved layer configs can be handed to the
// same Keras stubs that analyse source code (`Conv2D(**config)`), with the same numbers as a result.

import type { JsonValue } from "../ir/types";
import { type Kwargs, type Value, NONE, bool, dict, float, int, str, tuple } from "../interp/values";
import type { LocatedJson } from "./json-located";

/** JSON lists become tuples: Keras stores tuples (kernel_size, strides, shapes) as lists. */
export function jsonToValue(v: JsonValue, located: LocatedJson, holder?: object, key?: string | number): Value {
  if (v === null) return NONE;
  if (typeof v === "boolean") return bool(v);
  if (typeof v === "number") {
    const writtenAsFloat = holder !== undefined && key !== undefined && located.floats.get(holder)?.has(key);
    return Number.isInteger(v) && !writtenAsFloat ? int(v) : float(v);
  }
  if (typeof v === "string") return str(v);
  if (Array.isArray(v)) return tuple(v.map((x, i) => jsonToValue(x, located, v, i)));
  return dict(Object.entries(v).map(([k, x]) => [str(k), jsonToValue(x, located, v, k)] as [Value, Value]));
}

/** A layer's `config` object as keyword arguments. */
export function configKwargs(cfg: { [k: string]: JsonValue }, located: LocatedJson): Kwargs {
  const kw: Kwargs = new Map();
  for (const [k, v] of Object.entries(cfg)) kw.set(k, jsonToValue(v, located, cfg, k));
  return kw;
}
