// The recurrence PyTorch's and Keras's RNN layers share once their weights are built: one direction
// over a sequence, with the input projection of every time step as one matmul (x·W + b, as cuDNN
// does it), then a loop over the steps doing h·U and the gates. Weights are held for x·W:
// input kernel [in, G·H], recurrent kernel [H_out, G·H].

import type { Tf, TfTensor } from "./tf-api";

export type Kind = "LSTM" | "GRU" | "RNN";
export const GATES: Record<Kind, number> = { LSTM: 4, GRU: 3, RNN: 1 };

export interface DirectionWeights {
  wih: TfTensor;
  whh: TfTensor;
  /** Added to x·W_ih: b_ih + b_hh (LSTM, RNN) or b_ih (GRU). */
  inBias?: TfTensor;
  /** GRU's recurrent bias, added to h·W_hh. */
  hiddenBias?: TfTensor;
  /** LSTM projection (PyTorch proj_size). */
  whr?: TfTensor;
}

export interface Cell {
  kind: Kind;
  relu: boolean;
  /**
   * GRU only: false applies the reset gate before the candidate's recurrent matmul, (r ⊙ h)·U_h
   * (Keras reset_after=False); true after it, r ⊙ (h·U_h + b) (PyTorch, Keras's default).
   */
  resetAfter?: boolean;
  /** GRU only: gate columns z, r, h (Keras) instead of r, z, n (PyTorch). */
  updateGateFirst?: boolean;
}

/** One time step: gates from the input projection `xp` [N, G·H] and the state; returns the new state. */
function step(tf: Tf, cell: Cell, w: DirectionWeights, xp: TfTensor, h: TfTensor, cst: TfTensor | undefined): { h: TfTensor; c?: TfTensor } {
  if (cell.kind === "RNN") {
    const pre = tf.add(xp, tf.matMul(h, w.whh));
    return { h: cell.relu ? tf.relu(pre) : tf.tanh(pre) };
  }
  if (cell.kind === "GRU") {
    const [xa, xb, xn] = tf.split(xp, 3, 1);
    const [xr, xz] = cell.updateGateFirst ? [xb, xa] : [xa, xb];
    let n: TfTensor;
    let r: TfTensor;
    let z: TfTensor;
    if (cell.resetAfter === false) {
      const units = h.shape[1];
      const [ua, ub, un] = tf.split(w.whh, [units, units, units], 1);
      const [ur, uz] = cell.updateGateFirst ? [ub, ua] : [ua, ub];
      r = tf.sigmoid(tf.add(xr, tf.matMul(h, ur)));
      z = tf.sigmoid(tf.add(xz, tf.matMul(h, uz)));
      n = tf.tanh(tf.add(xn, tf.matMul(tf.mul(r, h), un)));
    } else {
      let hp = tf.matMul(h, w.whh);
      if (w.hiddenBias) hp = tf.add(hp, w.hiddenBias);
      const [ha, hb, hn] = tf.split(hp, 3, 1);
      const [hr, hz] = cell.updateGateFirst ? [hb, ha] : [ha, hb];
      r = tf.sigmoid(tf.add(xr, hr));
      z = tf.sigmoid(tf.add(xz, hz));
      n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    }
    // (1 - z) ⊙ n + z ⊙ h = n + z ⊙ (h - n)
    return { h: tf.add(n, tf.mul(z, tf.sub(h, n))) };
  }
  const [i, f, g, o] = tf.split(tf.add(xp, tf.matMul(h, w.whh)), 4, 1);
  const c = tf.add(tf.mul(tf.sigmoid(f), cst!), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  let hNext = tf.mul(tf.sigmoid(o), tf.tanh(c));
  if (w.whr) hNext = tf.matMul(hNext, w.whr);
  return { h: hNext, c };
}

/**
 * One direction over `seq` (3-D, time on `timeAxis`), from state `h` (and an LSTM's `c`); `backwards`
 * runs the steps from the last. `hs[t]` is the state after the step at time t, so stacking `hs`
 * gives the output sequence in time order whichever way it ran.
 */
export function runDirection(
  tf: Tf,
  cell: Cell,
  w: DirectionWeights,
  seq: TfTensor,
  timeAxis: number,
  h: TfTensor,
  c: TfTensor | undefined,
  backwards: boolean,
): { hs: TfTensor[]; h: TfTensor; c?: TfTensor } {
  const gated = w.wih.shape[1];
  const flat = tf.matMul(tf.reshape(seq, [-1, seq.shape[2]]), w.wih);
  const xp = tf.unstack(tf.reshape(w.inBias ? tf.add(flat, w.inBias) : flat, [seq.shape[0], seq.shape[1], gated]), timeAxis);
  const steps = xp.length;
  const hs = new Array<TfTensor>(steps);
  for (let k = 0; k < steps; k++) {
    const t = backwards ? steps - 1 - k : k;
    const next = step(tf, cell, w, xp[t], h, c);
    h = next.h;
    c = next.c;
    hs[t] = h;
  }
  return { hs, h, c };
}
