// Keras LSTM / GRU / SimpleRNN, and Bidirectional around one of them, in Keras's weight layout:
// kernel [in, G·u], recurrent_kernel [u, G·u], bias [G·u], or [2, G·u] for a GRU with reset_after
// (input and recurrent bias). Gate columns: LSTM i, f, c, o; GRU z, r, h. Input [N, T, F]. A layer
// with go_backwards runs from the last step and returns its outputs in the order it ran; the
// backward half of a Bidirectional is put back in time order, as Keras does. With return_state the
// final states are side outputs for the state_h / state_c nodes that read them.

import { type Lowering, type MultiRun, bool, num, sideOutputsRead, str } from "./lower-types";
import { type Cell, type DirectionWeights, type Kind, GATES, runDirection } from "./recurrence";
import type { TfTensor } from "./tf-api";

const KINDS: Record<string, Kind> = { LSTM: "LSTM", GRU: "GRU", SimpleRNN: "RNN" };
const MERGES = new Set(["concat", "sum", "mul", "ave"]);

export const lowerKerasRecurrent: Lowering = (c) => {
  const { tf, node } = c;
  const a = node.attrs;
  const bidirectional = node.op === "Bidirectional";
  const layer = bidirectional ? str(a, "layer") : node.op;
  const kind = layer === undefined ? undefined : KINDS[layer];
  if (!kind) {
    return bidirectional
      ? `Bidirectional around ${layer ?? "a layer it does not record"} is not profiled; around LSTM, GRU and SimpleRNN it is.`
      : `Keras ${node.op} layers are not profiled; LSTM, GRU, SimpleRNN and Bidirectional around them are.`;
  }
  const units = num(a, "units");
  const input = num(a, "input_size");
  if (units === undefined || input === undefined) return `${node.op} does not record units and input_size; not profiled.`;
  const activation = str(a, "activation") ?? "tanh";
  const recurrentActivation = str(a, "recurrent_activation") ?? "sigmoid";
  if (kind === "RNN" ? activation !== "tanh" && activation !== "relu" : activation !== "tanh" || recurrentActivation !== "sigmoid") {
    return `${layer} with activation '${activation}'${kind === "RNN" ? "" : ` and recurrent_activation '${recurrentActivation}'`} is not profiled: the profiler runs Keras's default activations only.`;
  }
  const mergeMode = bidirectional ? (str(a, "merge_mode") ?? "concat") : "concat";
  if (!MERGES.has(mergeMode)) return `Bidirectional with merge_mode ${mergeMode} is not profiled; concat, sum, mul and ave are.`;
  if (bidirectional && bool(a, "return_state", false)) return "Bidirectional with return_state is not profiled.";
  const x = c.inBuilt[0];
  if (x.length !== 3) return `${node.op} is profiled on [batch, time, features] input only; this one has ${x.length} dims.`;

  const dirs = bidirectional ? 2 : 1;
  const gated = GATES[kind] * units;
  const useBias = bool(a, "use_bias", true);
  const countFor = (resetAfter: boolean) => dirs * (input * gated + units * gated + (useBias ? (kind === "GRU" && resetAfter ? 2 : 1) * gated : 0));
  // A Bidirectional records its GRU's units but not reset_after: the parameter count tells.
  let resetAfter = bool(a, "reset_after", true);
  if (kind === "GRU" && a.reset_after === undefined && countFor(true) !== c.layerParams && countFor(false) === c.layerParams) resetAfter = false;
  if (countFor(resetAfter) !== c.layerParams) return `${node.op} '${node.id}' has ${c.layerParams} parameters where its attributes give ${countFor(resetAfter)}; not profiled.`;

  const weights: DirectionWeights[] = [];
  for (let d = 0; d < dirs; d++) {
    const prefix = bidirectional ? (d === 0 ? "forward_" : "backward_") : "";
    const w: DirectionWeights = { wih: c.weight(`${prefix}kernel`, [input, gated]), whh: c.weight(`${prefix}recurrent_kernel`, [units, gated]) };
    if (useBias && kind === "GRU" && resetAfter) {
      const [inBias, hiddenBias] = tf.unstack(c.weight(`${prefix}bias`, [2, gated]), 0);
      Object.assign(w, { inBias: c.derived(inBias), hiddenBias: c.derived(hiddenBias) });
    } else if (useBias) w.inBias = c.weight(`${prefix}bias`, [gated]);
    weights.push(w);
  }
  const cell: Cell = { kind, relu: activation === "relu", resetAfter, updateGateFirst: true };
  const returnSequences = bool(a, "return_sequences", false);
  const goBackwards = bool(a, "go_backwards", false);
  const side = sideOutputsRead(c, kind === "LSTM" ? ["state_h", "state_c"] : ["state_h"]);
  const n = x[0];
  const zeroH = c.derived(tf.zeros([n, units]));
  const zeroC = kind === "LSTM" ? c.derived(tf.zeros([n, units])) : undefined;

  const run = (xs: TfTensor[]): TfTensor[] =>
    tf.tidy(() => {
      const runs = weights.map((w, d) => runDirection(tf, cell, w, xs[0], 1, zeroH, zeroC, d === 1 || goBackwards));
      const outputs = runs.map((r) => (!returnSequences ? r.h : tf.stack(goBackwards && !bidirectional ? [...r.hs].reverse() : r.hs, 1)));
      const y = dirs === 1 ? outputs[0] : merge(tf, mergeMode, outputs[0], outputs[1]);
      return [y, ...side.map((name) => (name === "state_h" ? runs[0].h : runs[0].c!))];
    });
  return side.length === 0 ? (xs: TfTensor[]) => run(xs)[0] : ({ run, side } satisfies MultiRun);
};

function merge(tf: Parameters<Lowering>[0]["tf"], mode: string, fwd: TfTensor, bwd: TfTensor): TfTensor {
  if (mode === "sum") return tf.add(fwd, bwd);
  if (mode === "mul") return tf.mul(fwd, bwd);
  if (mode === "ave") return tf.mul(tf.add(fwd, bwd), 0.5);
  return tf.concat([fwd, bwd], fwd.shape.length - 1);
}
