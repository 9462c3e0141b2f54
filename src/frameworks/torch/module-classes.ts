// The class name of every container and user module in the tree, by scope path ("layer1/0" -> "Bottleneck"), so the view
// can label a residual block with the module that defines it.

import type { PyInstance } from "../../interp/values";
import { uniqueModules } from "./module";
import { modulePathText, moduleState } from "./state";

export function torchModuleClasses(model: PyInstance, modules: PyInstance[] = uniqueModules(model)): Record<string, string> {
  const out: Record<string, string> = {};
  // Keys are the same paths node scopes use, so a block's scope finds its module's class.
  // Stub layers (Conv2d, ReLU, ...) are left out: their node's op already names the class, and a
  // ResNet has ten of them for every block that needs a label.
  for (const m of modules) if (!moduleState(m).makesNode) out[modulePathText(m)] = m.cls.name;
  return out;
}
