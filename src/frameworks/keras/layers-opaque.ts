// Lambda, whose function runs on the symbolic inputs (an opaque node where it cannot), and layer
// classes we have no stub for, opaque nodes that pass their input shape through.

import type { Shape } from "../../ir/types";
import { type Kwargs, type NativeContext, type PyClass, type PyInstance, type Value, NONE, PyException, builtin, nativeClass } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { type BuiltinLayerDef, applyBuiltin, registerBuiltinDef, unknownInput } from "./builtin-def";
import { flattenTensors, isWeightTensor } from "./emit";
import { LayerClass, baseLayerInit, defineLayer, inLayerScope } from "./layer-class";
import { initLayerState, layerState } from "./layer-state";
import { recordedCall } from "./replay";
import { valueToShape } from "./shapes";
import { asClause } from "./clause";

function callableName(v: Value | undefined): string {
  if (!v) return "?";
  if (v.kind === "function" || v.kind === "builtin") return v.name;
  if (v.kind === "instance") return v.cls.name;
  return v.kind;
}

/** The Lambda's `arguments=` dict as keyword arguments for its function. */
function extraKwargs(v: Value | undefined): Kwargs {
  const out: Kwargs = new Map();
  if (v?.kind === "dict") for (const e of v.map.values()) if (e.key.kind === "str") out.set(e.key.v, e.value);
  return out;
}

/**
 * Lambda(function)(inputs): the function runs on the symbolic inputs like any Python function, its
 * ops scoped under the layer. Where it cannot be run, or gives no tensor, the layer is an opaque
 * node of the stated output_shape or, with a warning, of its input's shape.
 */
function lambdaCall(ctx: NativeContext, def: BuiltinLayerDef, args: Value[], kwargs: Kwargs): Value {
  const self = args[0] as PyInstance;
  const st = layerState(ctx, self);
  const a = bindArgs(ctx, "Lambda.call", args.slice(1), kwargs, ["inputs", "mask=", "training=", "**kwargs"]);
  const inputs = a.inputs ?? NONE;
  const skipped = unknownInput(ctx, () => `Lambda '${st.name}'`, inputs);
  if (skipped) return skipped;
  const fn = self.dict.get("function");
  let why = "";
  if (fn && fn.kind !== "none") {
    try {
      const out = inLayerScope(ctx, self, () => ctx.call(fn, [inputs], extraKwargs(self.dict.get("arguments"))), 1);
      if (flattenTensors(out).some((t) => !isWeightTensor(t))) {
        st.built = true;
        if (!st.firstCall) st.firstCall = { inputs, outputs: out };
        return out;
      }
      why = `: it returned ${out.kind === "unknown" ? `a value the analyzer cannot know (${asClause(out.why)})` : ctx.repr(out)}`;
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
      why = `: ${asClause(e.message)}`;
    }
  }
  // A function that changes the shape would otherwise go unnoticed until a later layer misreads it.
  if (!st.config.output_shape) {
    ctx.warn(`The function of Lambda '${st.name}' could not be analysed${why}; its output shape is assumed equal to its input's. Pass output_shape=... to state it.`, "unsupported");
  }
  return applyBuiltin(ctx, self, st, def, inputs);
}

export function lambdaLayer(): PyClass {
  const def: BuiltinLayerDef = {
    className: "Lambda",
    category: "opaque",
    args: ["function", "output_shape=", "mask=", "arguments="],
    opaque: "Lambda layer whose function could not be analysed.",
    configure(ctx: NativeContext, a, self) {
      // Keras keeps both as attributes of the layer.
      self.dict.set("function", a.function ?? NONE);
      self.dict.set("arguments", a.arguments ?? NONE);
      const os = a.output_shape;
      const fixed = os && (os.kind === "tuple" || os.kind === "list") ? valueToShape(ctx, os, "output_shape") : null;
      return { function: callableName(a.function), output_shape: fixed };
    },
    apply(x) {
      const fixed = x.cfg.output_shape as Shape | null;
      // Keras's output_shape leaves out the batch dimension.
      return { shape: fixed ? [x.shapes[0][0], ...fixed] : x.shapes[0] };
    },
  };
  def.methods = {
    __call__: builtin("__call__", (args, kwargs, ctx) => recordedCall(ctx, args, kwargs, () => lambdaCall(ctx, def, args, kwargs))),
  };
  return defineLayer(def);
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
    assumesShape: true,
    apply: (x) => ({ shape: x.shapes[0] }),
  });
  unknownClasses.set(name, cls);
  return cls;
}
