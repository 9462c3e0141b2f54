// A functional model's nodes and layers in the order Keras gives them. Keras's map_graph
// (keras/src/ops/function.py) lists a model's operations by depth, deepest (the Inputs) first,
// ties in the order a depth-first walk from the outputs first meets them; `model.layers` is that
// list without the bare ops. Code indexes it (`model.layers[2]` in keras.io's lstm_seq2seq), so
// creation order, which differs as soon as a second Input is made after the first layers, will not do.

import type { NativeContext, PyInstance, Value } from "../../interp/values";
import { flattenTensors } from "./emit";
import { isKerasLayer } from "./layer-state";
import { type CallRecord, type NodeRecord, kerasState } from "./state";

/** Records of the nodes between a functional model's inputs and outputs (inputs included), in creation order. */
function functionalRecords(ctx: NativeContext, stop: Set<string>, outputs: Value): NodeRecord[] {
  const { nodes, records } = kerasState(ctx);
  // Marked by creation order, then read off in that order: no set of ids, no sort.
  const found = new Uint8Array(records.length);
  const todo = flattenTensors(outputs).map((t) => t.node);
  while (todo.length > 0) {
    const id = todo.pop()!;
    // Input nodes are part of the model too (InputLayer), though they carry no weights.
    const r = nodes.get(id);
    if (!r || found[r.order] === 1) continue;
    found[r.order] = 1;
    if (!stop.has(id)) for (const src of r.inputs) todo.push(src);
  }
  const out: NodeRecord[] = [];
  for (let order = 0; order < found.length; order++) if (found[order] === 1) out.push(records[order]);
  return out;
}

/** Ids of the nodes between a functional model's inputs and outputs (inputs included), in creation order. */
export function functionalNodes(ctx: NativeContext, inputs: Value, outputs: Value): string[] {
  const stop = new Set(flattenTensors(inputs).map((t) => t.node));
  return functionalRecords(ctx, stop, outputs).map((r) => r.id);
}

/**
 * A Keras operation: a layer (shared applications are one operation), or one bare op application
 * (undefined: `model.layers` leaves those out, so they need no name). Operations are numbered, and
 * the walks below keep their state in arrays indexed by those numbers.
 */
type Operation = PyInstance | undefined;

/**
 * One application of an operation, Keras's Node: the graph nodes one top-level call made (an LSTM
 * with return_state makes three, a nested model all of its layers'), as far as they lie in the model.
 */
interface Application {
  operation: number;
  /** The applications whose tensors it reads, in call order (repeats are harmless to the walks). */
  reads: number[];
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

/** The model's operations, each numbered once: a layer keeps its number across its applications. */
class Operations {
  readonly list: Operation[] = [];
  private readonly numberOf = new Map<PyInstance, number>();

