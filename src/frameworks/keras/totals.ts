// count_params() semantics: the weights of every UNIQUE layer a model (or layer) reaches,
// each once, split into trainable / non-trainable exactly as Keras reports them.

import type { ParamTotals } from "../../ir/types";
import type { NativeContext, PyInstance } from "../../interp/values";
import { isLayerState, layerState, ownWeightTotals, trackedSublayers } from "./layer-state";
import { functionalLayers } from "./graph-order";

/** Direct sublayers as Keras tracks them: model layers for models, attribute-tracked ones otherwise. */
export function sublayersOf(ctx: NativeContext, layer: PyInstance): PyInstance[] {
  const st = isLayerState(layer.native) ? layer.native : undefined;
  const model = st?.model;
  if (model?.kind === "functional") return functionalLayers(ctx, model.inputs, model.outputs);
  if (model?.kind === "sequential") {
    return model.items.filter((v): v is PyInstance => v.kind === "instance" && isLayerState(v.native));
  }
  return trackedSublayers(layer).map((s) => s.layer);
}

/** Every layer reachable from `roots` (roots included), each once. */
export function layerClosure(ctx: NativeContext, roots: PyInstance[]): PyInstance[] {
  const out: PyInstance[] = [];
  const visit = (l: PyInstance): void => {
    if (out.includes(l)) return;
    out.push(l);
    for (const s of sublayersOf(ctx, l)) visit(s);
  };
  roots.forEach(visit);
  return out;
}

/** Weights of a layer closure. A frozen outer layer (`trainable=False`) freezes everything inside it. */
export function paramTotalsOf(ctx: NativeContext, roots: PyInstance[]): ParamTotals {
  let trainable = 0;
  let nonTrainable = 0;
  const counted = new Set<PyInstance>();
  const visit = (l: PyInstance, frozen: boolean): void => {
    if (counted.has(l)) return;
    counted.add(l);
    const st = layerState(ctx, l);
    const own = ownWeightTotals(st);
    const isFrozen = frozen || !st.trainable;
    if (isFrozen) nonTrainable += own.params;
    else {
      trainable += own.trainable;
      nonTrainable += own.nonTrainable;
    }
    for (const s of sublayersOf(ctx, l)) visit(s, isFrozen);
  };
  for (const r of roots) visit(r, false);
  return { params: trainable + nonTrainable, trainableParams: trainable, nonTrainableParams: nonTrainable, buffers: 0 };
}
