// Shape arithmetic of numpy's n-d arrays, for arrays whose shape the analyzer knows but whose values
// it does not (np.zeros((2708, 1433)), np.random.rand(8, 4)): broadcasting, reshape with -1,
// indexing, reductions over an axis, and stacking. Every dim is a known number; errors are numpy's.

import { sliceBounds } from "./sequences";
import { type PySlice, PyException } from "./values";

export type ArrayShape = number[];

export const formatArrayShape = (s: ArrayShape): string => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

export const sizeOf = (s: ArrayShape): number => s.reduce((p, d) => p * d, 1);

/** numpy's broadcast of two shapes, aligned at the right; a dim of 1 stretches. */
export function broadcastArrayShapes(a: ArrayShape, b: ArrayShape): ArrayShape {
  const n = Math.max(a.length, b.length);
  const out: ArrayShape = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new PyException("ValueError", `operands could not be broadcast together with shapes ${formatArrayShape(a)} ${formatArrayShape(b)}`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** An axis argument (negative counts from the end) checked against `ndim`. */
export function normAxis(axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= ndim) throw new PyException("ValueError", `axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return a;
}

/** The target of `a.reshape(...)`: at most one -1, inferred from the size, which must match. */
export function reshapeTo(from: ArrayShape, to: number[]): ArrayShape {
  const size = sizeOf(from);
  const free = to.filter((d) => d === -1).length;
  if (free > 1) throw new PyException("ValueError", "can only specify one unknown dimension");
  const known = to.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const out = to.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (out.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(out) !== size) {
    throw new PyException("ValueError", `cannot reshape array of size ${size} into shape ${formatArrayShape(to)}`);
  }
  return out;
}

/** The shape after reducing over `axis` (all axes when undefined, giving a scalar's shape []). */
export function reducedShape(shape: ArrayShape, axis: number | number[] | undefined, keepdims: boolean): ArrayShape {
  const axes = axis === undefined ? shape.map((_, i) => i) : (Array.isArray(axis) ? axis : [axis]).map((a) => normAxis(a, shape.length));
  if (keepdims) return shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return shape.filter((_, i) => !axes.includes(i));
}

/** `np.transpose(a, axes)`: the dims in the order `axes` names them (reversed without axes). */
export function transposedShape(shape: ArrayShape, axes?: number[]): ArrayShape {
  if (!axes) return shape.slice().reverse();
  if (axes.length !== shape.length) throw new PyException("ValueError", "axes don't match array");
  const norm = axes.map((a) => normAxis(a, shape.length));
  if (new Set(norm).size !== norm.length) throw new PyException("ValueError", "repeated axis in transpose");
  return norm.map((a) => shape[a]);
}

/** `np.expand_dims(a, axis)`: a 1 inserted at each axis of the result. */
export function expandedShape(shape: ArrayShape, axes: number[]): ArrayShape {
  const ndim = shape.length + axes.length;
  const at = axes.map((a) => normAxis(a, ndim));
  if (new Set(at).size !== at.length) throw new PyException("ValueError", "repeated axis");
  const rest = shape.slice();
  return Array.from({ length: ndim }, (_, i) => (at.includes(i) ? 1 : rest.shift()!));
}

/** `np.squeeze(a, axis)`: the 1s at `axis` (all 1s without one) taken out. */
export function squeezedShape(shape: ArrayShape, axis?: number[]): ArrayShape {
  if (!axis) return shape.filter((d) => d !== 1);
  const at = axis.map((a) => normAxis(a, shape.length));
  for (const a of at) if (shape[a] !== 1) throw new PyException("ValueError", "cannot select an axis to squeeze out which has size not equal to one");
  return shape.filter((_, i) => !at.includes(i));
}

/** `np.concatenate(arrays, axis)`: equal shapes but along `axis`, which adds up. */
export function concatenatedShape(shapes: ArrayShape[], axis: number): ArrayShape {
  if (shapes.length === 0) throw new PyException("ValueError", "need at least one array to concatenate");
  const first = shapes[0];
  if (first.length === 0) throw new PyException("ValueError", "zero-dimensional arrays cannot be concatenated");
  const ax = normAxis(axis, first.length);
  for (const [i, s] of shapes.entries()) {
    if (s.length !== first.length) {
      throw new PyException("ValueError", `all the input array dimensions except for the concatenation axis must match exactly, but array at index 0 has ${first.length} dimension(s) and the array at index ${i} has ${s.length} dimension(s)`);
    }
    const d = s.findIndex((x, j) => j !== ax && x !== first[j]);
    if (d >= 0) {
      throw new PyException("ValueError", `all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${first[d]} and the array at index ${i} has size ${s[d]}`);
    }
  }
  return first.map((d, j) => (j === ax ? shapes.reduce((p, s) => p + s[j], 0) : d));
}

/** `np.stack(arrays, axis)`: equal shapes, with a new axis of their count. */
export function stackedShape(shapes: ArrayShape[], axis: number): ArrayShape {
  if (shapes.length === 0) throw new PyException("ValueError", "need at least one array to stack");
  const first = shapes[0];
  if (shapes.some((s) => s.length !== first.length || s.some((d, i) => d !== first[i]))) throw new PyException("ValueError", "all input arrays must have the same shape");
  const ax = normAxis(axis, first.length + 1);
  return [...first.slice(0, ax), shapes.length, ...first.slice(ax)];
}

/** numpy's matmul of two shapes (1-D operands are promoted and the added dim dropped again). */
export function matmulShape(a: ArrayShape, b: ArrayShape): ArrayShape {
  if (a.length === 0 || b.length === 0) throw new PyException("ValueError", "matmul: Input operand does not have enough dimensions");
  const x = a.length === 1 ? [1, a[0]] : a;
  const y = b.length === 1 ? [b[0], 1] : b;
  if (x[x.length - 1] !== y[y.length - 2]) {
    throw new PyException("ValueError", `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size ${y[y.length - 2]} is different from ${x[x.length - 1]})`);
  }
  const batch = broadcastArrayShapes(x.slice(0, -2), y.slice(0, -2));
  return [...batch, ...(a.length === 1 ? [] : [x[x.length - 2]]), ...(b.length === 1 ? [] : [y[y.length - 1]])];
}

/** One item of an index: an int drops its dim, a slice keeps part of it, None adds a 1, ... fills. */
export type IndexItem = { kind: "int"; v: number } | PySlice | { kind: "none" } | { kind: "ellipsis" };

/** The shape of `a[index]` for basic indexing (ints, slices, None, one Ellipsis). */
export function indexedShape(shape: ArrayShape, items: IndexItem[]): ArrayShape {
  const consumed = items.filter((i) => i.kind === "int" || i.kind === "slice").length;
  if (consumed > shape.length) {
    throw new PyException("IndexError", `too many indices for array: array is ${shape.length}-dimensional, but ${consumed} were indexed`);
  }
  const out: ArrayShape = [];
  let axis = 0;
  for (const it of items) {
    if (it.kind === "ellipsis") for (let n = shape.length - consumed; n > 0; n--) out.push(shape[axis++]);
    else if (it.kind === "none") out.push(1);
    else if (it.kind === "int") {
      const d = shape[axis];
      if (it.v < -d || it.v >= d) throw new PyException("IndexError", `index ${it.v} is out of bounds for axis ${axis} with size ${d}`);
      axis++;
    } else {
      const [start, stop, step] = sliceBounds(it, shape[axis++]);
      out.push(Math.max(0, Math.ceil((stop - start) / step)));
    }
  }
  while (axis < shape.length) out.push(shape[axis++]);
  return out;
}
