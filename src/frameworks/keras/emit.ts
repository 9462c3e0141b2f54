// Emitting graph nodes for Keras: every layer application and TF-op goes through `emitNode`,
// which names the scope, attaches the layer's weights, and remembers the node for model walks.

import type { JsonValue, NodeCategory, Shape, StackFrame } from "../../ir/types";
import type { NativeContext, PyInstance, PyTensor, Value } from "../../interp/values";
import { layerState, ownWeightTotals, trackedSublayers } from "./layer-state";
import { type KerasAnalysisState, type NodeRecord, kerasState } from "./state";

export function kerasTensor(shape: Shape, node: string): PyTensor {
  return { kind: "tensor", shape, node, framework: "keras", dtype: "float32" };
}

export function isKerasTensor(v: Value | undefined): v is PyTensor {
  return v !== undefined && v.kind === "tensor" && v.framework === "keras";
}

/** Weights returned by add_weight are tensors with no producer node; they never become graph inputs. */
export function isWeightTensor(t: PyTensor): boolean {
  return t.node === "";
}

/** All symbolic tensors inside a (possibly nested) list/tuple/dict, in order. */
export function flattenTensors(v: Value): PyTensor[] {
  if (v.kind === "tensor") return [v];
  if (v.kind === "list" || v.kind === "tuple") return v.items.flatMap(flattenTensors);
  if (v.kind === "dict") return [...v.map.values()].flatMap((e) => flattenTensors(e.value));
  return [];
}

/**
 * The scope path of a node made at `frames` (the interpreter stack): the labels of helper-function
 * calls (`res_block/...`); inside user layers, the layer's attribute path replaces the frames of its `call`.
 */
function scopeFor(ks: KerasAnalysisState, frames: StackFrame[]): string {
  const calls = ks.userCalls;
  const shared = sharedPrefix(frames, ks.scopeBase);
  const parts: string[] = [];
  const labels = (from: number, to: number, skipCallFrames: boolean): void => {
    for (let i = Math.max(from, shared); i < to; i++) {
      const f = frames[i];
      if (f.kind === "call" && !(skipCallFrames && (f.label === "call" || f.label === "__call__"))) parts.push(f.label);
    }
  };
  labels(0, calls.length === 0 ? frames.length : calls[0].stackDepth, false);
  calls.forEach((c, i) => {
    if (c.segment) parts.push(c.segment);
    const end = i + 1 < calls.length ? calls[i + 1].stackDepth : frames.length;
    labels(c.stackDepth + (c.ownFrames ?? 0), end, true);
  });
  return parts.join("/");
}

