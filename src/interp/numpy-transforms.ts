// What numpy's reshaping, reducing and combining functions make of an array's data
// (numpy-data.ts): a Vector keeps its numbers where the result is still one-dimensional, anything
// else is known by its shape alone. Shared by the ndarray methods and the numpy functions.

import { type ArrayData, type ShapedArray, REDUCTIONS, argBest, asValue, elementOf, hasValues, reduceFill, reduceVector, reducedType, shapeOfData, shaped, isIntegerDtype, dtypeArg } from "./numpy-data";
import { concatenatedShape, expandedShape, matmulShape, normAxis, reducedShape, reshapeTo, sizeOf, squeezedShape, stackedShape, transposedShape } from "./numpy-shapes";
import { type Value, int } from "./values";

const sameFill = (d: ArrayData): number | undefined => (hasValues(d) ? undefined : d.fill);

/** `a.reshape(to)`: a Vector stays one when the result is one-dimensional. */
export function reshapeData(d: ArrayData, to: number[]): ArrayData {
  const shape = reshapeTo(shapeOfData(d), to);
  if (hasValues(d) && shape.length === 1) return { ...d, data: d.data.slice() };
  return shaped(shape, d.integral, d.dtype, sameFill(d));
}

export function transposeData(d: ArrayData, axes?: number[]): ArrayData {
  if (hasValues(d)) {
    transposedShape([d.data.length], axes); // numpy's checks of the axes
    return { ...d, data: d.data.slice() };
  }
  return shaped(transposedShape(d.shape, axes), d.integral, d.dtype, d.fill);
}

export const expandData = (d: ArrayData, axes: number[]): ShapedArray => shaped(expandedShape(shapeOfData(d), axes), d.integral, d.dtype, sameFill(d));

export function squeezeData(d: ArrayData, axes?: number[]): ArrayData {
  const shape = squeezedShape(shapeOfData(d), axes);
  if (hasValues(d) && shape.length === 1) return { ...d, data: d.data.slice() };
  return shaped(shape, d.integral, d.dtype, hasValues(d) && d.data.length === 1 ? d.data[0] : sameFill(d));
}

export const flattenData = (d: ArrayData): ArrayData => (hasValues(d) ? { ...d, data: d.data.slice() } : shaped([sizeOf(d.shape)], d.integral, d.dtype, d.fill));

/** The dtype of a result made from several arrays: ints only if all are. */
const allIntegral = (ds: ArrayData[]): boolean => ds.every((d) => d.integral);

/** One fill if every array holds the same one number. */
function commonFill(ds: ArrayData[]): number | undefined {
  const fills = ds.map(sameFill);
  return fills.every((f) => f !== undefined && f === fills[0]) ? fills[0] : undefined;
}

/** `np.concatenate(arrays, axis)`: Vectors joined end to end keep their numbers. */
export function concatData(ds: ArrayData[], axis: number): ArrayData {
  const shape = concatenatedShape(ds.map(shapeOfData), axis);
  if (shape.length === 1 && ds.every(hasValues)) return { data: ds.flatMap((d) => (d as { data: number[] }).data), integral: allIntegral(ds) };
  return shaped(shape, allIntegral(ds), undefined, commonFill(ds));
}

export const stackData = (ds: ArrayData[], axis: number): ShapedArray => shaped(stackedShape(ds.map(shapeOfData), axis), allIntegral(ds), undefined, commonFill(ds));

/**
 * `a.sum(axis, keepdims)` and the other reductions: a number for a whole Vector (or a whole array
 * holding one number), an unknown number for a whole shape-only array, an array over an axis.
 */
export function reduceData(name: string, d: ArrayData, axis: number | number[] | undefined, keepdims: boolean): Value | ArrayData {
  const { integral, dtype } = reducedType(name, d.integral);
  if (hasValues(d)) {
    if (axis !== undefined) for (const a of Array.isArray(axis) ? axis : [axis]) normAxis(a, 1);
    if (!keepdims) return reduceVector(name, d, REDUCTIONS[name]);
    return dtype ? { data: [REDUCTIONS[name](d.data)], integral, dtype } : { data: [REDUCTIONS[name](d.data)], integral };
  }
  const shape = reducedShape(d.shape, axis, keepdims);
  const fill = reduceFill(name, d.fill, sizeOf(d.shape) / Math.max(1, sizeOf(shape)));
  if (shape.length === 0 && !keepdims) return elementOf(shaped([], integral, dtype), fill);
  return shaped(shape, integral, dtype, fill);
}

/** argmax (sign 1) / argmin (sign -1): an index for a whole array, an int array over an axis. */
export function argData(d: ArrayData, sign: 1 | -1, axis: number | undefined): Value | ArrayData {
  if (hasValues(d)) {
    if (axis !== undefined) normAxis(axis, 1);
    return int(argBest(d.data, sign));
  }
  if (axis === undefined) return d.fill !== undefined && sizeOf(d.shape) > 0 ? int(0) : elementOf(d, undefined);
  return shaped(reducedShape(d.shape, axis, false), true, undefined, d.fill !== undefined ? 0 : undefined);
}

/** `a @ b`: two Vectors give their dot product; otherwise numpy's matmul shape. */
export function matmulData(a: ArrayData, b: ArrayData): Value | ArrayData {
  const shape = matmulShape(shapeOfData(a), shapeOfData(b));
  const integral = a.integral && b.integral;
  if (hasValues(a) && hasValues(b)) return asValue(a.data.reduce((p, x, i) => p + x * b.data[i], 0), integral);
  const fa = hasValues(a) ? undefined : a.fill;
  const fb = hasValues(b) ? undefined : b.fill;
  const inner = shapeOfData(b).length === 1 ? shapeOfData(b)[0] : shapeOfData(b)[shapeOfData(b).length - 2];
  const fill = fa !== undefined && fb !== undefined ? fa * fb * inner : undefined;
  if (shape.length === 0) return elementOf(shaped([], integral), fill);
  return shaped(shape, integral, undefined, fill);
}

/** `a.astype(dtype)`: integer dtypes truncate. */
export function astypeData(d: ArrayData, dtype: Value | undefined): ArrayData {
  const integral = isIntegerDtype(dtype);
  const name = dtypeArg(dtype);
  if (hasValues(d)) return { data: integral ? d.data.map(Math.trunc) : d.data.slice(), integral, ...(name ? { dtype: name } : {}) };
  return shaped(d.shape.slice(), integral, name, d.fill);
}
