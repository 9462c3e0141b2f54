// Activation functions on built tensors, by name. Used for activation nodes and for the activation a
// Keras Conv2D/Dense carries in its `activation` attr. Composite ones (GELU, SiLU, hard-swish) are
// written with the tfjs ops a tfjs model would run, and their intermediates are disposed.

import type { Framework, IRNode } from "../ir/types";
import { num, str } from "./lower-types";
import type { Tf, TfTensor, FusedActivation } from "./tf-api";

/** "ReLU6", "relu6", "hard_swish", "Hardswish" → one spelling: lower case, no underscores. */
export function activationKey(name: string): string {
  return name.toLowerCase().replace(/_/g, "");
}

type Act = (tf: Tf, x: TfTensor) => TfTensor;

/** Applies `f` then disposes the intermediate result of the first step. */
function then(tf: Tf, x: TfTensor, first: (x: TfTensor) => TfTensor, second: (y: TfTensor) => TfTensor): TfTensor {
  const y = first(x);
  const z = second(y);
  if (y !== x && y !== z) y.dispose();
  return z;
}

const gelu: Act = (tf, x) => {
  // Exact GELU: 0.5 · x · (1 + erf(x / √2)); tfjs-core has no GELU kernel.
  const scaled = tf.mul(x, Math.SQRT1_2);
  const e = tf.erf(scaled);
  scaled.dispose();
  const onePlus = tf.add(e, 1);
  e.dispose();
  const prod = tf.mul(x, onePlus);
  onePlus.dispose();
  const out = tf.mul(prod, 0.5);
  prod.dispose();
  return out;
};

const silu: Act = (tf, x) => then(tf, x, (v) => tf.sigmoid(v), (s) => tf.mul(x, s));

const hardswish: Act = (tf, x) => {
  // x · relu6(x + 3) / 6
  const shifted = tf.add(x, 3);
  const clipped = tf.relu6(shifted);
  shifted.dispose();
  const scaled = tf.mul(clipped, 1 / 6);
  clipped.dispose();
  const out = tf.mul(x, scaled);
  scaled.dispose();
  return out;
};

const hardsigmoid: Act = (tf, x) => {
  // relu6(x + 3) / 6
  const shifted = tf.add(x, 3);
  const clipped = tf.relu6(shifted);
  shifted.dispose();
  const out = tf.mul(clipped, 1 / 6);
  clipped.dispose();
  return out;
};

const ACTIVATIONS: Record<string, Act> = {
  relu: (tf, x) => tf.relu(x),
  relu6: (tf, x) => tf.relu6(x),
  sigmoid: (tf, x) => tf.sigmoid(x),
  tanh: (tf, x) => tf.tanh(x),
  gelu,
  silu,
  swish: silu,
  hardswish,
  hardsigmoid,
  leakyrelu: (tf, x) => tf.leakyRelu(x, 0.01),
  elu: (tf, x) => tf.elu(x),
  selu: (tf, x) => tf.selu(x),
  softplus: (tf, x) => tf.softplus(x),
  // Softmax over the last axis; callers check that the node's axis is the last one.
  softmax: (tf, x) => tf.softmax(x),
  logsoftmax: (tf, x) => tf.logSoftmax(x),
};

export function isKnownActivation(name: string): boolean {
  return activationKey(name) in ACTIVATIONS;
}

export function applyActivation(tf: Tf, name: string, x: TfTensor): TfTensor {
  const f = ACTIVATIONS[activationKey(name)];
  if (!f) throw new Error(`The activation '${name}' is not supported by the profiler.`);
  return f(tf, x);
}

/** The activation tfjs can fuse into a conv / matmul kernel, as tfjs-layers does; undefined otherwise. */
export function fusableActivation(name: string | undefined): FusedActivation | undefined {
  if (name === undefined) return "linear";
  const key = activationKey(name);
  return key === "relu" || key === "relu6" || key === "sigmoid" || key === "elu" ? key : undefined;
}

export function isSoftmax(name: string): boolean {
  const key = activationKey(name);
  return key === "softmax" || key === "logsoftmax";
}

/** The activation a node applies: the op itself, or Keras `Activation(...)`'s / `ReLU(max_value=6)`'s. */
export function activationNameOf(node: IRNode, framework: Framework): string | undefined {
  const { op, attrs } = node;
  if (op === "Activation" || (attrs.activation !== undefined && !isKnownActivation(op))) return str(attrs, "activation");
  if (op === "ReLU" && framework === "keras") {
    const max = num(attrs, "max_value");
    const slope = num(attrs, "negative_slope", 0);
    if (slope !== 0) return undefined;
    return max === 6 ? "relu6" : max === undefined ? "relu" : undefined;
  }
  return op;
}
