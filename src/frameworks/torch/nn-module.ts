// The `torch.nn` module: every stub layer class, Module/Parameter, the containers, and a PEP 562
// __getattr__ that turns unknown layer class names into opaque pass-through layers.

import { type PyModule, type Value, builtin } from "../../interp/values";
import { MODULE_CLASS } from "./module";
import { PARAMETER_CLASS } from "./tensor-class";
import { CONTAINER_CLASSES } from "./containers";
import { CONV_CLASSES } from "./layers-conv";
import { NORM_CLASSES } from "./layers-norm";
import { ACTIVATION_CLASSES } from "./layers-activation";
import { POOL_CLASSES } from "./layers-pool";
import { MISC_CLASSES, opaqueLayerClass } from "./layers-misc";
import { ATTENTION_CLASSES } from "./layers-attention";
import { RNN_CLASSES } from "./layers-rnn";
import { PAD_CLASSES } from "./layers-pad";
import { SHUFFLE_CLASSES } from "./layers-shuffle";
import { FOLD_CLASSES } from "./layers-fold";
import { PARALLEL_CLASSES } from "./nn-parallel";
import { LOSS_CLASSES } from "./layers-loss";
import { PARAMETER_CONTAINER_CLASSES } from "./param-containers";

export const NN_CLASSES = {
  Module: MODULE_CLASS,
  Parameter: PARAMETER_CLASS,
  ...CONTAINER_CLASSES,
  ...CONV_CLASSES,
  ...NORM_CLASSES,
  ...ACTIVATION_CLASSES,
  ...POOL_CLASSES,
  ...MISC_CLASSES,
  ...ATTENTION_CLASSES,
  ...RNN_CLASSES,
  ...PAD_CLASSES,
  ...SHUFFLE_CLASSES,
  ...FOLD_CLASSES,
  ...PARALLEL_CLASSES,
  ...LOSS_CLASSES,
  ...PARAMETER_CONTAINER_CLASSES,
};

/**
 * Layers that PyTorch itself writes in Python from other layers (the Transformer family): ResGraph
 * does the same, in its bundled zoo (src/frameworks/zoo/python/torch/nn/modules/), by module name.
 */
const PYTHON_LAYERS: Record<string, string> = {
  TransformerEncoderLayer: "torch.nn.modules.transformer",
  TransformerEncoder: "torch.nn.modules.transformer",
  TransformerDecoderLayer: "torch.nn.modules.transformer",
  TransformerDecoder: "torch.nn.modules.transformer",
  Transformer: "torch.nn.modules.transformer",
};

/** A module dict holding all nn classes plus the unknown-layer fallback. */
function layerDict(moduleName: string): Map<string, Value> {
  const dict = new Map<string, Value>(Object.entries(NN_CLASSES));
  dict.set(
    "__getattr__",
    builtin(`${moduleName}.__getattr__`, (args, _kw, ctx) => {
      const name = args[0]?.kind === "str" ? args[0].v : "?";
      // Layer classes are CamelCase; anything else (nn.utils, dunders) is a genuine missing attribute.
      if (!/^[A-Z]/.test(name)) return ctx.raise("AttributeError", `module '${moduleName}' has no attribute '${name}'.`);
      const written = PYTHON_LAYERS[name];
      const cls = written ? ctx.bundledModule?.(written)?.dict.get(name) : undefined;
      return cls ?? opaqueLayerClass(name);
    }),
  );
  return dict;
}

export function nnModule(functional: PyModule, init: PyModule, utils: PyModule, parameter: PyModule, parallel: PyModule): PyModule {
  const dict = layerDict("torch.nn");
  dict.set("parallel", parallel);
  dict.set("functional", functional);
  dict.set("init", init);
  dict.set("utils", utils);
  dict.set("parameter", parameter);
  return { kind: "module", name: "torch.nn", dict };
}

/** `torch.nn.modules`: the same classes, for code importing from the implementation package. */
export function nnModulesModule(): PyModule {
  return { kind: "module", name: "torch.nn.modules", dict: layerDict("torch.nn.modules") };
}
