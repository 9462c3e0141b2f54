// Parameter totals as PyTorch reports them: sum(p.numel() for p in model.parameters()), i.e. every
// unique Parameter of every unique module in the tree (shared modules and tied weights once),
// whether or not forward uses it. Buffers (BN running stats) are summed separately.

import type { ParamTotals } from "../../ir/types";
import type { PyInstance } from "../../interp/values";
import { namedModules, namedParameters } from "./module";
import { moduleState } from "./state";
import { detachedNumel, isParameter, requiresGrad } from "./tensor-class";

export function torchParamTotals(model: PyInstance): ParamTotals {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  for (const [, p] of namedParameters(model)) {
    if (!isParameter(p)) continue;
    if (requiresGrad(p)) trainableParams += detachedNumel(p);
    else nonTrainableParams += detachedNumel(p);
  }
  let buffers = 0;
  for (const [, m] of namedModules(model)) for (const b of moduleState(m).buffers.values()) buffers += b.numel;
  return { params: trainableParams + nonTrainableParams, trainableParams, nonTrainableParams, buffers };
}
