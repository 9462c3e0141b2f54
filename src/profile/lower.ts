// Builds the IR as a TensorFlow.js computation: one step per profiled node, in IR (topological)
// order, with random weights of the right shapes. A node that cannot run is skipped with its reason;
// when its output shape is known a random tensor of that shape stands in for it, so the layers after
// it still run (and the skip says so); otherwise every node needing it is skipped too.
// A step may yield values besides its node's output (an LSTM's final states, an attention's
// weights, see MultiRun): the nodes that take them (h_n, c_n, attn_weights) are steps handing on
// that value, so nothing is computed twice.

import type { GraphIR, IRNode } from "../ir/types";
import { planFusion, type FusionGroup } from "./fusion";
import { builtShape, formatDims } from "./layout";
import { lowerConvBatchNorm } from "./lower-fused";
import { type LoweringContext, type MultiRun, type WeightInit, SIDE_OUTPUT_OPS, sideValueId } from "./lower-types";
import { passesIdsThrough, parameterShape, randomValue, readersOf, tokenIdRange } from "./lower-constants";
import { loweringFor } from "./lowerings";
import type { Tf, TfTensor } from "./tf-api";
import { Cancelled } from "./forward";

export interface Step {
  id: string;
  op: string;
  /** Producer ids, in argument order. */
  inputs: string[];
  /** The output, or the output then one tensor per `sideOutputs` entry. */
  run: (xs: TfTensor[]) => TfTensor | TfTensor[];
  macs: number;
  /** The analyzer's output shape in built (tf) layout, to check the built op against. */
  expectedShape: number[];
  /** The value the step produces: its own id, or the last node fused into it (plan.fused lists those). */
  output: string;
  /** Further values it produces (`lstm#h_n`), read by the steps of the nodes that take them. */
  sideOutputs: string[];
}

/** A node that has no step of its own: its work runs inside another node's fused kernel. */
export interface FusedNode {
  id: string;
  op: string;
  /** The step (a conv) whose time includes this node's. */
  into: string;
}

export interface Skipped {
  id: string;
  reason: string;
}

export interface Plan {
  steps: Step[];
  skipped: Skipped[];
  fused: FusedNode[];
  /** Model inputs and stand-ins for skipped nodes: built once, never disposed by a pass. */
  constants: Map<string, TfTensor>;
  outputs: string[];
  /** Every weight tensor (disposed by `disposePlan`). */
  weights: TfTensor[];
  /** The same weights by layer and name (`lstm/weight_ih_l0`), for inspection. */
  weightsByKey: Map<string, TfTensor>;
  /** Tensors computed from weights at build time (folded BN): disposed with the plan, not counted. */
  derived: TfTensor[];
  /**
   * Elements in all weights, PyTorch Parameters used in forward code included (those are in
   * `constants`): equals the analyzer's params (+ BN running mean/var for PyTorch).
   */
  weightCount: number;
}

/** Random weights in [-0.05, 0.05]; "positive" ones in [0.5, 1.5] (variances). */
function makeWeight(tf: Tf, shape: number[], init: WeightInit, seed: string | undefined): TfTensor {
  return init === "positive" ? tf.randomUniform(shape, 0.5, 1.5, "float32", seed) : tf.randomUniform(shape, -0.05, 0.05, "float32", seed);
}

export interface PlanOptions {
  batch: number;
  /** Called once per node while weights are created (progress). */
  onNode?: (index: number, total: number, id: string) => void;
  signal?: AbortSignal;
  /**
   * Which inference BatchNorms (and following activations) fold into the conv before them (planFusion's
   * result, which the memory check needs too); false folds none. Default: planFusion(ir).
   */
  fusion?: ReadonlyMap<string, FusionGroup> | false;
  /**
   * Draws every weight and input from this seed and its own key (layer and weight name, or node id),
   * so two builds of one IR get the same values whatever they fuse; default: unseeded.
   */
  seed?: number;
}

