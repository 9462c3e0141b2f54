// The stub modules: keras, keras.layers, keras.models, keras.backend, ..., and tensorflow
// (whose `keras` attribute is the same keras module). Each is built once per process and
// shared by every dotted name that reaches it.

import { type PyModule, type Value, NONE, builtin, float, str, unknown } from "../../interp/values";
import { makeModule } from "./harmless";
import { kerasOneHot, tfOneHot } from "./ops-one-hot";
import { isKerasTensor } from "./emit";
import { InputFunction, InputLayerClass } from "./input";
import { LayerClass } from "./layer-class";
import { activationLayers } from "./layers-activation";
import { attentionLayers } from "./layers-attention";
import { convLayers } from "./layers-conv";
import { coreLayers } from "./layers-core";
import { mergeLayers } from "./layers-merge";
import { normLayers } from "./layers-norm";
import { lambdaLayer, unknownLayerClass } from "./layers-opaque";
import { poolingLayers } from "./layers-pool";
import { preprocessingLayers } from "./layers-preprocessing";
import { lookupLayers } from "./layers-lookup";
import { recurrentLayers } from "./layers-recurrent";
import { convRecurrentLayers } from "./layers-conv-recurrent";
import { ModelClass, SequentialClass } from "./model";
import { ACTIVATIONS, opFunctions, tfShapeOp } from "./ops";
import { arrayOps, tfArrayOps, tfLinalgOps, unmodelledOps } from "./ops-array";
import { imageOps, tfImageOps, tfNnImageOps } from "./ops-image";
import { gatherOps, tfGatherOps, tfSegmentOps } from "./ops-gather";
import { datasetsMembers, preprocessingSubmodules, tfDataModule, utilsDataMembers } from "./data";
import { shapeToTuple } from "./shapes";
import { resetNames } from "./state";
import { kerasSrcTable } from "./keras-src";
import { backendRandomMembers, constantTensorMembers, initializersMembers, kerasVariable, randomMembers, tfInitializerMembers, tfVariable } from "./variables";

const cache = new Map<string, PyModule>();
/** One module object per name, however many names or packages reach it. */
export function memo(name: string, build: () => PyModule): PyModule {
  let m = cache.get(name);
  if (!m) {
    m = build();
    cache.set(name, m);
  }
  return m;
}

export function layersModule(): PyModule {
  return memo("keras.layers", () => {
    const merge = mergeLayers();
    const classes = {
      ...convLayers(),
      ...attentionLayers(),
      ...coreLayers(),
      ...normLayers(),
      ...activationLayers(),
      ...poolingLayers(),
      ...preprocessingLayers(),
      ...lookupLayers(),
      ...recurrentLayers(),
      ...convRecurrentLayers(),
      ...merge.classes,
      Lambda: lambdaLayer(),
      InputLayer: InputLayerClass,
      Layer: LayerClass,
    };
    const preprocessing = makeModule("keras.layers.experimental.preprocessing", classes);
    return makeModule("keras.layers", {
      ...classes,
      ...merge.functions,
      Input: InputFunction,
      experimental: makeModule("keras.layers.experimental", { preprocessing }),
      // PEP 562: a layer class we have no stub for becomes an opaque pass-through layer.
      __getattr__: builtin("__getattr__", (args, _kw, ctx) => {
        const name = args[0]?.kind === "str" ? args[0].v : "";
        if (/^[A-Z]/.test(name)) return unknownLayerClass(name);
        return ctx.raise("AttributeError", `module 'keras.layers' has no attribute '${name}'.`);
      }),
    });
  });
}

export function modelsModule(): PyModule {
  return memo("keras.models", () =>
    makeModule("keras.models", {
      Model: ModelClass,
      Sequential: SequentialClass,
      load_model: builtin("load_model", () => unknown("Saved models are not loaded by static analysis.")),
      model_from_json: builtin("model_from_json", () => unknown("Serialised models are not loaded by static analysis.")),
      clone_model: builtin("clone_model", (args) => args[0] ?? NONE),
    }),
  );
}

