// torch.nn.parallel: multi-GPU wrappers. On one device (as here: the analyzer has no GPU) PyTorch's
// data_parallel(module, inputs) is module(*inputs), and DataParallel / DistributedDataParallel hold
// the model as their child `module` and forward to it: parameters and nodes are the model's own,
// named under `module.` as in their state_dict.

import { type PyClass, type PyInstance, type PyModule, type Value, NONE, OBJECT_CLASS, TRUE, builtin, nativeClass } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { MODULE_CLASS, isTorchModule, registerChild } from "./module";
import { moduleState } from "./state";
import { namespaceModule } from "./torch-submodules";

/** data_parallel(module, inputs, device_ids=None, output_device=None, dim=0, module_kwargs=None). */
const DATA_PARALLEL_FN = builtin("torch.nn.parallel.data_parallel", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "data_parallel", args, kwargs, ["module", "inputs", "device_ids=", "output_device=", "dim=", "module_kwargs="]);
  const inputs = a.inputs ?? NONE;
  // PyTorch: `if not isinstance(inputs, tuple): inputs = (inputs,) if inputs is not None else ()`.
  const positional = inputs.kind === "tuple" ? inputs.items : inputs.kind === "none" ? [] : [inputs];
  const moduleKwargs = new Map<string, Value>();
  if (a.module_kwargs?.kind === "dict") for (const { key, value } of a.module_kwargs.map.values()) if (key.kind === "str") moduleKwargs.set(key.v, value);
  return ctx.call(a.module ?? NONE, positional, moduleKwargs);
});

function wrapperClass(name: string): PyClass {
  return nativeClass(name, "torch.nn.parallel", [MODULE_CLASS, OBJECT_CLASS], {
    __init__: builtin(`${name}.__init__`, (args, kwargs, ctx) => {
      const a = bindArgs(ctx, name, args, kwargs, ["self", "module", "*rest", "**options"]);
      const self = a.self as PyInstance;
      if (!a.module || !isTorchModule(a.module)) return ctx.raise("TypeError", `${name} expects a Module to wrap, got ${a.module ? ctx.repr(a.module) : "nothing"}.`);
      moduleState(self).created ??= ctx.site();
      self.dict.set("training", TRUE);
      registerChild(self, "module", a.module);
      return NONE;
    }),
    forward: builtin(`${name}.forward`, (args, kwargs, ctx) => {
      const self = args[0] as PyInstance;
      return ctx.call(self.dict.get("module") ?? NONE, args.slice(1), kwargs);
    }),
  });
}

export const PARALLEL_CLASSES: Record<string, PyClass> = {
  DataParallel: wrapperClass("DataParallel"),
  DistributedDataParallel: wrapperClass("DistributedDataParallel"),
};

export function nnParallelModule(): PyModule {
  return namespaceModule("torch.nn.parallel", { ...PARALLEL_CLASSES, data_parallel: DATA_PARALLEL_FN });
}
