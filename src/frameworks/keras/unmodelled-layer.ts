// An instance of a class from a package the analyzer does not model (tensorflow_addons'
// `tfa.layers.InstanceNormalization()`, common in keras.io GAN examples) called on a KerasTensor: a
// layer the analyzer cannot see into. As in PyTorch (torch/unknown-layer.ts), it becomes an opaque
// layer whose output is assumed to have its input's shape, so the rest of the model is still built;
// one warning names the class, and since its weights cannot be counted its node is marked
// `paramsUnknown` and the totals say they are a lower bound.

import { type NativeContext, type PyClass, type PyInstance, type PyTensor, type Value, NONE, builtin, nativeClass } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { warnOncePerClass } from "../../interp/unknown-calls";
import { registerBuiltinDef } from "./builtin-def";
import { LayerClass, baseLayerInit } from "./layer-class";
import { initLayerState, layerState } from "./layer-state";

const classes = new Map<string, PyClass>();

/** The Keras layer class standing for the unmodelled class `dotted`, one per name. */
function standInClass(dotted: string): PyClass {
  const hit = classes.get(dotted);
  if (hit) return hit;
  const name = dotted.slice(dotted.lastIndexOf(".") + 1);
  const init = builtin("__init__", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, name, args.slice(1), kwargs, ["*args", "**kwargs"]);
    initLayerState(ctx, args[0] as PyInstance, baseLayerInit(ctx, a.kwargs));
    return NONE;
  });
  const cls = nativeClass(name, dotted.slice(0, Math.max(0, dotted.lastIndexOf("."))), [LayerClass], { __init__: init });
  registerBuiltinDef(cls, {
    className: name,
    category: "opaque",
    args: [],
    multiInput: "either",
    opaque: `Unknown layer class '${dotted}'; its output shape is assumed equal to its input shape and its weights are not counted.`,
    assumesShape: true,
    apply: (x) => ({ shape: x.shapes[0] }),
  });
  classes.set(dotted, cls);
  return cls;
}

export function unmodelledKerasLayer(ctx: NativeContext, dotted: string, x: PyTensor): Value {
  const layer = ctx.call(standInClass(dotted), [], new Map()) as PyInstance;
  const said = warnOncePerClass(
    ctx,
    dotted,
    `Unknown layer class '${dotted}': shown as an opaque layer whose output is assumed to have its input's shape; its weights, if any, are not counted, and a shape error after it may come from that assumption.`,
  );
  // Its weights are unknown: the node says so (paramsUnknown), and nothing ever sizes them.
  layerState(ctx, layer).unsizedWeights = said ? [said] : [];
  return ctx.call(layer, [x], new Map());
}