export function backendModule(): PyModule {
  return memo("keras.backend", () =>
    makeModule(
      "keras.backend",
      {
        image_data_format: builtin("image_data_format", () => str("channels_last")),
        set_image_data_format: builtin("set_image_data_format", () => NONE),
        floatx: builtin("floatx", () => str("float32")),
        epsilon: builtin("epsilon", () => float(1e-7)),
        backend: builtin("backend", () => str("tensorflow")),
        clear_session: builtin("clear_session", (_a, _k, ctx) => {
          resetNames(ctx);
          return NONE;
        }),
        int_shape: builtin("int_shape", (args, _kw, ctx) => {
          const t = args[0];
          return isKerasTensor(t) ? shapeToTuple(t.shape) : ctx.raise("TypeError", `int_shape() expects a Keras tensor, got ${ctx.repr(t ?? NONE)}.`);
        }),
        is_keras_tensor: builtin("is_keras_tensor", (args) => ({ kind: "bool", v: isKerasTensor(args[0]) })),
        ...backendRandomMembers(),
      },
      true,
    ),
  );
}

export function activationsModule(): PyModule {
  return memo("keras.activations", () => {
    const ops = opFunctions();
    const members: Record<string, Value> = {};
    for (const a of ACTIVATIONS) members[a] = ops[a];
    members.get = builtin("get", (args) => (args[0]?.kind === "str" ? members[args[0].v] ?? args[0] : args[0] ?? NONE));
    return makeModule("keras.activations", members);
  });
}

export function opsModule(): PyModule {
  return memo("keras.ops", () =>
    makeModule("keras.ops", {
      ...opFunctions(),
      ...arrayOps(),
      ...gatherOps(),
      ...constantTensorMembers("keras.ops"),
      one_hot: kerasOneHot,
      image: opsImageModule(),
      __getattr__: unmodelledOps("keras.ops"),
    }),
  );
}

export function initializersModule(): PyModule {
  return memo("keras.initializers", () => makeModule("keras.initializers", initializersMembers()));
}

export function kerasRandomModule(): PyModule {
  return memo("keras.random", () => makeModule("keras.random", randomMembers("keras.random")));
}

export function opsImageModule(): PyModule {
  return memo("keras.ops.image", () => makeModule("keras.ops.image", { ...imageOps(), __getattr__: unmodelledOps("keras.ops.image") }));
}

// Modules that do not shape a model: any attribute is harmless, except the data loaders of
// keras.utils and keras.datasets, whose results are unknown (see data.ts).
const harmlessModule = (name: string): PyModule =>
  memo(name, () => {
    const members: Record<string, Value> = name === "keras.utils" ? utilsDataMembers() : name === "keras.datasets" ? datasetsMembers() : {};
    if (name === "keras.preprocessing") Object.assign(members, utilsDataMembers(), preprocessingSubmodules());
    // `@register_keras_serializable()` hands the class back unchanged; a harmless stand-in would replace it.
    if (name === "keras.utils" || name === "keras.saving") members.register_keras_serializable = passThroughDecorator("register_keras_serializable");
    return makeModule(name, members, true);
  });

/**
 * A decorator that leaves what it decorates unchanged, used bare (`@tf.function`) or with arguments
 * (`@tf.function(jit_compile=True)`, `@register_keras_serializable(package="x")`).
 */
function passThroughDecorator(name: string): Value {
  return builtin(name, (args, kwargs) => {
    const target = args[0];
    if (target && kwargs.size === 0 && args.length === 1 && (target.kind === "function" || target.kind === "class" || target.kind === "builtin")) return target;
    return builtin(`${name}.<decorator>`, (inner) => inner[0] ?? NONE);
  });
}

const KERAS_SUBMODULES = ["regularizers", "optimizers", "losses", "metrics", "callbacks", "constraints", "utils", "mixed_precision", "saving", "datasets", "preprocessing"];

export function kerasModule(): PyModule {
  return memo("keras", () => {
    const members: Record<string, Value> = {
      layers: layersModule(),
      models: modelsModule(),
      backend: backendModule(),
      activations: activationsModule(),
      ops: opsModule(),
      Input: InputFunction,
      Model: ModelClass,
      Sequential: SequentialClass,
      Layer: LayerClass,
      Variable: kerasVariable,
      random: kerasRandomModule(),
      initializers: initializersModule(),
      __version__: str("3.0.0"),
    };
    for (const s of KERAS_SUBMODULES) members[s] = harmlessModule(`keras.${s}`);
    return makeModule("keras", members);
  });
}

