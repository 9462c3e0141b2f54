// Merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate) and their
// functional forms (layers.add([...]), layers.concatenate([...], axis=...)).

import type { Shape } from "../../ir/types";
import { type Kwargs, type NativeContext, type PyClass, type Value, builtin } from "../../interp/values";
import { bindArgs, toInt } from "../../interp/args";
import { type BuiltinApply, type BuiltinResult } from "./builtin-def";
import { defineLayer } from "./layer-class";
import { broadcastShapes, formatShape, normAxis } from "./shapes";

const VERBS: Record<string, string> = {
  add: "add",
  subtract: "subtract",
  multiply: "multiply",
  average: "average",
  maximum: "take the maximum of",
  minimum: "take the minimum of",
};

/** Element-wise merge: shapes must be equal up to size-1 / unknown dims (Keras's Merge.build rule). */
function elementwise(x: BuiltinApply, mergeKind: string): BuiltinResult {
  let out: Shape = x.shapes[0];
  for (let i = 1; i < x.shapes.length; i++) {
    const b = broadcastShapes(out, x.shapes[i]);
    if (!b) {
      x.ctx.reportError(
        `${x.className} '${x.name}' cannot ${VERBS[mergeKind]} shapes ${formatShape(out)} and ${formatShape(x.shapes[i])}.`,
        "shape-mismatch",
      );
      return { shape: x.shapes[0] };
    }
    out = b;
  }
  return { shape: out };
}

function mergeLayer(className: string, mergeKind: string): PyClass {
  return defineLayer({
    className,
    category: "merge",
    args: [],
    multiInput: true,
    configure: () => ({ mergeKind }),
    apply(x) {
      if (mergeKind === "subtract" && x.shapes.length !== 2) {
        x.ctx.reportError(`Subtract '${x.name}' needs exactly 2 inputs, got ${x.shapes.length}.`, "shape-mismatch");
        return { shape: x.shapes[0] ?? null };
      }
      return elementwise(x, mergeKind);
    },
  });
}

function concatenate(x: BuiltinApply): BuiltinResult {
  const first = x.shapes[0];
  const axis = normAxis(x.cfg.axis as number, first.length);
  const mismatch = (other: Shape): boolean =>
    other.length !== first.length ||
    other.some((d, i) => i !== axis && d !== null && first[i] !== null && d !== first[i]);
  const bad = x.shapes.find(mismatch);
  if (axis === undefined || bad) {
    x.ctx.reportError(
      `Concatenate '${x.name}' cannot join shapes ${x.shapes.map(formatShape).join(" and ")} along axis ${x.cfg.axis}: all other dimensions must match.`,
      "shape-mismatch",
    );
    return { shape: first };
  }
  const shape = first.map((d, i) => (i === 0 || i !== axis ? x.shapes.find((s) => s[i] !== null)?.[i] ?? d : d));
  const parts = x.shapes.map((s) => s[axis]);
  shape[axis] = parts.every((d) => d !== null) ? (parts as number[]).reduce((p, d) => p + d, 0) : null;
  return { shape };
}

/** `layers.add(inputs, **kwargs)`: builds the layer and applies it at once. */
function functionalForm(name: string, cls: PyClass): Value {
  return builtin(name, (args: Value[], kwargs: Kwargs, ctx: NativeContext) => {
    const a = bindArgs(ctx, name, args, kwargs, ["inputs", "**kwargs"]);
    const layerKw: Kwargs = new Map();
    if (a.kwargs?.kind === "dict") for (const { key, value } of a.kwargs.map.values()) if (key.kind === "str") layerKw.set(key.v, value);
    const layer = ctx.call(cls, [], layerKw);
    return ctx.call(layer, [a.inputs!]);
  });
}

export function mergeLayers(): { classes: Record<string, PyClass>; functions: Record<string, Value> } {
  const classes: Record<string, PyClass> = {
    Add: mergeLayer("Add", "add"),
    Subtract: mergeLayer("Subtract", "subtract"),
    Multiply: mergeLayer("Multiply", "multiply"),
    Average: mergeLayer("Average", "average"),
    Maximum: mergeLayer("Maximum", "maximum"),
    Minimum: mergeLayer("Minimum", "minimum"),
    Concatenate: defineLayer({
      className: "Concatenate",
      category: "merge",
      args: ["axis="],
      multiInput: true,
      configure: (ctx, a) => ({ mergeKind: "concatenate", axis: toInt(ctx, a.axis, "axis", -1) }),
      apply: concatenate,
    }),
  };
  const functions: Record<string, Value> = {};
  for (const [fname, cname] of [
    ["add", "Add"],
    ["subtract", "Subtract"],
    ["multiply", "Multiply"],
    ["average", "Average"],
    ["maximum", "Maximum"],
    ["minimum", "Minimum"],
    ["concatenate", "Concatenate"],
  ]) {
    functions[fname] = functionalForm(fname, classes[cname]);
  }
  return { classes, functions };
}
