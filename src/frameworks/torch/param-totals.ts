// Parameter totals as PyTorch reports them: sum(p.numel() for p in model.parameters()), i.e. every
// unique Parameter of every unique module in the tree (shared modules and tied weights once),
// whether or not forward uses it. Buffers (BN running stats) are summed separately.

import type { ParamTotals } from "../../ir/types";
import type { PyInstance } from "../../interp/values";
import { uniqueModules } from "./module";
import { moduleState } from "./state";
import { anyUnknownInstanceMade, isUnappliedInstance } from "../../interp/unknown-calls";
import { detachedNumel, isParameter, requiresGrad } from "./tensor-class";

/** `modules` lets a caller that already walked the tree (uniqueModules) share that walk. */
export function torchParamTotals(model: PyInstance, modules: PyInstance[] = uniqueModules(model)): ParamTotals {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  let buffers = 0;
  let unapplied = 0;
  const stamp = ++visitStamp;
  const findUnapplied = anyUnknownInstanceMade();
  for (const m of modules) {
    const st = moduleState(m);
    if (findUnapplied) for (const v of m.dict.values()) if (isUnappliedInstance(v)) unapplied++;
    for (const p of st.params.values()) {
      if (!p || !isParameter(p) || p.native.visit === stamp) continue;
      p.native.visit = stamp;
      if (requiresGrad(p)) trainableParams += detachedNumel(p);
      else nonTrainableParams += detachedNumel(p);
    }
    for (const b of st.buffers.values()) buffers += b.numel;
  }
  const totals: ParamTotals = { params: trainableParams + nonTrainableParams, trainableParams, nonTrainableParams, buffers };
  if (unapplied > 0) totals.unappliedUnknownModules = unapplied;
  return totals;
}

let visitStamp = 0;
