// torch.nn.parameter: where PyTorch defines Parameter (`nn.parameter.Parameter`, torchvision's maxvit;
// `from torch.nn.parameter import Parameter`). The same class object as nn.Parameter.

import { type PyClass, type PyModule, type Value, builtin, nativeClass } from "../../interp/values";
import { PARAMETER_CLASS } from "./tensor-class";

/**
 * Lazy modules' parameter of a shape not known until the first forward. Only isinstance checks
 * (`isinstance(p, UninitializedParameter)` in init code) are modelled: no stub layer is lazy, so no
 * parameter is one, and making one is reported as unsupported.
 */
const UNINITIALIZED_PARAMETER_CLASS: PyClass = nativeClass("UninitializedParameter", "torch.nn.parameter", [PARAMETER_CLASS], {
  __init__: builtin("UninitializedParameter.__init__", (_args, _kw, ctx) =>
    ctx.raise("TypeError", "UninitializedParameter (the parameter of a lazy module) is not supported: its shape is only known after a forward pass.", "unsupported"),
  ),
});

export function nnParameterModule(): PyModule {
  const dict = new Map<string, Value>([
    ["Parameter", PARAMETER_CLASS],
    ["UninitializedParameter", UNINITIALIZED_PARAMETER_CLASS],
  ]);
  return { kind: "module", name: "torch.nn.parameter", dict };
}
