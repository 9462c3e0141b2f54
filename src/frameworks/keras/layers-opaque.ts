// Layers we cannot see inside: Lambda (we never call its function) and layer classes we have
// no stub for. Both become opaque nodes that pass their input shape through.

import type { Shape } from "../../ir/types";
import { type NativeContext, type PyClass, type PyInstance, type Value, NONE, builtin, nativeClass } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { registerBuiltinDef } from "./builtin-def";
import { LayerClass, baseLayerInit, defineLayer } from "./layer-class";
import { initLayerState } from "./layer-state";
import { valueToShape } from "./shapes";

function callableName(v: Value | undefined): string {
  if (!v) return "?";
  if (v.kind === "function" || v.kind === "builtin") return v.name;
  if (v.kind === "instance") return v.cls.name;
  return v.kind;
}

export function lambdaLayer(): PyClass {
  return defineLayer({
    className: "Lambda",
    category: "opaque",
    args: ["function", "output_shape=", "mask=", "arguments="],
    opaque: "Lambda layers run arbitrary Python; the function is not analysed.",
    configure(ctx: NativeContext, a) {
      const os = a.output_shape;
      const fixed = os && (os.kind === "tuple" || os.kind === "list") ? valueToShape(ctx, os, "output_shape") : null;
      // A function that changes the shape would otherwise go unnoticed until a later layer misreads it.
      if (!fixed) {
        ctx.warn("This Lambda's function is not analysed: its output shape is assumed equal to its input's. Pass output_shape=... to state it.", "unsupported");
      }
      return { function: callableName(a.function), output_shape: fixed };
    },
    apply(x) {
      const fixed = x.cfg.output_shape as Shape | null;
      // Keras's output_shape leaves out the batch dimension.
      return { shape: fixed ? [x.shapes[0][0], ...fixed] : x.shapes[0] };
    },
  });
}

const unknownClasses = new Map<string, PyClass>();

/** A native class for a layer we have no stub for; constructing it warns, applying it passes the shape through. */
export function unknownLayerClass(name: string): PyClass {
  const hit = unknownClasses.get(name);
  if (hit) return hit;
  const init = builtin("__init__", (args, kwargs, ctx) => {
    const self = args[0] as PyInstance;
    const a = bindArgs(ctx, name, args.slice(1), kwargs, ["*args", "**kwargs"]);
    initLayerState(ctx, self, baseLayerInit(ctx, a.kwargs));
    ctx.warn(`Unknown layer '${name}': shown as an opaque node that passes its input shape through.`, "unsupported");
    return NONE;
  });
  const cls = nativeClass(name, "keras.layers", [LayerClass], { __init__: init });
  registerBuiltinDef(cls, {
    className: name,
    category: "opaque",
    args: [],
    multiInput: "either",
    opaque: `Unknown layer '${name}'; its output shape is assumed equal to its input shape.`,
    apply: (x) => ({ shape: x.shapes[0] }),
  });
  unknownClasses.set(name, cls);
  return cls;
}
