// Pure shape arithmetic for the PyTorch stubs, following the formulas in PyTorch's documentation.
// Unknown dimensions are null and stay null through any formula that depends on them.

import type { Dim, Shape } from "../../ir/types";

/** `[1, 64, 56, 56]`, with `?` for unknown dimensions. */
export function formatShape(s: Shape | null): string {
  if (!s) return "[?]";
  return "[" + s.map((d) => (d === null ? "?" : String(d))).join(", ") + "]";
}

/** Product of the dimensions; unknown dimensions count as 1 (MACs are then per unknown unit). */
export function numelOf(s: Shape): number {
  let n = 1;
  for (const d of s) n *= d ?? 1;
  return n;
}

/** True when every dimension is known. */
export function isKnown(s: Shape): s is number[] {
  return s.every((d) => d !== null);
}

/** Normalises a possibly negative dimension index; undefined when out of range. */
export function normDim(dim: number, rank: number): number | undefined {
  const d = dim < 0 ? dim + rank : dim;
  return d >= 0 && d < rank ? d : undefined;
}

const lift = (f: (...xs: number[]) => number) => (...xs: Dim[]): Dim =>
  xs.some((x) => x === null) ? null : f(...(xs as number[]));

/** Conv / max-pool output length: floor((L + 2p - d(k-1) - 1) / s + 1). */
export const convOut = lift((len, k, s, p, d) => Math.floor((len + 2 * p - d * (k - 1) - 1) / s + 1));

/** ConvTranspose output length: (L-1)s - 2p + d(k-1) + output_padding + 1. */
export const convTransposeOut = lift((len, k, s, p, d, op) => (len - 1) * s - 2 * p + d * (k - 1) + op + 1);

/**
 * Pooling output length. With ceil_mode the division rounds up, but PyTorch drops a last window
 * that would start entirely inside the right padding.
 */
export function poolOut(len: Dim, k: number, s: number, p: number, d: number, ceil: boolean): Dim {
  if (len === null) return null;
  const span = len + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= len + p) out--;
  return out;
}

import { broadcastShapes } from "../broadcast";

export { broadcastShapes };

/**
 * Resolves a `view`/`reshape` target with at most one -1. Returns a message when it cannot work.
 */
export function inferReshape(input: Shape, target: number[]): Shape | string {
  const minus = target.filter((d) => d === -1).length;
  if (minus > 1) return "only one dimension can be inferred (-1)";
  const total = isKnown(input) ? input.reduce((x, y) => x * y, 1) : null;
  const known = target.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
  if (minus === 0) {
    if (total !== null && total !== known) return `shape ${formatShape(target)} is invalid for input of size ${total}`;
    return [...target];
  }
  if (total === null) {
    // An unknown batch often survives `view(B, -1)`-style reshapes: infer from the known trailing part.
    const out: Shape = target.map((d) => (d === -1 ? null : d));
    return out;
  }
  if (known === 0 || total % known !== 0) return `shape ${formatShape(target)} is invalid for input of size ${total}`;
  return target.map((d) => (d === -1 ? total / known : d));
}

/** `flatten(start_dim, end_dim)`; a 0-d input becomes 1-d. */
export function flattenShape(s: Shape, start: number, end: number): Shape | string {
  if (s.length === 0) return [1];
  const a = normDim(start, s.length);
  const b = normDim(end, s.length);
  if (a === undefined || b === undefined) return `dimension out of range for a tensor of rank ${s.length}`;
  if (a > b) return "flatten() has invalid args: start_dim cannot come after end_dim";
  const mid = s.slice(a, b + 1);
  const merged = mid.some((d) => d === null) ? null : (mid as number[]).reduce((x, y) => x * y, 1);
  return [...s.slice(0, a), merged, ...s.slice(b + 1)];
}

/** torch.matmul shape and MAC count; a message when the inner dimensions disagree. */
export function matmulShape(a: Shape, b: Shape): { shape: Shape; macs: number } | string {
  if (a.length === 0 || b.length === 0) return "both arguments to matmul need to be at least 1D";
  const aa = a.length === 1 ? [1, a[0]] : a;
  const bb = b.length === 1 ? [b[0], 1] : b;
  const m = aa[aa.length - 2];
  const k1 = aa[aa.length - 1];
  const k2 = bb[bb.length - 2];
  const n = bb[bb.length - 1];
  if (k1 !== null && k2 !== null && k1 !== k2) {
    return `mat1 and mat2 shapes cannot be multiplied (${formatShape(a)} and ${formatShape(b)})`;
  }
  const batch = broadcastShapes(aa.slice(0, -2), bb.slice(0, -2));
  if (!batch) return `batch dimensions ${formatShape(a)} and ${formatShape(b)} do not broadcast`;
  const out: Shape = [...batch];
  if (a.length > 1) out.push(m);
  if (b.length > 1) out.push(n);
  const k = k1 ?? k2 ?? 1;
  const macs = numelOf(batch) * (m ?? 1) * (n ?? 1) * k;
  return { shape: out, macs };
}
