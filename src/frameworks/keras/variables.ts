// Weights that custom layers make without add_weight: `tf.Variable(...)` / `keras.Variable(...)`
// assigned to a layer attribute, as the Keras guides write them, with the initializers and constant
// tensors (tf.zeros, tf.random.normal) that give them their shape. Keras 2 tracks such a variable
// when it is set on a layer, and count_params() counts it, so the layer's __setattr__ adopts them.

import { bindArgs, toBool } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { type Kwargs, type NativeContext, type PyClass, type PyTensor, type Value, NONE, OBJECT_CLASS, builtin, derivedUnknown, isInstanceOf, nativeClass, str, unknown } from "../../interp/values";
import { isNdarray, ndarrayShape } from "../../interp/numpy-array";
import { isKerasTensor, isWeightTensor, kerasTensor } from "./emit";
import type { LayerState } from "./layer-state";
import { valueToShape } from "./shapes";
import { unmodelledOps } from "./ops-array";
import { skippedOperand } from "./protocol";

interface VariableInfo {
  name?: string;
  trainable: boolean;
  /** Set when a layer attribute first holds it: a variable counts once, in that layer. */
  owned: boolean;
}

const variables = new WeakMap<PyTensor, VariableInfo>();

/** A constant tensor of this shape: no producer node, never a graph input (like add_weight's). */
function constantTensor(shape: Shape): PyTensor {
  return kerasTensor(shape, "");
}

/**
 * The shape of a variable's initial value: a tensor, a nested Python list of numbers, a number, or a
 * numpy array (of numbers, or known by its shape alone: np.zeros((2708, 1433))).
 */
function initialShape(ctx: NativeContext, v: Value): Shape | undefined {
  if (v.kind === "tensor") return v.shape;
  if (isNdarray(v)) return ndarrayShape(v);
  if (v.kind === "int" || v.kind === "float" || v.kind === "bool") return [];
  if (v.kind === "list" || v.kind === "tuple") {
    if (v.items.length === 0) return [0];
    const inner = initialShape(ctx, v.items[0]);
    return inner ? [v.items.length, ...inner] : undefined;
  }
  // tf.Variable(lambda: init(shape)) and tf.Variable(initializer_fn) take the value the callable returns.
  if (v.kind === "function" || v.kind === "builtin") return initialShape(ctx, ctx.call(v, []));
  return undefined;
}

function makeVariable(ctx: NativeContext, shape: Shape | undefined, what: string, trainable: boolean, name: string | undefined): Value {
  if (!shape) {
    ctx.warn(`${what} has an initial value of unknown shape; its weights are not counted.`, "unknown-weight");
    return unknown(`${what} has an initial value of unknown shape.`);
  }
  const t = constantTensor(shape);
  variables.set(t, { name, trainable, owned: false });
  return t;
}

/** tf.Variable(initial_value, trainable=True, ..., name=None, dtype=None, shape=None). */
export const tfVariable = builtin("Variable", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "Variable", args, kwargs, [
    "initial_value=", "trainable=", "validate_shape=", "caching_device=", "name=", "variable_def=", "dtype=", "import_scope=", "constraint=", "synchronization=", "aggregation=", "shape=", "**kwargs",
  ]);
  const shape = a.initial_value ? initialShape(ctx, a.initial_value) : undefined;
  const name = a.name && a.name.kind === "str" ? a.name.v : undefined;
  return makeVariable(ctx, shape, "tf.Variable", toBool(ctx, a.trainable, true), name);
});

/** keras.Variable(initializer, shape=None, dtype=None, trainable=True, ..., name=None) (Keras 3). */
export const kerasVariable = builtin("Variable", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "Variable", args, kwargs, ["initializer", "shape=", "dtype=", "trainable=", "autocast=", "aggregation=", "synchronization=", "name=", "**kwargs"]);
  const given = a.shape && a.shape.kind !== "none" ? valueToShape(ctx, a.shape, "shape") : undefined;
  const init = a.initializer!;
  let shape = given;
  if (!shape) shape = initialShape(ctx, init);
  const name = a.name && a.name.kind === "str" ? a.name.v : undefined;
  return makeVariable(ctx, shape, "keras.Variable", toBool(ctx, a.trainable, true), name);
});

