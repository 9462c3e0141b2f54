// Re-running a Keras model on inputs of another size. Keras calls a functional model on new tensors
// by running each of its operations again (layers, keras.ops, tensor operators) with the new tensors
// in place of the old; we record those calls as they happen and do the same, so a model whose
// Input leaves height and width open (None) can be analysed at a given input size.
//
// The graph keeps its nodes: the re-run emits into a scratch sink, and each original node takes the
// shape and MACs of its re-run twin (same call, same emission order). Weights do not change (a layer
// is built once), so layer reuse stays as it was; only a layer the first run could not build (its
// input size open) is built at the re-run, and its node takes the weights it then has.

import type { Shape } from "../../ir/types";
import { type Kwargs, type NativeContext, type NewNode, type PyBuiltin, type PyInstance, type PyTensor, type Value, builtin } from "../../interp/values";
import { flattenTensors, isKerasTensor, kerasTensor } from "./emit";
import { makeInput } from "./input";
import { type CallRecord, kerasState } from "./state";

/** Runs `run`, recording it (with `again` to repeat it) when no other recorded call is running. */
export function recorded(ctx: NativeContext, again: CallRecord["again"], run: () => Value, callee?: Value): Value {
  const ks = kerasState(ctx);
  if (ks.recordDepth > 0) return run();
  const from = ks.nodes.size;
  ks.recordDepth++;
  let result: Value;
  try {
    result = run();
  } finally {
    ks.recordDepth--;
  }
  if (ks.nodes.size > from) ks.calls.push({ again, from, to: ks.nodes.size, result, callee });
  return result;
}

function mapKwargs(kwargs: Kwargs, map: (v: Value) => Value): Kwargs {
  const out: Kwargs = new Map();
  for (const [k, v] of kwargs) out.set(k, map(v));
  return out;
}

/** The builtin `b`, recorded when called on its own (a keras.ops function). */
export function recordedBuiltin(b: PyBuiltin): PyBuiltin {
  return builtin(b.name, (args, kwargs, ctx) =>
    recorded(ctx, (map) => b.fn(args.map(map), mapKwargs(kwargs, map), ctx), () => b.fn(args, kwargs, ctx), b),
  );
}

/**
 * Records a `__call__` of a layer or model while running it: `args` as the method gets them, the
 * layer first. Its arguments are copied out only if the call is made again, not on every call.
 */
export function recordedCall(ctx: NativeContext, args: Value[], kwargs: Kwargs, run: () => Value): Value {
  const fn = args[0];
  return recorded(ctx, (map) => ctx.call(fn, args.slice(1).map(map), mapKwargs(kwargs, map)), run, fn);
}

/**
 * Old tensors to new in a repeated call's arguments (nested in lists, tuples, dicts): by identity (the
 * objects user code passed on), else by producer node where `byNodeOk` allows; anything else as it was.
 */
function tensorMapper(byObject: Map<PyTensor, PyTensor>, byNode: Map<string, PyTensor>, byNodeOk: (t: PyTensor) => boolean = () => true): (v: Value) => Value {
  const map = (v: Value): Value => {
    if (isKerasTensor(v)) {
      const own = byObject.get(v);
      if (own) return own;
      const hit = byNode.get(v.node);
      return hit && byNodeOk(v) ? hit : v;
    }
    if (v.kind === "list" || v.kind === "tuple") return { kind: v.kind, items: v.items.map(map) } as Value;
    if (v.kind === "dict") return { kind: "dict", map: new Map([...v.map].map(([k, e]) => [k, { key: e.key, value: map(e.value) }])) };
    return v;
  };
  return map;
}

/** The nodes between inputs and outputs (inputs included), from the Keras node records. */
export function modelNodeIds(ctx: NativeContext, inputs: string[], outputs: string[]): string[] {
  const records = kerasState(ctx).nodes;
  const stop = new Set(inputs);
  const seen = new Set<string>();
  const todo = [...outputs];
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!stop.has(id)) todo.push(...(records.get(id)?.inputs ?? []));
  }
  return [...seen].filter((id) => records.has(id));
}

interface Twin {
  id: string;
  node: NewNode;
}

