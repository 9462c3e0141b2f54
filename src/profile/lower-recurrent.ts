// PyTorch nn.LSTM / nn.GRU / nn.RNN, every layer and direction, batch_first or not, LSTM
// projections (proj_size). Per layer and direction the input projection of all time steps is one
// matmul (x·W_ih + b, as cuDNN does it); then a loop over time steps does h·W_hh and the gates.
// Weights are PyTorch's, per layer and direction, held transposed for x·W: weight_ih [in, G·H],
// weight_hh [H_out, G·H], bias_ih and bias_hh [G·H] (both counted; LSTM and RNN add them once at
// build time, GRU keeps b_hn inside r ⊙ (h·W_hn + b_hn)), weight_hr [H, proj].
// The final states h_n [layers·dirs, N, H_out] (and an LSTM's c_n) are side outputs of the same
// step, stacked only when an h_n / c_n node takes them.

import { type Lowering, type MultiRun, bool, num, sideOutputsRead, str } from "./lower-types";
import type { Tf, TfTensor } from "./tf-api";

type Kind = "LSTM" | "GRU" | "RNN";
const GATES: Record<Kind, number> = { LSTM: 4, GRU: 3, RNN: 1 };

interface DirectionWeights {
  wih: TfTensor;
  whh: TfTensor;
  /** Added to x·W_ih: b_ih + b_hh (LSTM, RNN) or b_ih (GRU). */
  inBias?: TfTensor;
  /** GRU's b_hh, added to h·W_hh. */
  hiddenBias?: TfTensor;
  whr?: TfTensor;
}

interface Cell {
  kind: Kind;
  relu: boolean;
}

/** One time step: gates from the input projection `xp` [N, G·H] and the state; returns the new state. */
function step(tf: Tf, cell: Cell, w: DirectionWeights, xp: TfTensor, h: TfTensor, cst: TfTensor | undefined): { h: TfTensor; c?: TfTensor } {
  if (cell.kind === "RNN") {
    const pre = tf.add(xp, tf.matMul(h, w.whh));
    return { h: cell.relu ? tf.relu(pre) : tf.tanh(pre) };
  }
  if (cell.kind === "GRU") {
    let hp = tf.matMul(h, w.whh);
    if (w.hiddenBias) hp = tf.add(hp, w.hiddenBias);
    const [xr, xz, xn] = tf.split(xp, 3, 1);
    const [hr, hz, hn] = tf.split(hp, 3, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const z = tf.sigmoid(tf.add(xz, hz));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    // (1 - z) ⊙ n + z ⊙ h = n + z ⊙ (h - n)
    return { h: tf.add(n, tf.mul(z, tf.sub(h, n))) };
  }
  const [i, f, g, o] = tf.split(tf.add(xp, tf.matMul(h, w.whh)), 4, 1);
  const c = tf.add(tf.mul(tf.sigmoid(f), cst!), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  let hNext = tf.mul(tf.sigmoid(o), tf.tanh(c));
  if (w.whr) hNext = tf.matMul(hNext, w.whr);
  return { h: hNext, c };
}

export const lowerRecurrent: Lowering = (c) => {
  const { tf, node } = c;
  const kind = node.op as Kind;
  // Keras's LSTM/GRU share these op names but not PyTorch's attrs or weight layout (one fused bias,
  // GRU's reset_after), so reading them as PyTorch layers would build the wrong weights.
  if (c.framework === "keras") return `Keras ${node.op} layers are not profiled yet (this lowering follows PyTorch's weight layout).`;
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
  const [n, steps] = batchFirst ? [x[0], x[1]] : [x[1], x[0]];
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
          const w = weights[l][d];
          const width = seq.shape[2];
          const flat = tf.matMul(tf.reshape(seq, [-1, width]), w.wih);
          const xp = tf.unstack(tf.reshape(w.inBias ? tf.add(flat, w.inBias) : flat, [seq.shape[0], seq.shape[1], gated]), timeAxis);
          let h = h0?.[l * dirs + d] ?? zeroH;
          let cst = kind === "LSTM" ? (c0?.[l * dirs + d] ?? zeroC) : undefined;
          const hs = new Array<TfTensor>(steps);
          for (let k = 0; k < steps; k++) {
            const t = d === 0 ? k : steps - 1 - k;
            const next = step(tf, cell, w, xp[t], h, cst);
            h = next.h;
            cst = next.c;
            hs[t] = h;
          }
          outputs.push(tf.stack(hs, timeAxis));
          finalH.push(h);
          if (cst) finalC.push(cst);
        }
        seq = dirs === 2 ? tf.concat(outputs, 2) : outputs[0];
      }
      const values = [seq];
      for (const name of side) values.push(tf.stack(name === "h_n" ? finalH : finalC, 0));
      return values;
    });
  return side.length === 0 ? (xs: TfTensor[]) => run(xs)[0] : ({ run, side } satisfies MultiRun);
};