/**
 * Called when `value` is set as attribute `attr` of a layer: variables not yet owned by a layer
 * (also inside a list, tuple or dict) become this layer's weights.
 */
export function adoptVariables(st: LayerState, attr: string, value: Value): void {
  const visit = (v: Value, label: string): void => {
    if (v.kind === "tensor") {
      const info = variables.get(v);
      if (!info || info.owned) return;
      info.owned = true;
      const dims = v.shape.map((d) => d ?? 0);
      st.weights.push({ name: info.name ?? label, shape: dims, count: dims.reduce((p, d) => p * d, 1), trainable: info.trainable });
    } else if (v.kind === "list" || v.kind === "tuple") v.items.forEach((x, i) => visit(x, `${label}_${i}`));
    else if (v.kind === "dict") for (const e of v.map.values()) visit(e.value, label);
  };
  visit(value, attr);
}

// ---- initializers ---------------------------------------------------------------------------

/**
 * Every initializer object (tf.random_normal_initializer(), keras.initializers.HeNormal(), ...):
 * calling it with a shape gives a tensor of that shape. Subclassable as keras.initializers.Initializer.
 */
export const InitializerClass: PyClass = nativeClass("Initializer", "keras.initializers", [OBJECT_CLASS], {
  __init__: builtin("__init__", () => NONE),
  __call__: builtin("__call__", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "Initializer.__call__", args.slice(1), kwargs, ["shape", "dtype=", "**kwargs"]);
    return constantTensor(valueToShape(ctx, a.shape!, "shape"));
  }),
  get_config: builtin("get_config", () => ({ kind: "dict", map: new Map() })),
});

function initializerFactory(name: string): Value {
  return builtin(name, (_args, _kw, ctx) => ctx.newInstance(InitializerClass));
}

/** A subclass of Initializer named like the Keras class (HeNormal, GlorotUniform, Zeros, ...). */
const initializerClasses = new Map<string, PyClass>();
function initializerClass(name: string): PyClass {
  let cls = initializerClasses.get(name);
  if (!cls) {
    cls = nativeClass(name, "keras.initializers", [InitializerClass], {});
    initializerClasses.set(name, cls);
  }
  return cls;
}

/**
 * Members of keras.initializers: `Initializer` to subclass, `get(identifier)`, any capitalised name
 * a class of initializers, any other name (he_normal, zeros) a function giving one.
 */
export function initializersMembers(): Record<string, Value> {
  return {
    Initializer: InitializerClass,
    get: builtin("get", (args, _kw, ctx) => {
      const id = args[0] ?? NONE;
      return id.kind === "instance" && isInstanceOf(id, InitializerClass) ? id : ctx.newInstance(InitializerClass);
    }),
    __getattr__: builtin("__getattr__", (args) => {
      const name = args[0]?.kind === "str" ? args[0].v : "initializer";
      return /^[A-Z]/.test(name) ? initializerClass(name) : initializerFactory(name);
    }),
  };
}

/** TensorFlow's own initializer functions: tf.random_normal_initializer(), tf.zeros_initializer(), ... */
export const TF_INITIALIZERS = [
  "random_normal_initializer", "random_uniform_initializer", "truncated_normal_initializer", "zeros_initializer", "ones_initializer",
  "constant_initializer", "glorot_uniform_initializer", "glorot_normal_initializer", "orthogonal_initializer", "variance_scaling_initializer",
];

export function tfInitializerMembers(): Record<string, Value> {
  return Object.fromEntries(TF_INITIALIZERS.map((n) => [n, initializerFactory(n)]));
}

// ---- constant tensors from a shape ----------------------------------------------------------

