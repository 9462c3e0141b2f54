// A functional model's nodes and layers in the order Keras gives them. Keras's map_graph
// (keras/src/ops/function.py) lists a model's operations by depth, deepest (the Inputs) first,
// ties in the order a depth-first walk from the outputs first meets them; `model.layers` is that
// list without the bare ops. Code indexes it (`model.layers[2]` in keras.io's lstm_seq2seq), so
// creation order, which differs as soon as a second Input is made after the first layers, will not do.

import type { NativeContext, PyInstance, Value } from "../../interp/values";
import { flattenTensors } from "./emit";
import { isKerasLayer } from "./layer-state";
import { type CallRecord, kerasState } from "./state";

/** Ids of the nodes between a functional model's inputs and outputs (inputs included), in creation order. */
export function functionalNodes(ctx: NativeContext, inputs: Value, outputs: Value): string[] {
  const nodes = kerasState(ctx).nodes;
  const stop = new Set(flattenTensors(inputs).map((t) => t.node));
  const seen = new Set<string>();
  const todo = flattenTensors(outputs).map((t) => t.node);
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (stop.has(id)) continue;
    todo.push(...(nodes.get(id)?.inputs ?? []));
  }
  // Input nodes are part of the model too (InputLayer), though they carry no weights.
  return [...seen].filter((id) => nodes.has(id)).sort((a, b) => nodes.get(a)!.order - nodes.get(b)!.order);
}

/** A Keras operation: a layer (shared applications are one operation), or one bare op application. */
type Operation = PyInstance | string;

/**
 * One application of an operation, Keras's Node: the graph nodes one top-level call made (an LSTM
 * with return_state makes three, a nested model all of its layers'), as far as they lie in the model.
 */
interface Application {
  operation: Operation;
  /** Producer ids of the tensors it reads, in call order. */
  inputs: string[];
}

/** The recorded call that made the node of creation order `order` (calls are disjoint and sorted). */
function callAt(calls: CallRecord[], order: number): number {
  let lo = 0;
  let hi = calls.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = calls[mid];
    if (order < c.from) hi = mid - 1;
    else if (order >= c.to) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Groups the model's nodes into applications: each node id to its application's key. */
function applicationsOf(ctx: NativeContext, ids: string[], stop: Set<string>): { appOf: Map<string, string>; apps: Map<string, Application> } {
  const ks = kerasState(ctx);
  const appOf = new Map<string, string>();
  const apps = new Map<string, Application>();
  for (const id of ids) {
    const r = ks.nodes.get(id)!;
    const top = r.layers[r.layers.length - 1];
    // A model input stands alone: the walk stops there, whatever else its call made.
    const at = stop.has(id) ? -1 : callAt(ks.calls, r.order);
    const key = at < 0 ? `node ${id}` : `call ${at}`;
    const callee = at < 0 ? undefined : ks.calls[at].callee;
    // The called layer is the operation (a Sequential used as a layer, not the layers it runs).
    const operation: Operation = callee && isKerasLayer(callee) ? callee : top ?? key;
    appOf.set(id, key);
    if (!apps.has(key)) apps.set(key, { operation, inputs: [] });
  }
  for (const id of ids) {
    if (stop.has(id)) continue;
    const app = apps.get(appOf.get(id)!)!;
    for (const src of ks.nodes.get(id)!.inputs) {
      if (appOf.get(src) !== appOf.get(id) && appOf.has(src) && !app.inputs.includes(src)) app.inputs.push(src);
    }
  }
  return { appOf, apps };
}

/** The model's operations as map_graph orders them: by depth, deepest first, then by first visit. */
function orderedOperations(ctx: NativeContext, inputs: Value, outputs: Value): Operation[] {
  const inputIds = flattenTensors(inputs).map((t) => t.node);
  const stop = new Set(inputIds);
  const ids = functionalNodes(ctx, inputs, outputs);
  const { appOf, apps } = applicationsOf(ctx, ids, stop);

  // _build_map: a depth-first walk from each output; operations numbered on first visit, applications
  // listed once all they read is listed (iterative: a deep model would overflow the call stack).
  const visitIndex = new Map<Operation, number>();
  const finished = new Set<string>();
  const inProgress = new Set<string>();
  const postorder: string[] = [];
  const stack: { key: string; next: number }[] = [];
  const visit = (id: string): void => {
    const key = appOf.get(id);
    if (key === undefined || finished.has(key) || inProgress.has(key)) return;
    const op = apps.get(key)!.operation;
    if (!visitIndex.has(op)) visitIndex.set(op, visitIndex.size);
    inProgress.add(key);
    stack.push({ key, next: 0 });
  };
  for (const out of flattenTensors(outputs)) {
    visit(out.node);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const reads = apps.get(frame.key)!.inputs;
      if (frame.next < reads.length) visit(reads[frame.next++]);
      else {
        stack.pop();
        inProgress.delete(frame.key);
        finished.add(frame.key);
        postorder.push(frame.key);
      }
    }
  }

  // map_graph: an application is one deeper than the deepest that reads it; a shared layer takes the
  // greatest depth of its applications.
  const appDepth = new Map<string, number>();
  const opDepth = new Map<Operation, number>();
  for (let i = postorder.length - 1; i >= 0; i--) {
    const key = postorder[i];
    const app = apps.get(key)!;
    const depth = Math.max(appDepth.get(key) ?? 0, opDepth.get(app.operation) ?? 0);
    opDepth.set(app.operation, depth);
    appDepth.set(key, depth);
    for (const src of app.inputs) {
      const parent = appOf.get(src)!;
      appDepth.set(parent, Math.max(depth + 1, appDepth.get(parent) ?? 0));
    }
  }
  // Inputs the outputs do not need are still the model's, at depth 0 before everything else there.
  for (const id of inputIds) {
    const key = appOf.get(id) ?? `node ${id}`;
    const layers = kerasState(ctx).nodes.get(id)?.layers;
    const op = apps.get(key)?.operation ?? layers?.[layers.length - 1];
    if (op === undefined || opDepth.has(op)) continue;
    opDepth.set(op, 0);
    visitIndex.set(op, -1);
  }
  return [...opDepth.keys()].sort((a, b) => opDepth.get(b)! - opDepth.get(a)! || visitIndex.get(a)! - visitIndex.get(b)!);
}

/** Layers of a functional model as `model.layers` lists them (Functional.layers: its operations that are layers). */
export function functionalLayers(ctx: NativeContext, inputs: Value, outputs: Value): PyInstance[] {
  return orderedOperations(ctx, inputs, outputs).filter((op): op is PyInstance => typeof op !== "string");
}
