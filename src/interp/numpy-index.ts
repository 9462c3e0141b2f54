// Indexing ndarrays (numpy-data.ts): a Vector's ints and slices read its numbers, as before n-d
// arrays existed; anything else (tuples of ints, slices, None and Ellipsis, one int index array)
// gives numpy's result shape, an array known by its shape or, for a single element, a number.
// Assignment keeps a Vector's numbers where it can and otherwise forgets them.

import { type ArrayData, type ShapedArray, type Vector, asShaped, elementOf, elementValue, hasValues, shaped, shapeOfData } from "./numpy-data";
import { type ArrayShape, type IndexItem, formatArrayShape, indexedShape } from "./numpy-shapes";
import { normIndex, sliceBounds, sliceItems } from "./sequences";
import { type NativeContext, type Value, PyException, derivedUnknown, unknown } from "./values";

/** What an ndarray operand of an index or assignment holds, when it is one. */
export type ArrayOf = (v: Value) => ArrayData | undefined;

const isPlainIndex = (v: Value): boolean => v.kind === "int" || v.kind === "slice";

/** `a[k]`: a number, an unknown number, or the data of the resulting array. */
export function indexData(ctx: NativeContext, d: ArrayData, k: Value, arrayOf: ArrayOf): Value | ArrayData {
  const items = k.kind === "tuple" ? k.items : [k];
  const plain = items.filter((i) => i.kind !== "ellipsis");
  if (hasValues(d) && k.kind !== "tuple") return vectorItem(ctx, d, k);
  if (hasValues(d) && plain.length === 1 && isPlainIndex(plain[0]) && items.length - plain.length <= 1) return vectorItem(ctx, d, plain[0]);
  const s = asShaped(d);
  const parsed: IndexItem[] = [];
  let advanced: { at: number; shape: ArrayShape } | undefined;
  for (const it of items) {
    if (it.kind === "int" || it.kind === "slice" || it.kind === "none" || it.kind === "ellipsis") parsed.push(it);
    else if (it.kind === "unknown") return derivedUnknown(it, `a numpy array indexed by ${it.why}`);
    else {
      const idx = intIndexShape(ctx, it, arrayOf);
      if (!idx || advanced) return unknown(`a numpy array of shape ${formatArrayShape(s.shape)} indexed by ${ctx.repr(it)}, whose result depends on values the analyzer does not know`);
      advanced = { at: parsed.length, shape: idx };
      parsed.push({ kind: "int", v: 0 }); // stands for the index array's axis; its dims are put back below
    }
  }
  let shape = indexedShape(s.shape, parsed);
  if (advanced) {
    // One index array: its dims take the place of the axis it indexes (numpy's rule for a single one).
    const before = parsed.slice(0, advanced.at);
    const at = before.reduce((n, it) => n + (it.kind === "int" ? 0 : it.kind === "ellipsis" ? s.shape.length - parsed.filter((p) => p.kind === "int" || p.kind === "slice").length : 1), 0);
    shape = [...shape.slice(0, at), ...advanced.shape, ...shape.slice(at)];
  }
  if (shape.length === 0) return elementOf(s);
  return shaped(shape, s.integral, s.dtype, s.fill);
}

/** The shape of an integer index array (an int ndarray or a list of ints); undefined for masks and the rest. */
function intIndexShape(ctx: NativeContext, v: Value, arrayOf: ArrayOf): ArrayShape | undefined {
  const a = arrayOf(v);
  if (a) return a.integral && a.dtype !== "bool" ? shapeOfData(a) : undefined;
  if (v.kind !== "list") return undefined;
  const items = ctx.iterate(v);
  return items.every((x) => x.kind === "int") ? [items.length] : undefined;
}

/** A Vector's item or slice, as before n-d arrays existed. */
function vectorItem(ctx: NativeContext, v: Vector, k: Value): Value | ArrayData {
  if (k.kind === "slice") return { ...v, data: sliceItems(v.data, k) };
  if (k.kind === "none") return shaped([1, v.data.length], v.integral, v.dtype);
  const i = normIndex(indexNumber(k), v.data.length);
  if (!Number.isInteger(i) || i < 0 || i >= v.data.length) throw new PyException("IndexError", `index ${ctx.repr(k)} is out of bounds for axis 0 with size ${v.data.length}`);
  return elementValue(v.data[i], v);
}

function indexNumber(k: Value): number {
  if (k.kind === "int" || k.kind === "float") return k.v;
  if (k.kind === "bool") return k.v ? 1 : 0;
  if (k.kind === "unknown") throw new PyException("ValueError", `ndarray index of a value the analyzer cannot know (${k.why})`, undefined, k.reported ? "follow-on" : "unknown-value");
  throw new PyException("IndexError", "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices");
}

/**
 * `a[k] = value`: the data `a` holds afterwards. A Vector keeps its numbers when an int or a slice
 * gets known numbers; any other assignment leaves it known by its shape only, and a shape-only array
 * keeps its one number only when that number is assigned.
 */
export function assignData(ctx: NativeContext, d: ArrayData, k: Value, value: Value, arrayOf: ArrayOf): ArrayData {
  const numbers = knownNumbers(ctx, value, arrayOf);
  if (hasValues(d) && numbers) {
    if (k.kind === "int" || k.kind === "bool") {
      const i = normIndex(indexNumber(k), d.data.length);
      if (i < 0 || i >= d.data.length) throw new PyException("IndexError", `index ${ctx.repr(k)} is out of bounds for axis 0 with size ${d.data.length}`);
      if (numbers.length === 1) {
        d.data[i] = d.integral ? Math.trunc(numbers[0]) : numbers[0];
        return d;
      }
    } else if (k.kind === "slice") {
      const [start, stop, step] = sliceBounds(k, d.data.length);
      const at: number[] = [];
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) at.push(i);
      if (numbers.length === 1 || numbers.length === at.length) {
        at.forEach((i, j) => (d.data[i] = numbers[numbers.length === 1 ? 0 : j]));
        if (d.integral) for (const i of at) d.data[i] = Math.trunc(d.data[i]);
        return d;
      }
    }
  }
  const s: ShapedArray = { ...asShaped(d) };
  if (!(numbers?.length === 1 && numbers[0] === s.fill)) delete s.fill;
  return s;
}

/** The numbers a value assigned into an array carries, when it is a number, a Vector or a flat list of numbers. */
function knownNumbers(ctx: NativeContext, v: Value, arrayOf: ArrayOf): number[] | undefined {
  if (v.kind === "int" || v.kind === "float") return [v.v];
  if (v.kind === "bool") return [v.v ? 1 : 0];
  const a = arrayOf(v);
  if (a) return hasValues(a) ? a.data.slice() : a.fill !== undefined && a.shape.length === 0 ? [a.fill] : undefined;
  if (v.kind !== "list" && v.kind !== "tuple") return undefined;
  const items = ctx.iterate(v);
  return items.every((x) => x.kind === "int" || x.kind === "float") ? items.map((x) => (x as { v: number }).v) : undefined;
}
