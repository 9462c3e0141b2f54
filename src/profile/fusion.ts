// Which nodes run as one fused kernel: a plain convolution whose only consumer is an inference
// BatchNorm, and that BatchNorm's only consumer when it is an activation the conv kernel can apply
// (relu, relu6, sigmoid, elu). This is what inference runtimes do with conv + BN + ReLU (folding BN
// into the conv is a standard graph optimisation), so the whole-model time is the one a deployed
// model would see. BN is folded into the conv's weights at build time (a per-channel
// scale and bias); its own weights stay in the plan, so the weight count does not change. The BN
// and activation nodes are then reported as fused into the conv, whose row includes their time:
// they are never given a time of their own.
// Pure: reads only the IR, so the memory estimate can use it before anything is built.

import type { Framework, IRNode, GraphIR } from "../ir/types";
import { activationNameOf, fusableActivation } from "./activations";
import type { FusedActivation } from "./tf-api";

export interface FusionGroup {
  conv: string;
  batchNorm: string;
  /** The activation node applied by the fused kernel, when there is one. */
  activation?: string;
  /** What that node applies, as the fused kernel names it. */
  activationKind?: Exclude<FusedActivation, "linear">;
}

const CONV_OPS = new Set(["Conv2d", "Conv2D"]);
const BATCH_NORM_OPS = new Set(["BatchNorm2d", "BatchNormalization"]);

function isPlainConv(node: IRNode): boolean {
  if (!CONV_OPS.has(node.op) || node.opaque) return false;
  const groups = node.attrs.groups;
  if (groups !== undefined && groups !== 1) return false;
  // A Keras conv's own activation runs before the BN, so that chain is not conv + BN + activation.
  const act = node.attrs.activation;
  return act === undefined || act === null || act === "linear";
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
  const outputs = new Set(ir.outputs);
  // The only consumer of `id`, when there is exactly one use and `id` is not a model output.
  const soleUser = (id: string): IRNode | undefined => (uses.get(id) === 1 && !outputs.has(id) ? firstUser.get(id) : undefined);
  const groups = new Map<string, FusionGroup>();
  for (const conv of ir.nodes) {
    if (!isPlainConv(conv)) continue;
    const bn = soleUser(conv.id);
    if (!bn || !BATCH_NORM_OPS.has(bn.op) || bn.opaque || bn.inputs.length !== 1) continue;
    const group: FusionGroup = { conv: conv.id, batchNorm: bn.id };
    const act = soleUser(bn.id);
    const kind = act && fusedActivationOf(act, ir.framework);
    if (act && kind) {
      group.activation = act.id;
      group.activationKind = kind;
    }
    groups.set(conv.id, group);
  }
  return groups;
}
