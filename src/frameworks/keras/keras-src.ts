// `keras.src.*`: the private package Keras 3 is written in. Its own application files (ResNet,
// MobileNet, ...) import from there, so the public stubs answer to these names too, plus the few
// helpers those files call while building a model (export decorators, source inputs, file checks).
// keras.src.applications.* itself is the bundled zoo (src/frameworks/zoo/python/keras/applications).

import { type PyModule, type Value, FALSE, NONE, builtin, list, unknown } from "../../interp/values";
import { InputFunction, InputLayerClass } from "./input";
import { LayerClass } from "./layer-class";
import { makeModule } from "./harmless";
import { ModelClass, SequentialClass } from "./model";
import { activationsModule, backendModule, layersModule, memo, opsModule } from "./modules";

const once = (name: string, build: () => PyModule) => () => memo(name, build);

/** `@keras_export("keras.applications.ResNet50", ...)`: registers a public name; no effect here. */
const identity = builtin("keras_export.<decorator>", (a) => a[0] ?? NONE);
const keras_export = builtin("keras_export", () => identity);

const operationUtils = once("keras.src.ops.operation_utils", () =>
  makeModule("keras.src.ops.operation_utils", {
    // The Input a tensor came from; model builders pass `Input` tensors, which are their own source.
    get_source_inputs: builtin("get_source_inputs", (a) => list(a[0] ? [a[0]] : [])),
  }),
);

const fileUtils = once("keras.src.utils.file_utils", () =>
  makeModule("keras.src.utils.file_utils", {
    exists: builtin("exists", () => FALSE),
    get_file: builtin("get_file", () => unknown("a downloaded weights file")),
  }),
);

const models = once("keras.src.models", () => makeModule("keras.src.models", { Functional: ModelClass, Model: ModelClass, Sequential: SequentialClass }, true));
const apiExport = once("keras.src.api_export", () => makeModule("keras.src.api_export", { keras_export }));
// An empty package, as in Keras: its submodules (imagenet_utils, resnet, ...) are the bundled zoo's
// keras.applications modules, found as attributes or by `from keras.src.applications import x`.
const applications = once("keras.src.applications", () => makeModule("keras.src.applications", {}));
// Keras 3's base class module (`from keras.src.layers.layer import Layer`), and Keras 2's.
const layerModule = (name: string) => once(name, () => makeModule(name, { Layer: LayerClass }));
const utils = once("keras.src.utils", () => makeModule("keras.src.utils", { file_utils: fileUtils() }, true));

const kerasSrc = once("keras.src", () =>
  makeModule(
    "keras.src",
    {
      layers: layersModule(),
      models: models(),
      backend: backendModule(),
      activations: activationsModule(),
      ops: opsModule(),
      api_export: apiExport(),
      applications: applications(),
      utils: utils(),
    },
    true,
  ),
);

// Keras 2's engine package (`from keras.engine import training` + `training.Model(...)` in the
// Keras 2 application files), also under keras.src.engine as Keras 2.13+ moved it.
const engineModules = (prefix: string): Record<string, () => PyModule> => {
  const members: Record<string, Record<string, Value>> = {
    training: { Model: ModelClass },
    functional: { Functional: ModelClass },
    sequential: { Sequential: SequentialClass },
    base_layer: { Layer: LayerClass },
    input_layer: { Input: InputFunction, InputLayer: InputLayerClass },
  };
  const table: Record<string, () => PyModule> = {};
  for (const [sub, m] of Object.entries(members)) table[`${prefix}.${sub}`] = once(`${prefix}.${sub}`, () => makeModule(`${prefix}.${sub}`, m, true));
  table[prefix] = once(prefix, () => makeModule(prefix, Object.fromEntries(Object.keys(members).map((sub) => [sub, table[`${prefix}.${sub}`]()])), true));
  return table;
};

/** Dotted names under `keras.src` the stubs answer to. */
export function kerasSrcTable(): Record<string, () => PyModule> {
  return {
    "keras.src": kerasSrc,
    "keras.src.layers": layersModule,
    "keras.src.layers.layer": layerModule("keras.src.layers.layer"),
    ...engineModules("keras.engine"),
    ...engineModules("keras.src.engine"),
    "keras.src.models": models,
    "keras.src.backend": backendModule,
    "keras.src.activations": activationsModule,
    "keras.src.ops": opsModule,
    // `from keras.src.ops import operation_utils` asks the ops module, whose name is keras.ops.
    "keras.ops.operation_utils": operationUtils,
    "keras.src.ops.operation_utils": operationUtils,
    "keras.src.api_export": apiExport,
    // Keras 2's files take the same decorator from TensorFlow.
    "tensorflow.python.util.tf_export": once("tensorflow.python.util.tf_export", () => makeModule("tensorflow.python.util.tf_export", { keras_export }, true)),
    "keras.src.applications": applications,
    "keras.src.utils": utils,
    "keras.src.utils.file_utils": fileUtils,
  };
}
