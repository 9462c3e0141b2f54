// Registers the PyTorch stubs: the importable modules torch, torch.nn, torch.nn.functional,
// torch.nn.init, torch.nn.modules, torch.nn.parameter and torch's other submodules, the "pytorch" tensor protocol and torch.Tensor.

import { type StubTable, registerFallbackStubs, registerStarExports, registerStubs, stubModule } from "../registry";
import { TORCH_STAR_EXPORTS } from "./star-exports";
import { BACKENDS, OTHER_SUBMODULES } from "./torch-submodules";
import { registerTensorProtocol } from "../../interp/tensor-protocol";
import { TENSOR_CLASSES } from "../../interp/types";
import type { NativeContext, PyFunction, PyInstance, PyModule, Value } from "../../interp/values";
import { onMethodCall } from "../../interp/method-hooks";
import { torchState } from "./state";
import { isTorchModule } from "./module";
import { torchTensorProtocol } from "./protocol";
import { functionalModule } from "./functional";
import { initModule } from "./init";
import { nnModule, nnModulesModule } from "./nn-module";
import { nnParameterModule } from "./nn-parameter";
import { nnParallelModule } from "./nn-parallel";
import { torchModule } from "./torch-module";
import { TENSOR_CLASS } from "./tensor-class";
import { einopsModule, einopsTorchLayersModule } from "./einops";
import { nnUtilsModule, nnUtilsParametrizationsModule, nnUtilsParametrizeModule, nnUtilsRnnModule } from "./nn-utils";
import { CHECKPOINT_SEQUENTIAL } from "./checkpoint-sequential";
import { lightningStubs } from "./lightning";
import { timmStubs } from "./timm";

export { runTorchModel } from "./run";
export { isTorchModule, uniqueModules } from "./module";
export { torchParamTotals } from "./param-totals";
export { moduleState as torchModuleState } from "./state";

let done = false;

export function registerTorch(): void {
  if (done) return;
  done = true;
  onMethodCall(forwardCalledDirectly);
  const get = (name: string): PyModule => stubModule(name)!;
  registerStubs({
    torch: () => withCheckpointSequential(torchModule(get("torch.nn"))),
    "torch.nn": () => nnModule(get("torch.nn.functional"), get("torch.nn.init"), get("torch.nn.utils"), get("torch.nn.parameter"), get("torch.nn.parallel")),
    "torch.nn.parallel": nnParallelModule,
    "torch.nn.parameter": nnParameterModule,
    "torch.nn.utils": () => nnUtilsModule(get("torch.nn.utils.rnn"), get("torch.nn.utils.parametrizations"), get("torch.nn.utils.parametrize")),
    "torch.nn.utils.rnn": nnUtilsRnnModule,
    "torch.nn.utils.parametrizations": nnUtilsParametrizationsModule,
    "torch.nn.utils.parametrize": nnUtilsParametrizeModule,
    "torch.nn.functional": functionalModule,
    "torch.nn.init": initModule,
    "torch.nn.modules": nnModulesModule,
    ...torchSubmoduleStubs(get),
    "torch.utils.checkpoint": () => (get("torch.utils").dict.get("checkpoint") as PyModule),
    einops: einopsModule,
    "einops.layers": () => ({ kind: "module", name: "einops.layers", dict: new Map([["torch", get("einops.layers.torch")]]) }),
    "einops.layers.torch": einopsTorchLayersModule,
    ...lightningStubs(get),
  });
  registerFallbackStubs(timmStubs());
  registerStarExports(TORCH_STAR_EXPORTS);
  registerTensorProtocol("pytorch", torchTensorProtocol);
  TENSOR_CLASSES.set("pytorch", TENSOR_CLASS);
}

/** `import torch.fx`, `from torch.linalg import norm`, ...: the submodules the torch stub holds. */
function torchSubmoduleStubs(get: (name: string) => PyModule): StubTable {
  const names = ["jit", "_C", "hub", "autograd", "utils", "fx", "compiler", "_dynamo", "overrides", "linalg", "backends", "optim", ...OTHER_SUBMODULES];
  const table: StubTable = Object.fromEntries(names.map((n) => [`torch.${n}`, () => get("torch").dict.get(n) as PyModule]));
  for (const b of BACKENDS) table[`torch.backends.${b}`] = () => get("torch.backends").dict.get(b) as PyModule;
  table["torch.optim.lr_scheduler"] = () => get("torch.optim").dict.get("lr_scheduler") as PyModule;
  return table;
}

/** Adds checkpoint_sequential next to checkpoint in torch.utils.checkpoint. */
function withCheckpointSequential(torch: PyModule): PyModule {
  const utils = torch.dict.get("utils");
  const checkpoint = utils?.kind === "module" ? utils.dict.get("checkpoint") : undefined;
  if (checkpoint?.kind === "module" && !checkpoint.dict.has("checkpoint_sequential")) {
    checkpoint.dict.set("checkpoint_sequential", CHECKPOINT_SEQUENTIAL);
  }
  return torch;
}
export { torchModuleClasses } from "./module-classes";

/**
 * `self.attention.forward(x)` (LLaMA's reference code) runs inside that module as `self.attention(x)`
 * would: its nodes take the module's scope. Through Module.__call__ the module is already on top.
 */
function forwardCalledDirectly(ctx: NativeContext, self: Value, fn: PyFunction): (() => void) | undefined {
  if (fn.name !== "forward" || !isTorchModule(self)) return undefined;
  const stack = torchState(ctx).stack;
  if (stack[stack.length - 1] === self) return undefined;
  const depth = stack.length;
  stack.push(self as PyInstance);
  return () => {
    stack.length = depth;
  };
}
