// Builds the IR as a TensorFlow.js computation: one step per profiled node, in IR (topological)
// order, with random weights of the right shapes. A node that cannot run is skipped with its reason;
// when its output shape is known a random tensor of that shape stands in for it, so the layers after
// it still run (and the skip says so); otherwise every node needing it is skipped too.

import type { GraphIR, IRNode } from "../ir/types";
import { builtShape, formatDims } from "./layout";
import type { Lowering, LoweringContext, Run, WeightInit } from "./lower-types";
import { lowerAdaptivePool, lowerBatchNorm, lowerConv, lowerDense, lowerGlobalPool, lowerPool } from "./lower-layers";
import {
  lowerActivation,
  lowerConcat,
  lowerElementwise,
  lowerIdentity,
  lowerMatmul,
  lowerReshape,
  lowerZeroPadding,
} from "./lower-simple";
import type { Tf, TfTensor } from "./tf-api";
import { Cancelled } from "./forward";

export interface Step {
  id: string;
  op: string;
  /** Producer ids, in argument order. */
  inputs: string[];
  run: Run;
  macs: number;
  /** The analyzer's output shape in built (tf) layout, to check the built op against. */
  expectedShape: number[];
}

export interface Skipped {
  id: string;
  reason: string;
}

export interface Plan {
  steps: Step[];
  skipped: Skipped[];
  /** Model inputs and stand-ins for skipped nodes: built once, never disposed by a pass. */
  constants: Map<string, TfTensor>;
  outputs: string[];
  /** Every weight tensor (disposed by `disposePlan`). */
  weights: TfTensor[];
  /** Elements in all weights: equals the analyzer's params (+ BN running mean/var for PyTorch). */
  weightCount: number;
}

const BY_OP: Record<string, Lowering> = {
  Conv2d: lowerConv, Conv2D: lowerConv, DepthwiseConv2D: lowerConv, SeparableConv2D: lowerConv,
  Linear: lowerDense, Dense: lowerDense,
  BatchNorm2d: lowerBatchNorm, BatchNorm1d: lowerBatchNorm, BatchNormalization: lowerBatchNorm,
  MaxPool2d: lowerPool, AvgPool2d: lowerPool, max_pool2d: lowerPool, avg_pool2d: lowerPool,
  MaxPooling2D: lowerPool, AveragePooling2D: lowerPool,
  AdaptiveAvgPool2d: lowerAdaptivePool, adaptive_avg_pool2d: lowerAdaptivePool,
  AdaptiveMaxPool2d: lowerAdaptivePool, adaptive_max_pool2d: lowerAdaptivePool,
  GlobalAveragePooling2D: lowerGlobalPool, GlobalMaxPooling2D: lowerGlobalPool,
  cat: lowerConcat, concat: lowerConcat, concatenate: lowerConcat, Concatenate: lowerConcat,
  flatten: lowerReshape, Flatten: lowerReshape, view: lowerReshape, reshape: lowerReshape, Reshape: lowerReshape,
  Unflatten: lowerReshape, squeeze: lowerReshape, unsqueeze: lowerReshape,
  ZeroPadding2D: lowerZeroPadding, pad: lowerZeroPadding,
  Identity: lowerIdentity, identity: lowerIdentity,
  matmul: lowerMatmul,
};

const ELEMENTWISE = new Set(["add", "sub", "mul", "div", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "average"]);

function loweringFor(node: IRNode): Lowering | undefined {
  if (node.opaque) return undefined;
  const byOp = BY_OP[node.op];
  if (byOp) return byOp;
  if (node.category === "activation") return lowerActivation;
  if (node.category === "dropout") return lowerIdentity;
  if (node.category === "merge" || node.category === "math") {
    const kind = (typeof node.attrs.mergeKind === "string" ? node.attrs.mergeKind : node.op).toLowerCase();
    if (ELEMENTWISE.has(kind)) return lowerElementwise;
  }
  return undefined;
}

/** Random weights in [-0.05, 0.05]; "positive" ones in [0.5, 1.5] (variances). */
function makeWeight(tf: Tf, shape: number[], init: WeightInit): TfTensor {
  return init === "positive" ? tf.randomUniform(shape, 0.5, 1.5) : tf.randomUniform(shape, -0.05, 0.05);
}