/** scopeFor, remembered for the next node: consecutive nodes are mostly made by the same helper call. */
function scopeAt(ks: KerasAnalysisState, frames: StackFrame[]): string {
  const memo = ks.scopeMemo;
  if (memo && memo.scopeBase === ks.scopeBase && sameItems(memo.frames, frames) && sameItems(memo.userCalls, ks.userCalls)) return memo.scope;
  const scope = scopeFor(ks, frames);
  ks.scopeMemo = { frames: frames.slice(), userCalls: ks.userCalls.slice(), scopeBase: ks.scopeBase, scope };
  return scope;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameFrame(a: StackFrame, b: StackFrame): boolean {
  return (
    a.kind === b.kind &&
    a.label === b.label &&
    a.file === b.file &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character
  );
}

function sharedPrefix(frames: StackFrame[], base: StackFrame[]): number {
  let i = 0;
  while (i < frames.length && i < base.length && sameFrame(frames[i], base[i])) i++;
  return i;
}

/** Remembers where a model's Input was made (see KerasAnalysisState.scopeBase). */
export function markScopeBase(ctx: NativeContext): void {
  kerasState(ctx).scopeBase = ctx.site().stack.slice();
}

export interface EmitSpec {
  /** The layer applied; its name and weights go on the node. Absent for bare TF-ops. */
  layer?: PyInstance;
  op: string;
  category: NodeCategory;
  /** Required when there is no layer. */
  name?: string;
  /** The node keeps this object (and may add `attribute` to it): pass a fresh one. */
  attrs?: Record<string, JsonValue>;
  inputs: PyTensor[];
  shape: Shape | null;
  macs?: number;
  opaque?: string;
  /** The unmodelled class whose output shape is only assumed (NewNode.assumesShapeOf). */
  assumesShapeOf?: string;
  /** Overrides the layer's own weights (a nested model node carries the model's totals). */
  params?: { params: number; trainable: number; nonTrainable: number };
}

/**
 * Records a node and returns its id. A TF-op on constants only (weights, tf.zeros(...), tf.range(n))
 * makes no node and returns "": its result is a constant too, fixed before any input arrives.
 */
export function emitNode(ctx: NativeContext, spec: EmitSpec): string {
  if (!spec.layer && spec.inputs.length > 0 && spec.inputs.every(isWeightTensor)) return "";
  const st = spec.layer ? layerState(ctx, spec.layer) : undefined;
  const name = spec.name ?? st?.name ?? spec.op;
  const weights = spec.params ?? (st ? ownWeightTotals(st) : { params: 0, trainable: 0, nonTrainable: 0 });
  const inputs = spec.inputs.filter((t) => !isWeightTensor(t));
  const ks = kerasState(ctx);
  const attrs = spec.attrs ?? {};
  // Inside a subclassed layer/model, say which attribute holds the applied layer (`self.conv1`).
  const parent = ks.userCalls[ks.userCalls.length - 1];
  if (spec.layer && parent && parent.layer !== spec.layer) {
    const path = trackedSublayers(parent.layer).find((s) => s.layer === spec.layer)?.path;
    if (path) attrs.attribute = path;
  }
  const site = ctx.site();
  // A nested model's layer copied into its caller: named and scoped under the model (resnet50/conv1_conv).
  const inline = ks.inlining;
  const prefix = inline?.models.map((m) => m.name).join("/");
  const scope = prefix === undefined ? scopeAt(ks, site.stack) : [prefix, inline!.scopes.shift() ?? ""].filter(Boolean).join("/");
  const id = ctx.graph.addNode(
    {
      op: spec.op,
      category: spec.category,
      name,
      attrs,
      inputs,
      shape: spec.shape,
      params: weights.params,
      trainableParams: weights.trainable,
      nonTrainableParams: weights.nonTrainable,
      buffers: 0,
      macs: spec.macs ?? 0,
      scope,
      layer: spec.layer,
      created: st?.created,
      opaque: spec.opaque,
      assumesShapeOf: spec.assumesShapeOf,
      paramsUnknown: st?.unsizedWeights !== undefined && spec.params === undefined,
      idHint: prefix === undefined ? name : `${prefix}/${name}`,
    },
    site,
  );
  const record: NodeRecord = {
    id,
    layers: nodeLayers(ks, spec.layer),
    inputs: inputs.map((t) => t.node),
    order: ks.records.length,
    macs: spec.macs ?? 0,
    op: spec.op,
    category: spec.category,
    shape: spec.shape,
    site,
    scope,
  };
  ks.nodes.set(id, record);
  ks.records.push(record);
  return id;
}

/**
 * The layers a node made now belongs to, innermost first: the applied layer, then the user layers
 * whose call is running; an inlined nested model counts as one layer of its caller (Keras's
 * `model.layers` lists it once), so it comes last.
 */
function nodeLayers(ks: KerasAnalysisState, applied: PyInstance | undefined): PyInstance[] {
  const layers: PyInstance[] = applied ? [applied] : [];
  for (let i = ks.userCalls.length - 1; i >= 0; i--) layers.push(ks.userCalls[i].layer);
  const models = ks.inlining?.models;
  if (models) for (let i = models.length - 1; i >= 0; i--) layers.push(models[i].layer);
  return layers;
}
