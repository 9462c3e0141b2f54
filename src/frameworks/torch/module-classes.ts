// The class name of every module in the tree, by scope path ("layer1/0" -> "Bottleneck"), so the view
// can label a residual block with the module that defines it.

import type { PyInstance } from "../../interp/values";
import { uniqueModules } from "./module";
import { modulePathText } from "./state";

export function torchModuleClasses(model: PyInstance, modules: PyInstance[] = uniqueModules(model)): Record<string, string> {
  const out: Record<string, string> = {};
  // Keys are the same paths node scopes use, so a block's scope finds its module's class.
  for (const m of modules) out[modulePathText(m)] = m.cls.name;
  return out;
}
