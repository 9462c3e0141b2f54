// What an ndarray holds, of two kinds behind one class (numpy-array.ts). A Vector is a
// one-dimensional array of known numbers: width and depth schedules (timm's regnet, drop-path
// rates) need the numbers. A ShapedArray is an array of any rank whose shape the analyzer knows but
// whose values it does not (np.zeros((2708, 1433)), np.random.rand(8, 4)): model code captures such
// data as constants, and only the shape matters to the model. Its elements are unknown numbers,
// except where the whole array holds one known number (`fill`: np.zeros, np.full).

import { type ArrayShape, formatArrayShape, sizeOf } from "./numpy-shapes";
import { type Value, PyException, bool, float, int, list, unknown } from "./values";

/** A one-dimensional array of known numbers, and whether its dtype is an integer one. */
export interface Vector { data: number[]; integral: boolean; dtype?: string }
/** An array known by its shape alone; `fill` when every element is that one number. */
export interface ShapedArray { shape: ArrayShape; integral: boolean; dtype?: string; fill?: number }
export type ArrayData = Vector | ShapedArray;

/** The longest 1-D array np.zeros / ones / full make with its values: longer ones are shape only. */
export const MAX_VALUES = 1 << 16;

export const asValue = (x: number, integral: boolean): Value => (integral && Number.isInteger(x) ? int(x) : float(x));

/** One element as Python sees it: a bool array's are True/False (`mask.tolist()`), others numbers. */
export const elementValue = (x: number, d: { integral: boolean; dtype?: string }): Value => (d.dtype === "bool" ? bool(x !== 0) : asValue(x, d.integral));

export const hasValues = (d: ArrayData): d is Vector => "data" in d;

export const shapeOfData = (d: ArrayData): ArrayShape => (hasValues(d) ? [d.data.length] : d.shape.slice());

export const elementCount = (d: ArrayData): number => (hasValues(d) ? d.data.length : sizeOf(d.shape));

/** A shape-only array; `fill` is kept only while it is a number of the dtype. */
export function shaped(shape: ArrayShape, integral: boolean, dtype?: string, fill?: number): ShapedArray {
  const d: ShapedArray = { shape, integral };
  if (dtype) d.dtype = dtype;
  if (fill !== undefined && !Number.isNaN(fill)) d.fill = integral ? Math.trunc(fill) : fill;
  return d;
}

/** The same array known by its shape alone (what reshapes and index tricks keep of a Vector). */
export const asShaped = (d: ArrayData): ShapedArray => (hasValues(d) ? shaped([d.data.length], d.integral, d.dtype) : d);

/** numpy's dtype name: the one given, else numpy's default for ints or floats. */
export const dtypeName = (d: ArrayData): string => d.dtype ?? (d.integral ? "int64" : "float64");

/** `int`, `"int64"`, `np.int32` (a string here) and the like are integer dtypes; `float`, `"float32"` are not. */
export function isIntegerDtype(d: Value | undefined): boolean {
  if (!d) return false;
  if (d.kind === "class") return d.name === "int" || d.name === "bool";
  if (d.kind === "str") return /^u?int|^bool/.test(d.v);
  return false;
}

/** The dtype name a dtype argument gives (`float` is float64, `np.float32` "float32"), if it names one. */
export function dtypeArg(d: Value | undefined): string | undefined {
  if (!d) return undefined;
  if (d.kind === "class") return ({ int: "int64", float: "float64", bool: "bool", complex: "complex128" } as Record<string, string>)[d.name];
  if (d.kind === "str") return d.v === "bool_" ? "bool" : d.v;
  return undefined;
}

export const valuesNotKnown = (shape: ArrayShape): string => `the values of a numpy array of shape ${formatArrayShape(shape)}, of which only the shape is known`;

/** Raised where numbers are needed from an array known only by its shape: a located unknown-value. */
export function needValues(what: string, shape: ArrayShape): never {
  throw new PyException("ValueError", `${what} needs ${valuesNotKnown(shape)}`, undefined, "unknown-value");
}

