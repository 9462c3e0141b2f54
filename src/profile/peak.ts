// The backend's measured roof: GFLOP/s of one large square matmul on the same backend, so each
// layer's achieved GFLOP/s can be read against what the backend can do at best. The size doubles
// from 256 until one multiply takes long enough to time well (or 2048), keeping slow backends fast.
// "Long enough" depends on the clock: a synchronous backend's 10 ms multiply is timed as well as a
// long one (and a 512 matmul stays in cache, as the layers' tiles do), while a GPU read-back needs
// 25 ms to be amortised.

import { median } from "./stats";
import type { Tf, TfTensor } from "./tf-api";

export interface PeakOptions {
  /** Forces completion (read-back) on asynchronous backends; omitted on synchronous ones. */
  finish?: (t: TfTensor) => void | Promise<void>;
  now?: () => number;
  /** Stop growing once one multiply takes this long (ms); default 25. */
  targetMs?: number;
  /** Timed multiplies at the final size (median); default 3. */
  samples?: number;
  maxSize?: number;
}

export interface Peak {
  gflops: number;
  size: number;
  medianMs: number;
}

export async function measurePeak(tf: Tf, opts: PeakOptions = {}): Promise<Peak> {
  const now = opts.now ?? (() => performance.now());
  const targetMs = opts.targetMs ?? 25;
  const maxSize = opts.maxSize ?? 2048;
  let n = 256;
  for (;;) {
    const a = tf.randomUniform([n, n], -1, 1);
    const b = tf.randomUniform([n, n], -1, 1);
    try {
      const once = async (): Promise<number> => {
        const t0 = now();
        const c = tf.matMul(a, b);
        await opts.finish?.(c);
        const ms = now() - t0;
        c.dispose();
        return ms;
      };
      await once(); // warm-up: kernel compilation, buffer allocation
      const samples: number[] = [];
      for (let i = 0; i < (opts.samples ?? 3); i++) samples.push(await once());
      const ms = median(samples);
      if (ms >= targetMs || n >= maxSize) return { gflops: (2 * n * n * n) / (ms * 1e6), size: n, medianMs: ms };
    } finally {
      a.dispose();
      b.dispose();
    }
    n *= 2;
  }
}