/** The recorded calls that made a model's nodes, in order, or why some node cannot be made again. */
function modelCalls(ctx: NativeContext, inputs: string[], outputs: string[]): { calls: CallRecord[]; orderToId: Map<number, string> } | string {
  const ks = kerasState(ctx);
  const records = ks.nodes;
  const orderToId = new Map<number, string>();
  for (const [id, r] of records) orderToId.set(r.order, id);
  const inModel = new Set(modelNodeIds(ctx, inputs, outputs));
  const inputSet = new Set(inputs);

  const calls = ks.calls.filter((c) => {
    for (let o = c.from; o < c.to; o++) if (inModel.has(orderToId.get(o) ?? "")) return true;
    return false;
  });
  const covered = new Set<string>();
  for (const c of calls) for (let o = c.from; o < c.to; o++) covered.add(orderToId.get(o) ?? "");
  const missing = [...inModel].find((id) => !inputSet.has(id) && !covered.has(id));
  if (missing) return `its node '${missing}' (${records.get(missing)?.op}) was not made by a call the analyzer can repeat`;
  return { calls, orderToId };
}

/**
 * Re-runs the calls that made the model's nodes with new inputs of `shapes` (matched by position to
 * `inputs`), into a scratch sink: each original node id with its re-run twin, or why it could not.
 */
function rerun(ctx: NativeContext, inputs: string[], outputs: string[], shapes: Shape[]): Twin[] | string {
  const ks = kerasState(ctx);
  const records = ks.nodes;
  const found = modelCalls(ctx, inputs, outputs);
  if (typeof found === "string") return found;
  const { calls, orderToId } = found;

  const graph = ctx.graph;
  const scratch: NewNode[] = [];
  const savedNames = new Map(ks.nameCounts);
  const recordIds = new Set(records.keys());
  const recordCount = ks.records.length;
  const savedDepth = ks.recordDepth;
  ctx.graph = {
    addNode: (n: NewNode) => {
      scratch.push(n);
      return `\u0000rerun${scratch.length}`;
    },
  };
  ks.recordDepth = 1;
  const twins: Twin[] = [];
  try {
    // Old tensors to new: by identity (the objects user code passed on), else by producer node.
    const byObject = new Map<PyTensor, PyTensor>();
    const byNode = new Map<string, PyTensor>();
    inputs.forEach((id, i) => {
      const fresh = makeInput(ctx, shapes[i]);
      byNode.set(id, fresh);
    });
    // A tensor found only by its producer stands in for it only when it is that node's own output.
    const map = tensorMapper(byObject, byNode, (v) => sameShape(v.shape, records.get(v.node)?.shape));
    for (const c of calls) {
      const start = scratch.length;
      const result = c.again(map);
      const made = scratch.slice(start);
      if (made.length !== c.to - c.from) return "a layer or function made different nodes when run again";
      for (let k = 0; k < made.length; k++) {
        const id = orderToId.get(c.from + k)!;
        if (records.get(id)?.op !== made[k].op) return "a layer or function made different nodes when run again";
        twins.push({ id, node: made[k] });
        byNode.set(id, kerasTensor(made[k].shape ?? [], `\u0000rerun${start + k + 1}`));
      }
      const olds = flattenTensors(c.result);
      const news = flattenTensors(result);
      if (olds.length === news.length) olds.forEach((t, i) => byObject.set(t, news[i]));
    }
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    ctx.graph = graph;
    ks.recordDepth = savedDepth;
    ks.nameCounts = savedNames;
    for (const id of [...records.keys()]) if (!recordIds.has(id)) records.delete(id);
    ks.records.length = recordCount;
  }
  return twins;
}

/**
 * Re-runs the model at input `shapes` and gives its original IR nodes their new shapes and MACs.
 * Returns why it could not, leaving the graph as it was, or undefined when it did.
 */
