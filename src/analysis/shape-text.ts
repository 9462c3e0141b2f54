// Shapes compared as their printed text: what `a.join() === b.join()` says, without building strings.

import type { Shape } from "../ir/types";

/** Whether `a.join() === b.join()`: null prints as "", so [] and [null] print alike. */
export function sameShapeText(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return a.join() === b.join();
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && joinText(x) !== joinText(y)) return false; // NaN and null-vs-undefined still print alike
  }
  return true;
}

function joinText(d: unknown): string {
  return d === null || d === undefined ? "" : String(d);
}