/**
 * tf.zeros(shape) and kin (`params` start with "shape"): a constant tensor of that shape. Dims known
 * only at run time (`tf.shape(x)[0]`, the batch) are None, as in the KerasTensor Keras makes:
 * `tf.random.normal(shape=(tf.shape(x)[0], 4))` is a (None, 4) tensor. A dim left by a skipped
 * statement makes the result that unknown; a shape of unknown length (a tensor, an unknown) goes to
 * `fallback` (the unmodelled-op node with a warning).
 */
function shapeFactory(name: string, params: string[], fallback: (ctx: NativeContext) => Value): Value {
  return builtin(name, (args, kwargs: Kwargs, ctx) => {
    const a = bindArgs(ctx, name, args, kwargs, [...params, "**kwargs"]);
    const shapeArg = a.shape;
    if (shapeArg?.kind === "int") return constantTensor([shapeArg.v]);
    if (shapeArg && (shapeArg.kind === "tuple" || shapeArg.kind === "list")) {
      const skipped = skippedOperand(...shapeArg.items);
      if (skipped) return skipped;
      if (shapeArg.items.every((d) => d.kind === "int" || d.kind === "unknown" || d.kind === "none")) return constantTensor(valueToShape(ctx, shapeArg, "shape"));
    }
    return ctx.call(fallback(ctx), args, kwargs);
  });
}

/**
 * tf.constant(value) / tf.convert_to_tensor(value) of Python numbers, lists and numpy arrays: a
 * constant of that shape. Of data the analyzer cannot know (a numpy array read from files), the same
 * unknown: a layer applied to it then says what it could not know, rather than that it got no tensor.
 */
function constantFactory(name: string, fallback: (ctx: NativeContext) => Value): Value {
  return builtin(name, (args, kwargs, ctx) => {
    const v = args[0] ?? kwargs.get("value");
    if (v?.kind === "unknown") return derivedUnknown(v, `${name}() of ${v.why}`);
    if (v && !isKerasTensor(v)) {
      const shape = initialShape(ctx, v);
      if (shape) return constantTensor(shape);
    }
    if (v && isKerasTensor(v) && isWeightTensor(v)) return v;
    return ctx.call(fallback(ctx), args, kwargs);
  });
}

/** `moduleName.name` as the module's __getattr__ gives it: the unmodelled op, for symbolic arguments. */
function unmodelled(moduleName: string, name: string): (ctx: NativeContext) => Value {
  return (ctx) => ctx.call(unmodelledOps(moduleName), [str(name)]);
}

/** tf.zeros / tf.ones / tf.constant / tf.convert_to_tensor (also keras.ops.zeros / ones / convert_to_tensor). */
export function constantTensorMembers(moduleName: string): Record<string, Value> {
  return {
    zeros: shapeFactory("zeros", ["shape", "dtype=", "name="], unmodelled(moduleName, "zeros")),
    ones: shapeFactory("ones", ["shape", "dtype=", "name="], unmodelled(moduleName, "ones")),
    constant: constantFactory("constant", unmodelled(moduleName, "constant")),
    convert_to_tensor: constantFactory("convert_to_tensor", unmodelled(moduleName, "convert_to_tensor")),
  };
}

/** tf.random / keras.random: normal, uniform and truncated_normal of a given shape; the rest unmodelled. */
export function randomMembers(moduleName: string): Record<string, Value> {
  const members: Record<string, Value> = { __getattr__: unmodelledOps(moduleName) };
  for (const name of ["normal", "uniform", "truncated_normal"]) members[name] = shapeFactory(name, ["shape", "*rest"], unmodelled(moduleName, name));
  return members;
}

/** keras.backend's random tensors of a given shape (tf.keras 2: the VAE's Sampling layer uses random_normal). */
export function backendRandomMembers(): Record<string, Value> {
  const members: Record<string, Value> = {};
  for (const name of ["random_normal", "random_uniform", "truncated_normal", "random_bernoulli"]) {
    members[name] = shapeFactory(name, ["shape", "*rest"], unmodelled("keras.backend", name));
  }
  return members;
}