/** An element (or a full reduction) of a shape-only array: its number when the array holds one, else unknown. */
export function elementOf(d: ShapedArray, fill = d.fill): Value {
  return fill === undefined ? unknown(valuesNotKnown(d.shape)) : elementValue(fill, d);
}

export const elements = (v: Vector): Value => list(v.data.map((x) => elementValue(x, v)));

export function argBest(data: number[], sign: 1 | -1): number {
  if (data.length === 0) throw new PyException("ValueError", "attempt to get argmax of an empty sequence");
  let best = 0;
  for (let i = 1; i < data.length; i++) if (sign * (data[i] - data[best]) > 0) best = i;
  return best;
}

const sum = (xs: number[]) => xs.reduce((p, x) => p + x, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;
const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));

export const REDUCTIONS: Record<string, (xs: number[]) => number> = {
  sum,
  prod: (xs) => xs.reduce((p, x) => p * x, 1),
  mean,
  max: (xs) => {
    if (xs.length === 0) throw new PyException("ValueError", "zero-size array to reduction operation maximum which has no identity");
    return Math.max(...xs);
  },
  min: (xs) => {
    if (xs.length === 0) throw new PyException("ValueError", "zero-size array to reduction operation minimum which has no identity");
    return Math.min(...xs);
  },
  std: (xs) => Math.sqrt(variance(xs)),
  var: variance,
  // 1 for True: bool reductions (reducedType).
  any: (xs) => (xs.some((x) => x !== 0) ? 1 : 0),
  all: (xs) => (xs.every((x) => x !== 0) ? 1 : 0),
};

/** Reductions whose result is a float whatever the dtype. */
const FLOAT_REDUCTIONS = new Set(["mean", "std", "var"]);

/** The dtype of reduction `name` of an array whose dtype is integral or not: any / all give bools. */
export function reducedType(name: string, integral: boolean): { integral: boolean; dtype?: string } {
  if (name === "any" || name === "all") return { integral: true, dtype: "bool" };
  return { integral: !FLOAT_REDUCTIONS.has(name) && integral };
}

/** The one number a reduction of `n` copies of `fill` gives (undefined when unknown or empty). */
export function reduceFill(name: string, fill: number | undefined, n: number): number | undefined {
  if (fill === undefined || n === 0) return undefined;
  const truth = fill !== 0 ? 1 : 0;
  return ({ sum: fill * n, prod: fill ** n, mean: fill, max: fill, min: fill, std: 0, var: 0, any: truth, all: truth } as Record<string, number>)[name];
}

export function reduceVector(name: string, v: Vector, f: (xs: number[]) => number): Value {
  return elementValue(f(v.data), reducedType(name, v.integral));
}

/** numpy's repr of a short 1-D array: `array([1, 2, 3])`, `array([0. , 0.5, 1. ])`. */
export function reprVector(v: Vector): string {
  if (v.data.length === 0) return `array([], dtype=${dtypeName(v)})`;
  let texts: string[];
  if (v.dtype === "bool") texts = v.data.map((x) => (x !== 0 ? "True" : "False"));
  else if (v.integral) texts = v.data.map((x) => String(x));
  else {
    const plain = v.data.map((x) => (Number.isInteger(x) ? `${x}.` : String(x)));
    // numpy pads the fractional parts to a common width: `0. `, `0.5`.
    const frac = Math.max(...plain.map((t) => t.length - t.indexOf(".") - 1));
    texts = plain.map((t) => t + " ".repeat(frac - (t.length - t.indexOf(".") - 1)));
  }
  const width = Math.max(...texts.map((t) => t.length));
  return `array([${texts.map((t) => t.padStart(width)).join(", ")}])`;
}

/** What a shape-only array prints as: numpy would print numbers the analyzer does not have. */
export const reprShaped = (d: ShapedArray): string => `<numpy array of shape ${formatArrayShape(d.shape)}, dtype ${dtypeName(d)}>`;