export function buildPlan(tf: Tf, ir: GraphIR, opts: PlanOptions): Plan {
  const { batch } = opts;
  const weightsByKey = new Map<string, TfTensor>();
  const plan: Plan = { steps: [], skipped: [], fused: [], constants: new Map(), outputs: [...ir.outputs], weights: [], weightsByKey, derived: [], weightCount: 0 };
  const b: Builder = {
    tf,
    ir,
    batch,
    plan,
    seed: opts.seed,
    weightsByKey,
    shapes: new Map(),
    byId: new Map(ir.nodes.map((n) => [n.id, n])),
    readers: readersOf(ir),
    ids: new Set(),
    analyzerBatch: positive(ir.inputShapes[0]?.[0]),
  };
  const inputIds = new Set(ir.inputs);
  const groups: ReadonlyMap<string, FusionGroup> = opts.fusion === false ? new Map() : (opts.fusion ?? planFusion(ir));
  const absorbed = new Set<string>();
  try {
    ir.nodes.forEach((node, index) => {
      if (opts.signal?.aborted) throw new Cancelled();
      opts.onNode?.(index, ir.nodes.length, node.id);
      if (absorbed.has(node.id)) return;
      if (node.op === "Parameter" && !inputIds.has(node.id)) {
        parameterConstant(b, node);
        return;
      }
      const out = node.shape ? builtShape(ir.framework, node.shape, batch, b.analyzerBatch) : null;
      if (node.category === "input" || inputIds.has(node.id)) {
        if (!out) throw new Error(`The model input '${node.name}' has shape ${formatDims(node.shape ?? [])}; give every dimension but the batch, e.g. with --input.`);
        plan.constants.set(node.id, randomInput(b, node.id, out));
        b.shapes.set(node.id, out);
        return;
      }
      const group = groups.get(node.id);
      if (group && fusedStep(b, node, group)) {
        for (const id of [group.batchNorm, group.activation]) if (id !== undefined) absorbed.add(id);
        return;
      }
      const reason = stepOrReason(b, node, out);
      if (reason === undefined) {
        b.shapes.set(node.id, out!);
        return;
      }
      if (out) {
        plan.constants.set(node.id, randomInput(b, node.id, out));
        b.shapes.set(node.id, out);
        plan.skipped.push({ id: node.id, reason: `${reason} Its output is replaced by a random ${formatDims(out)} tensor so the layers after it still run.` });
      } else {
        plan.skipped.push({ id: node.id, reason });
      }
    });
  } catch (e) {
    disposePlan(plan);
    throw e;
  }
  return plan;
}

/** What the plan builder carries from node to node. */
interface Builder {
  readers: Map<string, IRNode[]>;
  /** The model input's batch as analysed; null when unknown (Keras None). */
  analyzerBatch: number | null;
  /** Values holding int32 token ids (inputs read only by embeddings, and reshapes of them). */
  ids: Set<string>;
  tf: Tf;
  ir: GraphIR;
  batch: number;
  plan: Plan;
  seed: number | undefined;
  weightsByKey: Map<string, TfTensor>;
  /** Built shape of every available value. */
  shapes: Map<string, number[]>;
  byId: Map<string, IRNode>;
}

/** Tensors a lowering created; kept when it succeeds, freed when it returns a reason. */
interface Created {
  weights: TfTensor[];
  derived: TfTensor[];
}

/** A model input or a skipped node's stand-in: values in [0, 1], or token ids when only embeddings read it. */
function randomInput(b: Builder, id: string, shape: number[]): TfTensor {
  const rows = tokenIdRange(id, b.readers);
  if (rows !== undefined) b.ids.add(id);
  return randomValue(b.tf, shape, b.seed === undefined ? undefined : `${b.seed}/input:${id}`, rows);
}

/**
 * A Parameter read in forward code: a weight of its own shape, built once; counted when the
 * analyzer counts it on this node (a stub layer's own weight used again is counted on the layer).
 */
