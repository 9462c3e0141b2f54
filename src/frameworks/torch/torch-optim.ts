// torch.optim and torch.optim.lr_scheduler: training scripts build an optimizer and a scheduler
// next to the model, often at module level (pytorch/examples' vae, dcgan, actor_critic). Training
// never runs here, so each is a harmless object: it keeps what it was given (param_groups, defaults,
// the optimizer of a scheduler) and its methods (step, zero_grad, load_state_dict, ...) do nothing.
// No graph node, no warning: they are not part of the model.

import { type PyClass, type PyInstance, type PyModule, type Value, NONE, OBJECT_CLASS, builtin, dict, int, list, nativeClass, str, unknown } from "../../interp/values";
import { namespaceModule } from "./torch-submodules";

const nothing = (qualified: string): Value => builtin(qualified, () => NONE);
const stateDict = (qualified: string): Value => builtin(qualified, () => dict());

/** `params` as param_groups: a list of dicts stays a list of groups, anything else is one group. */
function paramGroups(params: Value, defaults: [Value, Value][]): Value {
  const groups = params.kind === "list" && params.items.length > 0 && params.items.every((g) => g.kind === "dict") ? params.items : [dict([[str("params"), params]])];
  return list(groups.map((g) => {
    if (g.kind !== "dict") return g;
    const merged = dict(defaults);
    for (const [k, e] of g.map) merged.map.set(k, e);
    return merged;
  }));
}

const OPTIMIZER_CLASS: PyClass = nativeClass("Optimizer", "torch.optim", [OBJECT_CLASS], {
  // Optimizer(params, lr, ...): most take the learning rate second; the rest only by keyword in practice.
  __init__: builtin("Optimizer.__init__", (args, kwargs) => {
    const [self, params = list([]), lr] = args as [PyInstance, Value?, Value?];
    const defaults: [Value, Value][] = [...(lr ? [[str("lr"), lr] as [Value, Value]] : []), ...[...kwargs].map(([k, v]): [Value, Value] => [str(k), v])];
    self.dict.set("defaults", dict(defaults));
    self.dict.set("param_groups", paramGroups(params, defaults));
    self.dict.set("state", dict());
    return NONE;
  }),
  step: nothing("Optimizer.step"),
  zero_grad: nothing("Optimizer.zero_grad"),
  state_dict: stateDict("Optimizer.state_dict"),
  load_state_dict: nothing("Optimizer.load_state_dict"),
  add_param_group: builtin("Optimizer.add_param_group", (args) => {
    const groups = args[0]?.kind === "instance" ? args[0].dict.get("param_groups") : undefined;
    if (groups?.kind === "list" && args[1]) groups.items.push(args[1]);
    return NONE;
  }),
});

const OPTIMIZERS = [
  "Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax", "AdamW", "ASGD", "LBFGS", "NAdam", "RAdam", "RMSprop", "Rprop", "SGD", "SparseAdam",
];

const SCHEDULER_CLASS: PyClass = nativeClass("LRScheduler", "torch.optim.lr_scheduler", [OBJECT_CLASS], {
  __init__: builtin("LRScheduler.__init__", (args, kwargs) => {
    const self = args[0] as PyInstance;
    self.dict.set("optimizer", args[1] ?? kwargs.get("optimizer") ?? NONE);
    self.dict.set("last_epoch", int(-1));
    return NONE;
  }),
  step: nothing("LRScheduler.step"),
  state_dict: stateDict("LRScheduler.state_dict"),
  load_state_dict: nothing("LRScheduler.load_state_dict"),
  get_last_lr: builtin("LRScheduler.get_last_lr", () => unknown("the learning rate during training (the analyzer does not train)")),
});

const SCHEDULERS = [
  "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "SequentialLR", "CosineAnnealingLR",
  "ChainedScheduler", "ReduceLROnPlateau", "CyclicLR", "CosineAnnealingWarmRestarts", "OneCycleLR", "PolynomialLR",
];

const subclasses = (base: PyClass, moduleName: string, names: string[]): [string, Value][] =>
  names.map((n) => [n, nativeClass(n, moduleName, [base, OBJECT_CLASS], {})]);

export function lrSchedulerModule(): PyModule {
  return namespaceModule("torch.optim.lr_scheduler", Object.fromEntries([
    ["LRScheduler", SCHEDULER_CLASS],
    ["_LRScheduler", SCHEDULER_CLASS],
    ...subclasses(SCHEDULER_CLASS, "torch.optim.lr_scheduler", SCHEDULERS),
  ]));
}

/** torch.optim; names it does not model stay opaque functions (with a warning when called). */
export function optimModule(lrScheduler: PyModule): PyModule {
  return namespaceModule("torch.optim", Object.fromEntries([
    ["Optimizer", OPTIMIZER_CLASS],
    ["lr_scheduler", lrScheduler],
    ...subclasses(OPTIMIZER_CLASS, "torch.optim", OPTIMIZERS),
  ]));
}
