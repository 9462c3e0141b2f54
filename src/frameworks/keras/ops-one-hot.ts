// tf.one_hot(indices, depth) and keras.ops.one_hot(x, num_classes): a new axis of that many classes,
// last unless `axis` says where (labels turned into targets, a class embedding's input). A depth the
// analyzer cannot know leaves that axis unknown.

import type { Shape } from "../../ir/types";
import { type NativeContext, type Value, builtin } from "../../interp/values";
import { bindArgs, isNoneOrMissing, toInt } from "../../interp/args";
import { emitNode, isKerasTensor, isWeightTensor, kerasTensor } from "./emit";
import { notATensor } from "./protocol";
import { recordedBuiltin } from "./replay";
import { uniqueName } from "./state";

function oneHot(ctx: NativeContext, x: Value, depthArg: Value, axisArg: Value | undefined): Value {
  if (!isKerasTensor(x)) return notATensor("one_hot", x);
  const depth = depthArg.kind === "int" ? depthArg.v : null;
  const rank = x.shape.length + 1;
  const given = isNoneOrMissing(axisArg) ? -1 : toInt(ctx, axisArg, "axis");
  if (given < -rank || given >= rank) return ctx.raise("ValueError", `one_hot() axis ${given} is out of range for indices of shape (${x.shape.join(", ")}).`);
  const axis = given < 0 ? given + rank : given;
  const shape: Shape = [...x.shape.slice(0, axis), depth, ...x.shape.slice(axis)];
  if (isWeightTensor(x)) return kerasTensor(shape, "");
  const id = emitNode(ctx, { op: "one_hot", category: "math", name: uniqueName(ctx, "one_hot"), attrs: { depth, axis }, inputs: [x], shape });
  return kerasTensor(shape, id);
}

export const kerasOneHot = recordedBuiltin(
  builtin("one_hot", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "one_hot", args, kwargs, ["x", "num_classes", "axis=", "dtype=", "sparse="]);
    return oneHot(ctx, a.x!, a.num_classes!, a.axis);
  }),
);

export const tfOneHot = recordedBuiltin(
  builtin("one_hot", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "one_hot", args, kwargs, ["indices", "depth", "on_value=", "off_value=", "axis=", "dtype=", "name="]);
    return oneHot(ctx, a.indices!, a.depth!, a.axis);
  }),
);
