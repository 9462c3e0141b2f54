// Which nodes run as one fused kernel: a regular or depthwise convolution whose only consumer is an
// inference BatchNorm, and that BatchNorm's only consumer when it is an activation the conv kernel
// can apply (relu, relu6, sigmoid, elu). This is what inference runtimes do with conv + BN + ReLU
// (folding BN into the conv is a standard graph optimisation), so the whole-model time is the one a
// deployed model would see. BN is folded into the conv's weights at build time (a per-channel
// scale and bias); its own weights stay in the plan, so the weight count does not change. The BN
// and activation nodes are then reported as fused into the conv, whose row includes their time:
// they are never given a time of their own.
// The four activations are the ones every backend's FusedConv2D and FusedDepthwiseConv2D kernel
// applies itself in tfjs 4.22 (wasm: relu/relu6 as XNNPACK's output clamp, sigmoid/elu in the same
// kernel call after it; cpu, webgl, webgpu: all four), so the plan does not depend on the backend.
// Pure: reads only the IR, so the memory estimate can use it before anything is built.

import type { Framework, IRNode, GraphIR } from "../ir/types";
import { activationNameOf, fusableActivation } from "./activations";
import type { FusedActivation } from "./tf-api";

export interface FusionGroup {
  /** The tfjs fused op the group runs as: `tf.fused.conv2d` or `tf.fused.depthwiseConv2d`. */
  kind: "conv2d" | "depthwiseConv2d";
  conv: string;
  batchNorm: string;
  /** The activation node applied by the fused kernel, when there is one. */
  activation?: string;
  /** What that node applies, as the fused kernel names it. */
  activationKind?: Exclude<FusedActivation, "linear">;
}

const CONV_OPS = new Set(["Conv2d", "Conv2D"]);
const BATCH_NORM_OPS = new Set(["BatchNorm2d", "BatchNormalization"]);

/** Input channels of a conv: PyTorch records them; otherwise its input's channel dimension. */
function inChannels(conv: IRNode, byId: Map<string, IRNode>, framework: Framework): number | undefined {
  if (typeof conv.attrs.in_channels === "number") return conv.attrs.in_channels;
  const shape = byId.get(conv.inputs[0])?.shape;
  const c = shape ? (framework === "pytorch" ? shape[1] : shape[shape.length - 1]) : undefined;
  return typeof c === "number" ? c : undefined;
}

/**
 * The fused op a conv can run as with a BN folded in, or undefined: regular convs, and depthwise
 * ones as the lowering builds them (Keras DepthwiseConv2D; a conv with one group per input channel,
 * each giving out/in channels). Grouped and separable convs are not fused.
 */
function fusableConvKind(node: IRNode, byId: Map<string, IRNode>, framework: Framework): FusionGroup["kind"] | undefined {
  if (node.opaque) return undefined;
  // A Keras conv's own activation runs before the BN, so that chain is not conv + BN + activation.
  const act = node.attrs.activation;
  if (act !== undefined && act !== null && act !== "linear") return undefined;
  if (node.op === "DepthwiseConv2D") return "depthwiseConv2d";
  if (!CONV_OPS.has(node.op)) return undefined;
  const groups = node.attrs.groups;
  if (groups === undefined || groups === 1) return "conv2d";
  return typeof groups === "number" && groups > 1 && groups === inChannels(node, byId, framework) ? "depthwiseConv2d" : undefined;
}

/** The activation a node applies, as a fused-kernel activation other than "linear", if any. */
function fusedActivationOf(node: IRNode, framework: Framework): Exclude<FusedActivation, "linear"> | undefined {
  if (node.category !== "activation" || node.opaque || node.inputs.length !== 1) return undefined;
  const name = activationNameOf(node, framework);
  const fused = name === undefined ? undefined : fusableActivation(name);
  return fused === undefined || fused === "linear" ? undefined : fused;
}

/** Fusion groups keyed by conv id, in graph order. */
export function planFusion(ir: GraphIR): Map<string, FusionGroup> {
  const uses = new Map<string, number>();
  const firstUser = new Map<string, IRNode>();
  for (const n of ir.nodes) {
    for (const id of n.inputs) {
      uses.set(id, (uses.get(id) ?? 0) + 1);
      if (!firstUser.has(id)) firstUser.set(id, n);
    }
  }
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const outputs = new Set(ir.outputs);
  // The only consumer of `id`, when there is exactly one use and `id` is not a model output.
  const soleUser = (id: string): IRNode | undefined => (uses.get(id) === 1 && !outputs.has(id) ? firstUser.get(id) : undefined);
  const groups = new Map<string, FusionGroup>();
  for (const conv of ir.nodes) {
    const kind = fusableConvKind(conv, byId, ir.framework);
    if (!kind) continue;
    const bn = soleUser(conv.id);
    if (!bn || !BATCH_NORM_OPS.has(bn.op) || bn.opaque || bn.inputs.length !== 1) continue;
    const group: FusionGroup = { kind, conv: conv.id, batchNorm: bn.id };
    const act = soleUser(bn.id);
    const activationKind = act && fusedActivationOf(act, ir.framework);
    if (act && activationKind) {
      group.activation = act.id;
      group.activationKind = activationKind;
    }
    groups.set(conv.id, group);
  }
  return groups;
}
