// A layer whose weights the analyzer cannot size (an input dimension or a size argument it cannot
// know) counts them as 0. A warning says so, and the layer's node carries `paramsUnknown`, which the
// totals' completeness counts. Keras builds a layer on its first call; when that build could not size
// it and a later one does (the model run again at the --input size, or the layer called again on
// known shapes), the warning is withdrawn and the mark goes, so what the user reads stays true.

import type { NativeContext, PyInstance } from "../../interp/values";
import { type LayerState, layerState } from "./layer-state";

export const UNSIZED_WEIGHTS = "unsized-weights";

/** Warns that `layer`'s weights could not be sized; `message` names the layer and says why. */
export function warnUnsized(ctx: NativeContext, layer: PyInstance, message: string): void {
  const st = layerState(ctx, layer);
  const d = ctx.warn(message, UNSIZED_WEIGHTS);
  const said = (st.unsizedWeights ??= []);
  if (!said.includes(d)) said.push(d);
}

/** How many warnings say that the layer's weights could not be sized: a call that adds none did not fail to. */
export function unsizedCount(st: LayerState): number {
  return st.unsizedWeights?.length ?? 0;
}

/** The layer's weights are sized now: what earlier calls said against it no longer holds. */
export function markSized(ctx: NativeContext, st: LayerState): void {
  if (!st.unsizedWeights) return;
  for (const d of st.unsizedWeights) ctx.withdraw(d);
  st.unsizedWeights = undefined;
}
