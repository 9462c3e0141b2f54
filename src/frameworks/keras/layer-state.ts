// The native state of every Keras layer instance (PyInstance.native): its name, weights once
// built, the builtin config, and model bookkeeping. Created lazily so user classes that forget
// `super().__init__()` still work.

import type { Diagnostic, JsonValue, Shape, SourceSite } from "../../ir/types";
import type { NativeContext, PyInstance, PyTensor, Value } from "../../interp/values";
import { snakeCase, uniqueName } from "./state";

export interface Weight {
  name: string;
  shape: number[];
  count: number;
  trainable: boolean;
}

export type ModelState =
  | { kind: "functional"; inputs: Value; outputs: Value }
  | { kind: "sequential"; items: Value[]; built?: { input: PyTensor; output: PyTensor } }
  | { kind: "subclassed" };

export interface LayerState {
  kind: "keras-layer";
  name: string;
  className: string;
  trainable: boolean;
  created?: SourceSite;
  /** Weights the layer owns directly (builtin build or add_weight); sublayers not included. */
  weights: Weight[];
  built: boolean;
  /**
   * While the layer's weights could not be sized (some count as 0): the warnings that say so (one per
   * call site), to withdraw when a later build sizes them (unsized.ts).
   */
  unsizedWeights?: Diagnostic[];
  /** Input shapes of the first application (for reuse checks and messages). */
  builtInputShapes?: Shape[];
  /** Parsed constructor arguments of builtin layers; becomes node attrs. */
  config: Record<string, JsonValue>;
  /** From input_shape= / batch_input_shape= / input_dim= (Sequential's first layer). */
  batchInputShape?: Shape;
  model?: ModelState;
  /** First application: inputs and outputs as given/returned (for .input/.output). */
  firstCall?: { inputs: Value; outputs: Value };
  /** First top-level call of a subclassed model on symbolic tensors. */
  lastCall?: { inputs: string[]; outputs: string[]; inputShapes: Shape[]; unknownResult?: string };
}

export function isLayerState(x: unknown): x is LayerState {
  return typeof x === "object" && x !== null && (x as LayerState).kind === "keras-layer";
}

export interface LayerInit {
  name?: string;
  trainable?: boolean;
  batchInputShape?: Shape;
  defaultName?: string;
}

/** (Re)initialises the state; keeps weights added before `super().__init__()` ran. */
export function initLayerState(ctx: NativeContext, self: PyInstance, init: LayerInit): LayerState {
  const prev = isLayerState(self.native) ? self.native : undefined;
  const st: LayerState = {
    kind: "keras-layer",
    name: init.name ?? prev?.name ?? uniqueName(ctx, init.defaultName ?? snakeCase(self.cls.name)),
    className: self.cls.name,
    trainable: init.trainable ?? true,
    created: ctx.site(),
    weights: prev?.weights ?? [],
    built: prev?.built ?? false,
    unsizedWeights: prev?.unsizedWeights,
    config: prev?.config ?? {},
    batchInputShape: init.batchInputShape,
    model: prev?.model,
  };
  self.native = st;
  return st;
}

export function layerState(ctx: NativeContext, self: PyInstance): LayerState {
  if (isLayerState(self.native)) return self.native;
  return initLayerState(ctx, self, {});
}

export function isKerasLayer(v: Value): v is PyInstance {
  return v.kind === "instance" && isLayerState(v.native);
}

/** Sum of the layer's own weights, split the way count_params reports them. */
export function ownWeightTotals(st: LayerState): { params: number; trainable: number; nonTrainable: number } {
  let trainable = 0;
  let nonTrainable = 0;
  for (const w of st.weights) {
    if (w.trainable && st.trainable) trainable += w.count;
    else nonTrainable += w.count;
  }
  return { params: trainable + nonTrainable, trainable, nonTrainable };
}

/** Layers tracked as attributes (directly, or inside lists/tuples/dicts), in assignment order, with their paths. */
export function trackedSublayers(self: PyInstance): { path: string; layer: PyInstance }[] {
  const out: { path: string; layer: PyInstance }[] = [];
  const visit = (v: Value, path: string, depth: number): void => {
    if (depth > 4) return;
    if (v.kind === "instance") {
      if (v !== self && isLayerState(v.native)) out.push({ path, layer: v });
    } else if (v.kind === "list" || v.kind === "tuple") {
      v.items.forEach((x, i) => visit(x, `${path}/${i}`, depth + 1));
    } else if (v.kind === "dict") {
      for (const { key, value } of v.map.values()) {
        visit(value, `${path}/${key.kind === "str" ? key.v : "?"}`, depth + 1);
      }
    }
  };
  for (const [name, v] of self.dict) {
    if (name.startsWith("__")) continue;
    visit(v, name, 0);
  }
  return out;
}
