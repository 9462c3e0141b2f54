// Parameter totals as PyTorch reports them: sum(p.numel() for p in model.parameters()), i.e. every
// unique Parameter of every unique module in the tree (shared modules and tied weights once),
// whether or not forward uses it. Buffers (BN running stats) are summed separately.

import type { ParamTotals } from "../../ir/types";
import type { PyInstance, PyUnknown } from "../../interp/values";
import { uniqueModules } from "./module";
import { moduleState } from "./state";
import { anyUnknownInstanceMade, isUnappliedInstance } from "../../interp/unknown-calls";
import { detachedNumel, isParameter, requiresGrad } from "./tensor-class";
import { anySkippedStatement, isAppliedLostValue, skippedWritesOf } from "../../interp/skipped-writes";
import { anyUnsizedParameterMade, unsizedParameterNote } from "./unsized-parameter";

/** `modules` lets a caller that already walked the tree (uniqueModules) share that walk. */
export function torchParamTotals(model: PyInstance, modules: PyInstance[] = uniqueModules(model)): ParamTotals {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  let buffers = 0;
  let unapplied = 0;
  const stamp = ++visitStamp;
  const findUnapplied = anyUnknownInstanceMade();
  const findSkipped = anySkippedStatement();
  const findUnsized = anyUnsizedParameterMade();
  const skipped = new Set<string>();
  const unsized: string[] = [];
  for (const m of modules) {
    const st = moduleState(m);
    if (findUnapplied) for (const v of m.dict.values()) if (isUnappliedInstance(v)) unapplied++;
    if (findSkipped) skippedAttributesOf(m, skipped);
    for (const p of st.params.values()) {
      if (!p || !isParameter(p) || p.native.visit === stamp) continue;
      p.native.visit = stamp;
      if (findUnsized && p.native.unsized !== undefined) unsized.push(unsizedParameterNote(p));
      if (requiresGrad(p)) trainableParams += detachedNumel(p);
      else nonTrainableParams += detachedNumel(p);
    }
    for (const b of st.buffers.values()) buffers += b.numel;
  }
  const totals: ParamTotals = { params: trainableParams + nonTrainableParams, trainableParams, nonTrainableParams, buffers };
  if (unapplied > 0) totals.unappliedUnknownModules = unapplied;
  if (skipped.size > 0) totals.skippedAttributes = [...skipped];
  if (unsized.length > 0) totals.unsizedParameters = unsized;
  return totals;
}

/**
 * What skipped statements left out of module `m`: attributes they would have set, and attributes
 * holding a value one could not compute that forward applied as a layer (`self.layer1 =
 * self._make_layer(...)` whose `return` failed). Each once: a block built in a loop says it once.
 */
function skippedAttributesOf(m: PyInstance, out: Set<string>): void {
  for (const w of skippedWritesOf(m) ?? []) out.add(`${w.written} (${w.where})`);
  for (const [name, v] of m.dict) if (isAppliedLostValue(v)) out.add(`self.${name} (${(v as PyUnknown).why})`);
}

let visitStamp = 0;