function parameterConstant(b: Builder, node: IRNode): void {
  const shape = parameterShape(b.ir, node);
  if (!shape) {
    b.plan.skipped.push({ id: node.id, reason: `The Parameter's shape ${formatDims(node.shape ?? [])} is not fully known.` });
    return;
  }
  const key = `${node.reuseOf ?? node.id}/value`;
  const t = makeWeight(b.tf, shape, "random", b.seed === undefined ? undefined : `${b.seed}/${key}`);
  b.plan.constants.set(node.id, t);
  b.shapes.set(node.id, shape);
  if (node.params > 0) {
    b.plan.weightCount += t.size;
    b.weightsByKey.set(key, t);
  }
}

function contextFor(b: Builder, node: IRNode, out: number[], created: Created): LoweringContext {
  const layerKey = node.reuseOf ?? node.id;
  return {
    tf: b.tf,
    framework: b.ir.framework,
    node,
    batch: b.batch,
    inShapes: node.inputs.map((id) => b.byId.get(id)?.shape ?? []),
    inBuilt: node.inputs.map((id) => b.shapes.get(id)!),
    outBuilt: out,
    readers: b.readers.get(node.id) ?? [],
    layerParams: (node.reuseOf ? b.byId.get(node.reuseOf)?.params : node.params) ?? 0,
    inIds: node.inputs.map((id) => b.ids.has(id)),
    weight(name, shape, init = "random") {
      const key = `${layerKey}/${name}`;
      let w = b.weightsByKey.get(key);
      if (!w) {
        w = makeWeight(b.tf, shape, init, b.seed === undefined ? undefined : `${b.seed}/${key}`);
        b.weightsByKey.set(key, w);
        created.weights.push(w);
      }
      return w;
    },
    derived(t) {
      created.derived.push(t);
      return t;
    },
  };
}

function keep(b: Builder, created: Created): void {
  for (const w of created.weights) {
    b.plan.weights.push(w);
    b.plan.weightCount += w.size;
  }
  b.plan.derived.push(...created.derived);
}

function discard(b: Builder, created: Created): void {
  for (const w of created.weights) {
    w.dispose();
    b.weightsByKey.forEach((v, k) => v === w && b.weightsByKey.delete(k));
  }
  for (const t of created.derived) t.dispose();
}

/** Missing input or unknown shape: why the node cannot run, before any lowering is tried. */
function inputProblem(b: Builder, node: IRNode, out: number[] | null): string | undefined {
  const missing = node.inputs.find((id) => !b.shapes.has(id));
  if (missing !== undefined) {
    const producer = b.byId.get(missing);
    return producer
      ? `It needs the output of ${producer.op} '${missing}', which was not profiled and whose shape is unknown.`
      : `It reads '${missing}', which is not a node of the graph.`;
  }
  if (!out) return `Its output shape ${formatDims(node.shape ?? [])} is not fully known.`;
  return undefined;
}

/**
 * Adds one step computing conv + BN (+ activation) when the three can run fused; false leaves
 * every node of the group to be lowered on its own.
 */
function fusedStep(b: Builder, conv: IRNode, group: FusionGroup): boolean {
  const members = [group.batchNorm, group.activation].filter((id): id is string => id !== undefined).map((id) => b.byId.get(id)!);
  const outs = [conv, ...members].map((n) => (n.shape ? builtShape(b.ir.framework, n.shape, b.batch, b.analyzerBatch) : null));
  if (inputProblem(b, conv, outs[0]) !== undefined || outs.some((o) => o === null)) return false;
  const created: Created = { weights: [], derived: [] };
  const convCtx = contextFor(b, conv, outs[0]!, created);
  b.shapes.set(conv.id, outs[0]!);
  const bn = members[0];
  const bnCtx = contextFor(b, bn, outs[1]!, created);
  const run = lowerConvBatchNorm(group.kind, convCtx, bnCtx, group.activationKind);
  if (typeof run === "string") {
    b.shapes.delete(conv.id);
    discard(b, created);
    return false;
  }
  keep(b, created);
  members.forEach((m, i) => {
    b.shapes.set(m.id, outs[i + 1]!);
    b.plan.fused.push({ id: m.id, op: m.op, into: conv.id });
  });
  const last = members[members.length - 1];
  b.plan.steps.push({
    id: conv.id,
    op: conv.op,
    inputs: [...conv.inputs],
    run,
    macs: [conv, ...members].reduce((sum, n) => sum + n.macs * macsScale(b), 0),
    expectedShape: outs[outs.length - 1]!,
    output: last.id,
    sideOutputs: [],
  });
  return true;
}

