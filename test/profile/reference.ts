// Plain-JavaScript reference computations (float64 loops over nested arrays) for the profiler's
// composite lowerings: recurrent layers, multi-head attention and normalisation. Written from the
// frameworks' documented formulas, independently of the tfjs ops the lowerings use.

export type Vec = number[];
export type Mat = number[][];

/** v · M for M [in][out]. */
export function vecMat(v: Vec, m: Mat): Vec {
  const out = new Array<number>(m[0].length).fill(0);
  v.forEach((x, i) => m[i].forEach((w, j) => (out[j] += x * w)));
  return out;
}

const add = (a: Vec, b: Vec) => a.map((x, i) => x + b[i]);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface RecurrentWeights {
  /** [in][G·H], [H_out][G·H] (the x·W orientation), biases [G·H], projection [H][proj]. */
  wih: Mat;
  whh: Mat;
  bih: Vec;
  bhh: Vec;
  whr?: Mat;
}

export interface RecurrentResult {
  /** [N][T][dirs·H_out] */
  out: number[][][];
  /** [layers·dirs][N][H_out], [layers·dirs][N][H] */
  hN: number[][][];
  cN: number[][][];
}

/**
 * PyTorch's LSTM / GRU / RNN equations on batch-first input x [N][T][I]; `weights[l][d]`. Gate
 * order: LSTM i, f, g, o; GRU r, z, n. Keras's GRU: `kerasGates` (z, r, h) and, with
 * `resetAfter: false`, the reset gate applied before the candidate's recurrent product.
 */
export function recurrentReference(
  kind: "LSTM" | "GRU" | "RNN",
  x: number[][][],
  weights: RecurrentWeights[][],
  opts: { hidden: number; relu?: boolean; kerasGates?: boolean; resetAfter?: boolean },
): RecurrentResult {
  const H = opts.hidden;
  const hN: number[][][] = [];
  const cN: number[][][] = [];
  let seq = x;
  for (const layer of weights) {
    const outs: number[][][][] = [];
    layer.forEach((w, d) => {
      const outSize = w.whh.length;
      const perBatch = seq.map((xs) => {
        let h = new Array<number>(outSize).fill(0);
        let c = new Array<number>(H).fill(0);
        const ys = new Array<Vec>(xs.length);
        for (let k = 0; k < xs.length; k++) {
          const t = d === 0 ? k : xs.length - 1 - k;
          const xp = add(vecMat(xs[t], w.wih), w.bih);
          const hp = add(vecMat(h, w.whh), w.bhh);
          if (kind === "RNN") h = add(xp, hp).map((v) => (opts.relu ? Math.max(0, v) : Math.tanh(v)));
          else if (kind === "GRU") {
            const [r0, z0] = opts.kerasGates ? [H, 0] : [0, H];
            const r = xp.slice(r0, r0 + H).map((v, j) => sigmoid(v + hp[r0 + j]));
            const z = xp.slice(z0, z0 + H).map((v, j) => sigmoid(v + hp[z0 + j]));
            const candidate =
              opts.resetAfter === false
                ? vecMat(h.map((v, j) => r[j] * v), w.whh).slice(2 * H)
                : hp.slice(2 * H).map((v, j) => r[j] * v);
            const nn = xp.slice(2 * H).map((v, j) => Math.tanh(v + candidate[j]));
            h = nn.map((v, j) => (1 - z[j]) * v + z[j] * h[j]);
          } else {
            const g = add(xp, hp);
            const gate = (k0: number, f: (v: number) => number) => g.slice(k0 * H, (k0 + 1) * H).map(f);
            const [i, f, gg, o] = [gate(0, sigmoid), gate(1, sigmoid), gate(2, Math.tanh), gate(3, sigmoid)];
            c = c.map((cv, j) => f[j] * cv + i[j] * gg[j]);
            h = c.map((cv, j) => o[j] * Math.tanh(cv));
            if (w.whr) h = vecMat(h, w.whr);
          }
          ys[t] = h;
        }
        return { ys, h, c };
      });
      hN.push(perBatch.map((p) => p.h));
      cN.push(perBatch.map((p) => p.c));
      outs.push(perBatch.map((p) => p.ys));
    });
    seq = seq.map((xs, n) => xs.map((_, t) => outs.flatMap((o) => o[n][t])));
  }
  return { out: seq, hN, cN };
}

/** softmax over a vector. */
function softmax(v: Vec): Vec {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((p, x) => p + x, 0);
  return e.map((x) => x / s);
}

/**
 * Multi-head attention on batch-first q [N][L][·], k [N][S][·], v [N][S][·] with projections
 * (x·W + b): per head softmax(Q·Kᵀ / sqrt(d))·V, heads concatenated → [N][L][H·dv], and the
 * weights [N][H][L][S].
 */
export function attentionReference(
  q: number[][][],
  k: number[][][],
  v: number[][][],
  p: { wq: Mat; bq: Vec; wk: Mat; bk: Vec; wv: Mat; bv: Vec; heads: number },
): { out: number[][][]; weights: number[][][][] } {
  const proj = (xs: number[][], w: Mat, b: Vec) => xs.map((x) => add(vecMat(x, w), b));
  const out: number[][][] = [];
  const weights: number[][][][] = [];
  q.forEach((qn, n) => {
    const Q = proj(qn, p.wq, p.bq);
    const K = proj(k[n], p.wk, p.bk);
    const V = proj(v[n], p.wv, p.bv);
    const d = Q[0].length / p.heads;
    const dv = V[0].length / p.heads;
    const perHead: number[][][] = [];
    const rows = Q.map(() => [] as number[]);
    for (let h = 0; h < p.heads; h++) {
      const w = Q.map((qi) => softmax(K.map((kj) => qi.slice(h * d, (h + 1) * d).reduce((s, x, i) => s + x * kj[h * d + i], 0) / Math.sqrt(d))));
      perHead.push(w);
      w.forEach((wi, i) => {
        for (let c = 0; c < dv; c++) rows[i].push(wi.reduce((s, a, j) => s + a * V[j][h * dv + c], 0));
      });
    }
    out.push(rows);
    weights.push(perHead);
  });
  return { out, weights };
}

/** (x - mean) / sqrt(var + eps) over a group of values (population variance). */
export function normalise(xs: Vec, eps: number): Vec {
  const mean = xs.reduce((p, x) => p + x, 0) / xs.length;
  const variance = xs.reduce((p, x) => p + (x - mean) ** 2, 0) / xs.length;
  return xs.map((x) => (x - mean) / Math.sqrt(variance + eps));
}

/** Largest |a - b| over two nested arrays of the same shape. */
export function maxDiff(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return Infinity;
    return a.reduce((m: number, x, i) => Math.max(m, maxDiff(x, b[i])), 0);
  }
  return Infinity;
}

/** Swaps the first two axes of a nested array (seq-first ↔ batch-first). */
export function swap01<T>(x: T[][]): T[][] {
  return x[0].map((_, j) => x.map((row) => row[j]));
}