  numberFor(op: Operation): number {
    if (op) {
      const known = this.numberOf.get(op);
      if (known !== undefined) return known;
      this.numberOf.set(op, this.list.length);
    }
    this.list.push(op);
    return this.list.length - 1;
  }
}

/**
 * The applications of the model's nodes: `appAt[order]` is the application of the node of that
 * creation order (-1 for nodes outside the model).
 */
interface Applications {
  apps: Application[];
  appAt: Int32Array;
}

/** The application of the node `id`, or -1 when it is not in the model. */
function applicationOf(nodes: Map<string, NodeRecord>, grouped: Applications, id: string): number {
  const r = nodes.get(id);
  return r === undefined ? -1 : grouped.appAt[r.order];
}

/** Groups the model's nodes into applications. */
function applicationsOf(ctx: NativeContext, records: NodeRecord[], stop: Set<string>, ops: Operations): Applications {
  const ks = kerasState(ctx);
  const calls = ks.calls;
  const appAt = new Int32Array(ks.records.length).fill(-1);
  const apps: Application[] = [];
  // Records come in creation order and calls are disjoint ranges of it, so the nodes of one call
  // follow each other (model inputs, which stand alone, aside).
  let latestCall = -1;
  let latestCallApp = -1;
  for (const r of records) {
    // A model input stands alone: the walk stops there, whatever else its call made.
    const at = stop.has(r.id) ? -1 : callAt(calls, r.order);
    let app = at >= 0 && at === latestCall ? latestCallApp : -1;
    if (app < 0) {
      const callee = at < 0 ? undefined : calls[at].callee;
      // The called layer is the operation (a Sequential used as a layer, not the layers it runs).
      const operation = callee && isKerasLayer(callee) ? callee : r.layers[r.layers.length - 1];
      app = apps.length;
      apps.push({ operation: ops.numberFor(operation), reads: [] });
      if (at >= 0) {
        latestCall = at;
        latestCallApp = app;
      }
    }
    appAt[r.order] = app;
  }
  const grouped = { apps, appAt };
  for (const r of records) {
    if (stop.has(r.id)) continue;
    const own = appAt[r.order];
    for (const src of r.inputs) {
      const read = applicationOf(ks.nodes, grouped, src);
      if (read >= 0 && read !== own) apps[own].reads.push(read);
    }
  }
  return grouped;
}

/** The model's operations as map_graph orders them: by depth, deepest first, then by first visit. */
function orderedOperations(ctx: NativeContext, inputs: Value, outputs: Value): Operation[] {
  const inputIds = flattenTensors(inputs).map((t) => t.node);
  const stop = new Set(inputIds);
  const ops = new Operations();
  const nodes = kerasState(ctx).nodes;
  const grouped = applicationsOf(ctx, functionalRecords(ctx, stop, outputs), stop, ops);
  const apps = grouped.apps;

  // _build_map: a depth-first walk from each output; operations numbered on first visit, applications
  // listed once all they read is listed (iterative: a deep model would overflow the call stack).
  const NOT_SEEN = 0;
  const IN_PROGRESS = 1;
  const FINISHED = 2;
  const appState = new Uint8Array(apps.length);
  // Per operation; room for the inputs the outputs do not need, which may add operations below.
  const opCount = ops.list.length + inputIds.length;
  const visitIndex = new Int32Array(opCount).fill(-1);
  let visited = 0;
  const postorder: number[] = [];
  const stackApp: number[] = [];
  const stackNext: number[] = [];
  const visit = (app: number): void => {
    if (appState[app] !== NOT_SEEN) return;
    const op = apps[app].operation;
    if (visitIndex[op] < 0) visitIndex[op] = visited++;
    appState[app] = IN_PROGRESS;
    stackApp.push(app);
    stackNext.push(0);
  };
  for (const out of flattenTensors(outputs)) {
    const app = applicationOf(nodes, grouped, out.node);
    if (app >= 0) visit(app);
    while (stackApp.length > 0) {
      const top = stackApp.length - 1;
      const reads = apps[stackApp[top]].reads;
      if (stackNext[top] < reads.length) visit(reads[stackNext[top]++]);
      else {
        appState[stackApp[top]] = FINISHED;
        postorder.push(stackApp.pop()!);
        stackNext.pop();
      }
    }
  }

  // map_graph: an application is one deeper than the deepest that reads it; a shared layer takes the
  // greatest depth of its applications. Operations are listed in the order they first get a depth.
  const appDepth = new Int32Array(apps.length);
  const opDepth = new Int32Array(opCount).fill(-1);
  const listed: number[] = [];
  for (let i = postorder.length - 1; i >= 0; i--) {
    const app = apps[postorder[i]];
    const op = app.operation;
    if (opDepth[op] < 0) listed.push(op);
    const depth = Math.max(appDepth[postorder[i]], opDepth[op], 0);
    opDepth[op] = depth;
    appDepth[postorder[i]] = depth;
    for (const read of app.reads) appDepth[read] = Math.max(depth + 1, appDepth[read]);
  }
  // Inputs the outputs do not need are still the model's, at depth 0 before everything else there.
  for (const id of inputIds) {
    const app = applicationOf(nodes, grouped, id);
    let op: number;
    if (app >= 0) op = apps[app].operation;
    else {
      const layers = nodes.get(id)?.layers;
      const layer = layers?.[layers.length - 1];
      if (layer === undefined) continue;
      op = ops.numberFor(layer);
    }
    if (opDepth[op] >= 0) continue;
    opDepth[op] = 0;
    visitIndex[op] = -1;
    listed.push(op);
  }
  return listed.sort((a, b) => opDepth[b] - opDepth[a] || visitIndex[a] - visitIndex[b]).map((op) => ops.list[op]);
}

/** Layers of a functional model as `model.layers` lists them (Functional.layers: its operations that are layers). */
export function functionalLayers(ctx: NativeContext, inputs: Value, outputs: Value): PyInstance[] {
  return orderedOperations(ctx, inputs, outputs).filter((op): op is PyInstance => op !== undefined);
}
