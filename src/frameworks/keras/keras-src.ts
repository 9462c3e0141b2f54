// `keras.src.*`: the private package Keras 3 is written in. Its own application files (ResNet,
// MobileNet, ...) import from there, so the public stubs answer to these names too, plus the few
// helpers those files call while building a model (input-shape defaults, export decorators).

import { type PyModule, type Value, FALSE, NONE, builtin, int, list, tuple, unknown } from "../../interp/values";
import { makeModule } from "./harmless";
import { ModelClass, SequentialClass } from "./model";
import { activationsModule, backendModule, layersModule, opsModule } from "./modules";

const memo = new Map<string, PyModule>();
function once(name: string, build: () => PyModule): () => PyModule {
  return () => {
    let m = memo.get(name);
    if (!m) memo.set(name, (m = build()));
    return m;
  };
}

/** `@keras_export("keras.applications.ResNet50", ...)`: registers a public name; no effect here. */
const identity = builtin("keras_export.<decorator>", (a) => a[0] ?? NONE);
const keras_export = builtin("keras_export", () => identity);

/**
 * imagenet_utils.obtain_input_shape as Keras defines it, for the cases a model build reaches:
 * the given shape, else the default square image (channels last or first), or spatial dims left
 * open (None) when the top is not included.
 */
const obtainInputShape = builtin("obtain_input_shape", (args, kwargs) => {
  const arg = (i: number, name: string): Value => args[i] ?? kwargs.get(name) ?? NONE;
  const given = arg(0, "input_shape");
  const size = arg(1, "default_size");
  const format = arg(3, "data_format");
  const requireFlatten = arg(4, "require_flatten");
  const channelsFirst = format.kind === "str" && format.v === "channels_first";
  if (given.kind !== "none") return given;
  const side = requireFlatten.kind === "bool" && !requireFlatten.v ? NONE : size;
  return tuple(channelsFirst ? [int(3), side, side] : [side, side, int(3)]);
});

const imagenetUtils = once("keras.src.applications.imagenet_utils", () =>
  makeModule("keras.src.applications.imagenet_utils", {
    obtain_input_shape: obtainInputShape,
    validate_activation: builtin("validate_activation", () => NONE),
    preprocess_input: builtin("preprocess_input", (a) => a[0] ?? NONE),
    decode_predictions: builtin("decode_predictions", () => unknown("decoded predictions")),
  }),
);

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
const applications = once("keras.src.applications", () => makeModule("keras.src.applications", { imagenet_utils: imagenetUtils() }, true));
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

/** Dotted names under `keras.src` the stubs answer to. */
export function kerasSrcTable(): Record<string, () => PyModule> {
  return {
    "keras.src": kerasSrc,
    "keras.src.layers": layersModule,
    "keras.src.models": models,
    "keras.src.backend": backendModule,
    "keras.src.activations": activationsModule,
    "keras.src.ops": opsModule,
    // `from keras.src.ops import operation_utils` asks the ops module, whose name is keras.ops.
    "keras.ops.operation_utils": operationUtils,
    "keras.src.ops.operation_utils": operationUtils,
    "keras.src.api_export": apiExport,
    "keras.src.applications": applications,
    "keras.src.applications.imagenet_utils": imagenetUtils,
    "keras.src.utils": utils,
    "keras.src.utils.file_utils": fileUtils,
  };
}