export function rerunAtInputShapes(ctx: NativeContext, inputs: string[], outputs: string[], shapes: Shape[]): string | undefined {
  const twins = rerun(ctx, inputs, outputs, shapes);
  if (typeof twins === "string") return twins;
  const records = kerasState(ctx).nodes;
  const graph = ctx.graph;

  if (!graph.updateNode) return "the graph cannot be updated";
  inputs.forEach((id, i) => {
    graph.updateNode!(id, { shape: shapes[i], attrs: { batch_shape: shapes[i] } });
    const r = records.get(id);
    if (r) r.shape = shapes[i];
  });
  for (const { id, node } of twins) {
    // A layer the first run could not size (an LSTM on features read from data) is built at the re-run:
    // its node shows the weights the totals count, no longer marked unknown (its warning was withdrawn
    // when it was built).
    const weights = { params: node.params, trainableParams: node.trainableParams, nonTrainableParams: node.nonTrainableParams, paramsUnknown: node.paramsUnknown === true };
    graph.updateNode(id, { shape: node.shape, inputShapes: node.inputs.map((t) => t.shape), macs: node.macs ?? 0, attrs: node.attrs ?? {}, ...weights });
    const r = records.get(id)!;
    r.shape = node.shape;
    r.macs = node.macs ?? 0;
  }
  return undefined;
}

/**
 * The model's MACs and output shapes when run at input `shapes` (a nested model applied to tensors
 * of a size its own Input leaves open), or why it cannot be run again. The graph is not changed.
 */
export function runAtInputShapes(
  ctx: NativeContext,
  inputs: string[],
  outputs: string[],
  shapes: Shape[],
): { macs: number; outputs: (Shape | null)[] } | string {
  const twins = rerun(ctx, inputs, outputs, shapes);
  if (typeof twins === "string") return twins;
  const inModel = new Set(modelNodeIds(ctx, inputs, outputs));
  const byId = new Map(twins.map((t) => [t.id, t.node]));
  return {
    macs: twins.reduce((sum, t) => sum + (inModel.has(t.id) ? t.node.macs ?? 0 : 0), 0),
    outputs: outputs.map((id) => {
      const i = inputs.indexOf(id);
      return i >= 0 ? shapes[i] : byId.get(id)?.shape ?? null;
    }),
  };
}

function sameShape(a: Shape, b: Shape | null | undefined): boolean {
  return !!b && a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * A functional model called on new tensors, inlined the way Keras runs it: each recorded call that
 * made the model's nodes runs again on the new tensors, into the graph itself, its nodes named and
 * scoped under the model's name (`resnet50/conv1_conv`), so the caller's graph shows the nested
 * model's layers and residual blocks. `result` is the model's outputs; the same structure over the
 * new tensors is returned. Call only after a scratch `runAtInputShapes` at these sizes succeeded,
 * since nodes made before a failure here stay in the graph.
 */
export function inlineModel(
  ctx: NativeContext,
  model: { name: string; layer: PyInstance },
  inputs: string[],
  outputs: string[],
  given: PyTensor[],
  result: Value,
): Value | string {
  const ks = kerasState(ctx);
  const records = ks.nodes;
  const found = modelCalls(ctx, inputs, outputs);
  if (typeof found === "string") return found;
  const { calls, orderToId } = found;
  const byObject = new Map<PyTensor, PyTensor>();
  const byNode = new Map<string, PyTensor>();
  inputs.forEach((id, i) => byNode.set(id, given[i]));
  const map = tensorMapper(byObject, byNode);
  const saved = ks.inlining;
  const models = [...(saved?.models ?? []), model];
  try {
    for (const c of calls) {
      const scopes: string[] = [];
      for (let o = c.from; o < c.to; o++) scopes.push(records.get(orderToId.get(o) ?? "")?.scope ?? "");
      ks.inlining = { models, scopes };
      const before = records.size;
      const out = c.again(map);
      if (records.size - before !== c.to - c.from) return "a layer or function made different nodes when run again";
      const made = [...records.keys()].slice(before);
      made.forEach((id, k) => {
        const r = records.get(id)!;
        byNode.set(orderToId.get(c.from + k)!, kerasTensor(r.shape ?? [], id));
      });
      const olds = flattenTensors(c.result);
      const news = flattenTensors(out);
      if (olds.length === news.length) olds.forEach((t, i) => byObject.set(t, news[i]));
    }
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    ks.inlining = saved;
  }
  return map(result);
}
