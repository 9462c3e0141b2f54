// PyTorch nn.LSTM / nn.GRU / nn.RNN, every layer and direction, batch_first or not, LSTM
// projections (proj_size). Per layer and direction the input projection of all time steps is one
// matmul (x·W_ih + b, as cuDNN does it); then a loop over time steps does h·W_hh and the gates.
// Weights are PyTorch's, per layer and direction, held transposed for x·W: weight_ih [in, G·H],
// weight_hh [H_out, G·H], bias_ih and bias_hh [G·H] (both counted; LSTM and RNN add them once at
// build time, GRU keeps b_hn inside r ⊙ (h·W_hn + b_hn)), weight_hr [H, proj].
// The final states h_n [layers·dirs, N, H_out] (and an LSTM's c_n) are side outputs of the same
// step, stacked only when an h_n / c_n node takes them.

import { type Lowering, type MultiRun, bool, num, sideOutputsRead, str } from "./lower-types";
import { lowerKerasRecurrent } from "./lower-keras-recurrent";
import { type Cell, type DirectionWeights, type Kind, GATES, runDirection } from "./recurrence";
import type { TfTensor } from "./tf-api";


export const lowerRecurrent: Lowering = (c) => {
  const { tf, node } = c;
  const kind = node.op as Kind;
  // Keras's LSTM/GRU share these op names but not PyTorch's attrs or weight layout.
  if (c.framework === "keras") return lowerKerasRecurrent(c);
  const a = node.attrs;
  const input = num(a, "input_size");
  const hidden = num(a, "hidden_size");
  if (input === undefined || hidden === undefined) return `${node.op} does not record input_size and hidden_size; not profiled.`;
  const layers = num(a, "num_layers", 1)!;
  const dirs = bool(a, "bidirectional", false) ? 2 : 1;
  const batchFirst = bool(a, "batch_first", false);
  const hasBias = bool(a, "bias", true);
  const proj = kind === "LSTM" ? num(a, "proj_size", 0)! : 0;
  const nonlinearity = str(a, "nonlinearity");
  if (kind === "RNN" && nonlinearity !== "tanh" && nonlinearity !== "relu") {
    return `RNN does not record its nonlinearity (tanh or relu): the IR node has no 'nonlinearity' attribute, so it is not profiled.`;
  }
  const x = c.inBuilt[0];
  if (x.length !== 3) return `${node.op} is profiled on batched (3-D) input only; this one has ${x.length} dims.`;
  const out = proj || hidden;
  const gated = GATES[kind] * hidden;
  const n = batchFirst ? x[0] : x[1];
  const timeAxis = batchFirst ? 1 : 0;

  const weights: DirectionWeights[][] = [];
  let count = 0;
  const weight = (name: string, shape: number[]) => {
    count += shape.reduce((p, d) => p * d, 1);
    return c.weight(name, shape);
  };
  for (let l = 0; l < layers; l++) {
    const inSize = l === 0 ? input : out * dirs;
    const perLayer: DirectionWeights[] = [];
    for (let d = 0; d < dirs; d++) {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      const w: DirectionWeights = { wih: weight(`weight_ih${sfx}`, [inSize, gated]), whh: weight(`weight_hh${sfx}`, [out, gated]) };
      if (hasBias) {
        const bih = weight(`bias_ih${sfx}`, [gated]);
        const bhh = weight(`bias_hh${sfx}`, [gated]);
        if (kind === "GRU") Object.assign(w, { inBias: bih, hiddenBias: bhh });
        else w.inBias = c.derived(tf.add(bih, bhh));
      }
      if (proj > 0) w.whr = weight(`weight_hr${sfx}`, [hidden, proj]);
      perLayer.push(w);
    }
    weights.push(perLayer);
  }
  if (count !== c.layerParams) return `${node.op} '${node.id}' has ${c.layerParams} parameters where its attributes give ${count}; not profiled.`;

  const side = sideOutputsRead(c, kind === "LSTM" ? ["h_n", "c_n"] : ["h_n"]);
  const cell: Cell = { kind, relu: nonlinearity === "relu" };
  // Initial states: the node's h_0 (and c_0) inputs when given, else zeros.
  const zeroH = c.derived(tf.zeros([n, out]));
  const zeroC = kind === "LSTM" ? c.derived(tf.zeros([n, hidden])) : undefined;

  const run = (xs: TfTensor[]): TfTensor[] =>
    tf.tidy(() => {
      const h0 = xs.length > 1 ? tf.unstack(xs[1], 0) : undefined;
      const c0 = kind === "LSTM" && xs.length > 2 ? tf.unstack(xs[2], 0) : undefined;
      const finalH: TfTensor[] = [];
      const finalC: TfTensor[] = [];
      let seq = xs[0];
      for (let l = 0; l < layers; l++) {
        const outputs: TfTensor[] = [];
        for (let d = 0; d < dirs; d++) {
          const h = h0?.[l * dirs + d] ?? zeroH;
          const cst = kind === "LSTM" ? (c0?.[l * dirs + d] ?? zeroC) : undefined;
          const r = runDirection(tf, cell, weights[l][d], seq, timeAxis, h, cst, d === 1);
          outputs.push(tf.stack(r.hs, timeAxis));
          finalH.push(r.h);
          if (r.c) finalC.push(r.c);
        }
        seq = dirs === 2 ? tf.concat(outputs, 2) : outputs[0];
      }
      const values = [seq];
      for (const name of side) values.push(tf.stack(name === "h_n" ? finalH : finalC, 0));
      return values;
    });
  return side.length === 0 ? (xs: TfTensor[]) => run(xs)[0] : ({ run, side } satisfies MultiRun);
};