const DTYPES = ["float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool", "string"];

export function tensorflowModule(): PyModule {
  return memo("tensorflow", () => {
    const ops = opFunctions();
    const nn = makeModule("tensorflow.nn", { ...ops, ...tfNnImageOps(), __getattr__: unmodelledOps("tensorflow.nn") });
    const members: Record<string, Value> = {
      ...ops,
      ...tfArrayOps(),
      ...tfGatherOps(),
      ...tfNnImageOps(),
      ...constantTensorMembers("tensorflow"),
      ...tfInitializerMembers(),
      Variable: tfVariable,
      one_hot: tfOneHot,
      random: makeModule("tensorflow.random", randomMembers("tensorflow.random")),
      shape: tfShapeOp,
      keras: kerasModule(),
      nn,
      data: tfDataModule(),
      function: passThroughDecorator("function"),
      newaxis: NONE,
      __version__: str("2.16.1"),
      // Any other tf.X applied to a symbolic tensor is an opaque node with a warning, not a silent stand-in.
      __getattr__: unmodelledOps("tensorflow"),
    };
    for (const d of DTYPES) members[d] = str(d);
    members.math = makeModule("tensorflow.math", { ...ops, ...tfSegmentOps(), __getattr__: unmodelledOps("tensorflow.math") });
    members.image = makeModule("tensorflow.image", { ...tfImageOps(), __getattr__: unmodelledOps("tensorflow.image") });
    members.linalg = makeModule("tensorflow.linalg", { ...tfLinalgOps(), __getattr__: unmodelledOps("tensorflow.linalg") });
    const tf = makeModule("tensorflow", members);
    // `import tensorflow.compat.v2 as tf` (Keras 2's own files) is TensorFlow 2 itself.
    tf.dict.set("compat", makeModule("tensorflow.compat", { v2: tf }));
    return tf;
  });
}

/** Every dotted name the stubs answer to. */
export function stubTable(): Record<string, () => PyModule> {
  const table: Record<string, () => PyModule> = {
    keras: kerasModule,
    "keras.layers": layersModule,
    "keras.models": modelsModule,
    "keras.backend": backendModule,
    "keras.activations": activationsModule,
    "keras.ops": opsModule,
    "keras.ops.image": opsImageModule,
    tensorflow: tensorflowModule,
    "tensorflow.nn": () => tensorflowModule().dict.get("nn") as PyModule,
    "tensorflow.math": () => tensorflowModule().dict.get("math") as PyModule,
    "tensorflow.random": () => tensorflowModule().dict.get("random") as PyModule,
    "tensorflow.image": () => tensorflowModule().dict.get("image") as PyModule,
    "tensorflow.linalg": () => tensorflowModule().dict.get("linalg") as PyModule,
    "tensorflow.compat": () => tensorflowModule().dict.get("compat") as PyModule,
    "tensorflow.data": () => tensorflowModule().dict.get("data") as PyModule,
    "tensorflow.compat.v2": tensorflowModule,
    "keras.layers.experimental": () => layersModule().dict.get("experimental") as PyModule,
    "keras.layers.experimental.preprocessing": () =>
      (layersModule().dict.get("experimental") as PyModule).dict.get("preprocessing") as PyModule,
  };
  for (const s of KERAS_SUBMODULES) table[`keras.${s}`] = () => harmlessModule(`keras.${s}`);
  for (const s of ["image", "sequence", "text"]) table[`keras.preprocessing.${s}`] = () => harmlessModule("keras.preprocessing").dict.get(s) as PyModule;
  table["keras.initializers"] = initializersModule;
  table["keras.random"] = kerasRandomModule;
  Object.assign(table, kerasSrcTable());
  // tensorflow.keras.* and tf.keras are the same modules.
  for (const name of Object.keys(table)) {
    if (name === "keras" || name.startsWith("keras.")) table[`tensorflow.${name}`] = table[name];
  }
  table["tensorflow.python.keras"] = kerasModule;
  return table;
}

