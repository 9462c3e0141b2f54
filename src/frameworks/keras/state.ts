// Per-analysis Keras state kept in ctx.state: the layer-name counters (Keras's global uid
// table), a record of every node we emitted (for walking functional models), and the stack
// of user layers currently inside their `call`.

import type { NativeContext, PyInstance, Value } from "../../interp/values";
import type { NodeCategory, Shape, SourceSite, StackFrame } from "../../ir/types";

export interface NodeRecord {
  /** The node's id in the graph (the key it is recorded under). */
  id: string;
  /** Layers this node belongs to: the applied layer first, then enclosing user layers. */
  layers: PyInstance[];
  /** Producer node ids. */
  inputs: string[];
  /** Creation order, for listing layers in graph order. */
  order: number;
  /** The node's MACs (a nested model node sums its model's). */
  macs: number;
  op: string;
  category: NodeCategory;
  shape: Shape | null;
  /** Where the node was made: warnings about a model's inputs point at its Input. */
  site: SourceSite;
  /** The node's scope, which its copies keep under the model's name when a nested model is inlined. */
  scope: string;
}

/**
 * A call made outside any other recorded call (a layer or model applied, a keras.ops function, a
 * tensor operator) and the nodes it emitted, so a model can be re-run on inputs of another size
 * the way Keras re-runs a functional model's operations (see replay.ts).
 */
export interface CallRecord {
  /** Makes the same call again with its tensors mapped (`map` replaces re-run tensors). */
  again(map: (v: Value) => Value): Value;
  /** Node orders emitted by the call: [from, to). */
  from: number;
  to: number;
  /** What the call returned, to pair its tensors with the re-run's. */
  result: Value;
  /** What was called (a layer, a model, a keras.ops function); absent for a tensor operator. */
  callee?: Value;
}

export interface UserCallFrame {
  layer: PyInstance;
  /** Scope segment for nodes inside (attribute path in the parent, or the layer name); "" for none. */
  segment: string;
  /** Length of the interpreter call stack when the layer was called. */
  stackDepth: number;
  /** Call frames right above stackDepth that are the layer's own call (a Lambda's function): no scope of their own. */
  ownFrames?: number;
}

export interface KerasAnalysisState {
  nameCounts: Map<string, number>;
  nodes: Map<string, NodeRecord>;
  /** The same records by creation order (`records[r.order] === r`), so walks can mark them in arrays. */
  records: NodeRecord[];
  userCalls: UserCallFrame[];
  /**
   * The call stack where the latest keras.Input was made: the model-building function. Frames
   * shared with it are left out of scopes, so they read `res_block/...`, not `build_resnet/res_block/...`.
   */
  scopeBase: StackFrame[];
  /** keras.ops functions already warned about as not modelled (one warning each). */
  warnedOps: Set<string>;
  calls: CallRecord[];
  /** How many recorded calls are running (only the outermost is recorded); 1 during a replay. */
  recordDepth: number;
  /**
   * While a nested functional model is inlined (see replay.ts): the names of the models being inlined,
   * outermost first, and the scopes of the original nodes the running call is copying, in order.
   */
  inlining?: { models: { name: string; layer: PyInstance }[]; scopes: string[] };
  /** The latest node scope and what it was made from (see emit.ts's scopeAt). */
  scopeMemo?: ScopeMemo;
}

/**
 * A scope with the stack frames, open user-layer calls and scope base it was made from. Frames and
 * call entries are never changed once made (a new loop iteration makes a new frame), so the same
 * objects give the same scope: the nodes one helper call makes share it without recomputing it.
 */
export interface ScopeMemo {
  frames: StackFrame[];
  userCalls: UserCallFrame[];
  scopeBase: StackFrame[];
  scope: string;
}

const KEY = "keras";

export function kerasState(ctx: NativeContext): KerasAnalysisState {
  let s = ctx.state.get(KEY) as KerasAnalysisState | undefined;
  if (!s) {
    s = { nameCounts: new Map(), nodes: new Map(), records: [], userCalls: [], scopeBase: [], warnedOps: new Set(), calls: [], recordDepth: 0 };
    ctx.state.set(KEY, s);
  }
  return s;
}

/** keras.src.utils.naming.to_snake_case: "Conv2D" -> "conv2d", "ReLU" -> "re_lu". */
export function snakeCase(name: string): string {
  let s = name.replace(/\W+/g, "");
  s = s.replace(/(.)([A-Z][a-z]+)/g, "$1_$2");
  return s.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Keras's unique_object_name: the first is bare ("conv2d"), later ones get "_1", "_2", ... */
export function uniqueName(ctx: NativeContext, base: string): string {
  const counts = kerasState(ctx).nameCounts;
  const n = counts.get(base) ?? 0;
  counts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** keras.backend.clear_session(): names start again from the bare form. */
export function resetNames(ctx: NativeContext): void {
  kerasState(ctx).nameCounts.clear();
}
