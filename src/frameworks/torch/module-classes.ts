// The class name of every module in the tree, by scope path ("layer1/0" -> "Bottleneck"), so the view
// can label a residual block with the module that defines it.

import type { PyInstance } from "../../interp/values";
import { namedModules } from "./module";

export function torchModuleClasses(model: PyInstance): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, m] of namedModules(model)) out[name.split(".").join("/")] = m.cls.name;
  return out;
}
