// Elementwise broadcasting, shared by the PyTorch and Keras stubs (NumPy rules, aligned from the right).

import type { Shape } from "../ir/types";

/**
 * Broadcast shape of `a` and `b`; undefined when incompatible. A null (unknown) dim is compatible with
 * anything, as Keras assumes for its batch dimension.
 */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  const n = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < n; i++) {
    const x = i < n - a.length ? 1 : a[i - (n - a.length)];
    const y = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === null) out.push(y);
    else if (y === null) out.push(x);
    else if (x === y) out.push(x);
    else return undefined;
  }
  return out;
}