/** Adds the node's step to the plan, or returns why it cannot run. */
function stepOrReason(b: Builder, node: IRNode, out: number[] | null): string | undefined {
  const problem = inputProblem(b, node, out);
  if (problem !== undefined) return problem;
  if (SIDE_OUTPUT_OPS.has(node.op) && node.inputs.length === 1) return sideOutputStep(b, node, out!);
  const lowering = loweringFor(node);
  if (!lowering) {
    return node.opaque
      ? `${node.op} is an opaque node (code the analyzer could not model), so it cannot be profiled.`
      : `${node.op} is not supported by the profiler yet.`;
  }
  const created: Created = { weights: [], derived: [] };
  const lowered = lowering(contextFor(b, node, out!, created));
  if (typeof lowered === "string") {
    discard(b, created);
    return lowered;
  }
  keep(b, created);
  const multi: MultiRun | undefined = typeof lowered === "function" ? undefined : lowered;
  const sideOutputs = (multi?.side ?? []).map((name) => sideValueId(node.id, name));
  for (const [i, name] of (multi?.side ?? []).entries()) {
    const reader = (b.readers.get(node.id) ?? []).find((r) => r.op === name);
    const shape = reader?.shape ? builtShape(b.ir.framework, reader.shape, b.batch, b.analyzerBatch) : null;
    if (shape) b.shapes.set(sideOutputs[i], shape);
  }
  const run: Step["run"] = typeof lowered === "function" ? lowered : lowered.run;
  b.plan.steps.push({ id: node.id, op: node.op, inputs: [...node.inputs], run, macs: node.macs * macsScale(b), expectedShape: out!, output: node.id, sideOutputs });
  if (passesIdsThrough(node) && node.inputs.length > 0 && node.inputs.every((id) => b.ids.has(id))) b.ids.add(node.id);
  return undefined;
}

/**
 * h_n, c_n, attn_weights: the value the producer's step computed along with its output, handed on
 * as this node's (no kernel of its own; the producer's row includes computing it).
 */
function sideOutputStep(b: Builder, node: IRNode, out: number[]): string | undefined {
  const producer = node.inputs[0];
  const source = sideValueId(producer, node.op);
  if (!b.shapes.has(source)) {
    const p = b.byId.get(producer);
    return `It takes the ${node.op} that ${p?.op ?? "its input"} '${producer}' computes, and '${producer}' was not profiled.`;
  }
  b.plan.steps.push({ id: node.id, op: node.op, inputs: [source], run: (xs) => xs[0], macs: 0, expectedShape: out, output: node.id, sideOutputs: [] });
  return undefined;
}

/** Profiled batch over the batch the analyzer counted MACs for (1 when unknown, Keras None). */
function macsScale(b: Builder): number {
  return b.batch / (b.analyzerBatch ?? 1);
}

function positive(d: number | null | undefined): number | null {
  return typeof d === "number" && d > 0 ? d : null;
}

export function disposePlan(plan: Plan): void {
  for (const w of plan.weights) w.dispose();
  plan.weightsByKey.clear();
  for (const t of plan.derived) t.dispose();
  plan.derived = [];
  for (const t of plan.constants.values()) t.dispose();
  plan.weights = [];
  plan.constants.clear();
}
