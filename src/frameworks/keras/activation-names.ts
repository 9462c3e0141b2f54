// Resolving an `activation=` argument (a string, keras.activations.relu, a user function or a
// layer instance) to the name recorded in node attrs. Layers never call the activation.

import type { JsonValue } from "../../ir/types";
import type { NativeContext, Value } from "../../interp/values";
import { isLayerState } from "./layer-state";
import { snakeCase } from "./state";

/** The activation's name, or null for none / "linear" (identity). */
export function activationName(ctx: NativeContext, v: Value | undefined): string | null {
  if (!v || v.kind === "none") return null;
  let name: string;
  switch (v.kind) {
    case "str":
      name = v.v;
      break;
    case "builtin":
    case "function":
      name = v.name;
      break;
    case "instance":
      name = isLayerState(v.native) ? snakeCase(v.cls.name).replace(/_/g, "") : v.cls.name;
      break;
    default:
      name = ctx.repr(v);
  }
  return name === "linear" ? null : name;
}

/** Attrs entry for an activation fused into a conv/dense node. */
export function activationAttr(ctx: NativeContext, v: Value | undefined): Record<string, JsonValue> {
  const name = activationName(ctx, v);
  return name ? { activation: name } : {};
}
