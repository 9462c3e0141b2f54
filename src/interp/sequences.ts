// Python sequence semantics shared by the interpreter's parts: identity, ranges, indices, slices.

import { type Value, PyException, unknownCode } from "./values";

export function isSame(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.kind === "none" || b.kind === "none") return a.kind === b.kind;
  if (a.kind === "bool" && b.kind === "bool") return a.v === b.v;
  if ((a.kind === "int" && b.kind === "int") || (a.kind === "str" && b.kind === "str")) return a.v === b.v;
  if (a.kind === "ellipsis" && b.kind === "ellipsis") return true;
  return false;
}

export function rangeLength(r: { start: number; stop: number; step: number }): number {
  if (r.step > 0) return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  return Math.max(0, Math.ceil((r.start - r.stop) / -r.step));
}

export function normIndex(i: number, n: number): number {
  return i < 0 ? i + n : i;
}

export function sliceBounds(s: { start: Value; stop: Value; step: Value }, n: number): [number, number, number] {
  const num = (v: Value): number | undefined => {
    if (v.kind === "none") return undefined;
    if (v.kind === "int" || v.kind === "bool") return +v.v;
    if (v.kind === "unknown") throw new PyException("ValueError", `A slice bound depends on a value the analyzer cannot know (${v.why})`, undefined, unknownCode(v));
    throw new PyException("TypeError", "slice indices must be integers or None");
  };
  const step = num(s.step) ?? 1;
  if (step === 0) throw new PyException("ValueError", "slice step cannot be zero");
  const clamp = (v: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (v === undefined) return dflt;
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  if (step > 0) return [clamp(num(s.start), 0, 0, n), clamp(num(s.stop), n, 0, n), step];
  return [clamp(num(s.start), n - 1, -1, n - 1), clamp(num(s.stop), -1, -1, n - 1), step];
}

export function sliceItems<T>(items: T[], s: { start: Value; stop: Value; step: Value }): T[] {
  const [start, stop, step] = sliceBounds(s, items.length);
  const out: T[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]);
  else for (let i = start; i > stop; i += step) out.push(items[i]);
  return out;
}