export interface PlanOptions {
  batch: number;
  /** Called once per node while weights are created (progress). */
  onNode?: (index: number, total: number, id: string) => void;
  signal?: AbortSignal;
}

export function buildPlan(tf: Tf, ir: GraphIR, opts: PlanOptions): Plan {
  const { batch } = opts;
  const plan: Plan = { steps: [], skipped: [], constants: new Map(), outputs: [...ir.outputs], weights: [], weightCount: 0 };
  const weightsByKey = new Map<string, TfTensor>();
  const shapes = new Map<string, number[]>(); // built shape of every available value
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const inputIds = new Set(ir.inputs);
  try {
    ir.nodes.forEach((node, index) => {
      if (opts.signal?.aborted) throw new Cancelled();
      opts.onNode?.(index, ir.nodes.length, node.id);
      const out = node.shape ? builtShape(ir.framework, node.shape, batch) : null;
      if (node.category === "input" || inputIds.has(node.id)) {
        if (!out) throw new Error(`The model input '${node.name}' has shape ${formatDims(node.shape ?? [])}; give every dimension but the batch, e.g. with --input.`);
        plan.constants.set(node.id, tf.randomUniform(out, 0, 1));
        shapes.set(node.id, out);
        return;
      }
      const reason = stepOrReason(tf, ir, node, out, shapes, byId, batch, plan, weightsByKey);
      if (reason === undefined) {
        shapes.set(node.id, out!);
        return;
      }
      if (out) {
        plan.constants.set(node.id, tf.randomUniform(out, 0, 1));
        shapes.set(node.id, out);
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

/** Adds the node's step to the plan, or returns why it cannot run. */
function stepOrReason(
  tf: Tf,
  ir: GraphIR,
  node: IRNode,
  out: number[] | null,
  shapes: Map<string, number[]>,
  byId: Map<string, IRNode>,
  batch: number,
  plan: Plan,
  weightsByKey: Map<string, TfTensor>,
): string | undefined {
  const missing = node.inputs.find((id) => !shapes.has(id));
  if (missing !== undefined) {
    const producer = byId.get(missing);
    return producer
      ? `It needs the output of ${producer.op} '${missing}', which was not profiled and whose shape is unknown.`
      : `It reads '${missing}', which is not a node of the graph.`;
  }
  if (!out) return `Its output shape ${formatDims(node.shape ?? [])} is not fully known.`;
  const lowering = loweringFor(node);
  if (!lowering) {
    return node.opaque
      ? `${node.op} is an opaque node (code the analyzer could not model), so it cannot be profiled.`
      : `${node.op} is not supported by the profiler yet.`;
  }
  const layerKey = node.reuseOf ?? node.id;
  const created: TfTensor[] = [];
  const ctx: LoweringContext = {
    tf,
    framework: ir.framework,
    node,
    batch,
    inShapes: node.inputs.map((id) => byId.get(id)?.shape ?? []),
    inBuilt: node.inputs.map((id) => shapes.get(id)!),
    outBuilt: out,
    weight(name, shape, init = "random") {
      const key = `${layerKey}/${name}`;
      let w = weightsByKey.get(key);
      if (!w) {
        w = makeWeight(tf, shape, init);
        weightsByKey.set(key, w);
        created.push(w);
      }
      return w;
    },
  };
  const run = lowering(ctx);
  if (typeof run === "string") {
    for (const w of created) {
      w.dispose();
      weightsByKey.forEach((v, k) => v === w && weightsByKey.delete(k));
    }
    return run;
  }
  for (const w of created) {
    plan.weights.push(w);
    plan.weightCount += w.size;
  }
  plan.steps.push({ id: node.id, op: node.op, inputs: [...node.inputs], run, macs: node.macs * (batch / analyzerBatch(node)), expectedShape: out });
  return undefined;
}

/** The batch the analyzer counted MACs for: its batch dimension, or 1 when unknown (Keras None). */
function analyzerBatch(node: IRNode): number {
  const b = node.shape?.[0];
  return typeof b === "number" && b > 0 ? b : 1;
}

export function disposePlan(plan: Plan): void {
  for (const w of plan.weights) w.dispose();
  for (const t of plan.constants.values()) t.dispose();
  plan.weights = [];
  plan.constants.clear();
}
