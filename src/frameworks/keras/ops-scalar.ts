// keras.ops / tf functions applied to plain Python numbers (`tf.math.equal(x.shape[-1], 16)`,
// `tf.maximum(8, c // 4)`, `ops.sqrt(float(d))`). TensorFlow computes these eagerly, and model code
// branches on them (`if tf.math.equal(channels, out) and strides == 1:` decides a residual add), so
// the value is computed here instead of being left unknown.

import { type PyUnknown, type Value, bool, derivedUnknown, float, int, unknown } from "../../interp/values";

type Num = { v: number; integral: boolean };

/** A Python int, float or bool as a number; anything else undefined. */
function num(v: Value): Num | undefined {
  if (v.kind === "int") return { v: v.v, integral: true };
  if (v.kind === "bool") return { v: Number(v.v), integral: true };
  if (v.kind === "float") return { v: v.v, integral: false };
  return undefined;
}

const numberValue = (x: number, integral: boolean): Value => (integral && Number.isInteger(x) ? int(x) : float(x));

/**
 * Why a scalar operand has no value: a dimension left None (an open size) or a number the analyzer
 * could not compute. Undefined when the operand is a known number (or not a scalar at all).
 */
function unknownOperand(name: string, vs: Value[]): PyUnknown | undefined {
  for (const v of vs) {
    if (v.kind === "unknown") return derivedUnknown(v, `${name}() of ${v.why}`);
    if (v.kind === "none") return unknown(`${name}() of None, a size the analyzer does not know statically`);
  }
  return undefined;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  not_equal: (a, b) => a !== b,
  less: (a, b) => a < b,
  less_equal: (a, b) => a <= b,
  greater: (a, b) => a > b,
  greater_equal: (a, b) => a >= b,
  logical_and: (a, b) => a !== 0 && b !== 0,
  logical_or: (a, b) => a !== 0 || b !== 0,
};

/** equal / less / logical_and & co. of two Python numbers (or strings, for equality): a bool. */
export function scalarCompare(name: string, x: Value, y: Value): Value | undefined {
  const f = COMPARE[name];
  if (!f) return undefined;
  const a = num(x);
  const b = num(y);
  if (a && b) return bool(f(a.v, b.v));
  if (x.kind === "str" && y.kind === "str" && (name === "equal" || name === "not_equal")) return bool((x.v === y.v) === (name === "equal"));
  if ((a || x.kind === "none" || x.kind === "unknown") && (b || y.kind === "none" || y.kind === "unknown")) return unknownOperand(name, [x, y]);
  return undefined;
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  maximum: Math.max,
  minimum: Math.min,
};

/** add / subtract / multiply / divide / maximum / minimum of two Python numbers. */
export function scalarBinary(name: string, x: Value, y: Value): Value | undefined {
  const a = num(x);
  const b = num(y);
  if (a && b) {
    // divide is true division, a float even of two ints, as tf.divide and keras.ops.divide give.
    if (name === "divide") return b.v === 0 ? undefined : float(a.v / b.v);
    const f = BINARY[name];
    return f ? numberValue(f(a.v, b.v), a.integral && b.integral) : undefined;
  }
  if (name in BINARY || name === "divide") {
    if ((a || x.kind === "none" || x.kind === "unknown") && (b || y.kind === "none" || y.kind === "unknown")) return unknownOperand(name, [x, y]);
  }
  return undefined;
}

/** Round half to even, as TensorFlow's round does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Element-wise functions of one number; `true` keeps an int operand an int. */
const UNARY: Record<string, [(x: number) => number, boolean]> = {
  abs: [Math.abs, true],
  negative: [(x) => -x, true],
  square: [(x) => x * x, true],
  sign: [Math.sign, true],
  floor: [Math.floor, true],
  ceil: [Math.ceil, true],
  round: [roundHalfEven, true],
  sqrt: [Math.sqrt, false],
  rsqrt: [(x) => 1 / Math.sqrt(x), false],
  reciprocal: [(x) => 1 / x, false],
  exp: [Math.exp, false],
  expm1: [Math.expm1, false],
  log: [Math.log, false],
  log1p: [Math.log1p, false],
  sin: [Math.sin, false],
  cos: [Math.cos, false],
  tan: [Math.tan, false],
  sinh: [Math.sinh, false],
  cosh: [Math.cosh, false],
  relu: [(x) => Math.max(0, x), true],
  relu6: [(x) => Math.min(6, Math.max(0, x)), true],
  linear: [(x) => x, true],
  sigmoid: [sigmoid, false],
  tanh: [Math.tanh, false],
  exponential: [Math.exp, false],
  softplus: [(x) => Math.log1p(Math.exp(x)), false],
  softsign: [(x) => x / (1 + Math.abs(x)), false],
  silu: [(x) => x * sigmoid(x), false],
  swish: [(x) => x * sigmoid(x), false],
};

/**
 * An element-wise function of a Python number: its value; of None or an unknown number, an unknown
 * naming it. Undefined when `x` is not a scalar (or the function has no rule here).
 */
export function scalarUnary(name: string, x: Value): Value | undefined {
  if (name === "identity" || name === "stop_gradient") return x;
  if (name === "logical_not" && (x.kind === "bool" || x.kind === "int" || x.kind === "float")) return bool(!num(x)!.v);
  const a = num(x);
  const rule = UNARY[name];
  if (a) return rule ? numberValue(rule[0](a.v), rule[1] && a.integral) : unknown(`${name}() of a Python number, which the analyzer does not compute`);
  if (x.kind === "none") return unknownOperand(name, [x]);
  return undefined;
}

/**
 * tf.cast / keras.ops.cast of a Python number (`tf.cast(tf.math.ceil(h / p), tf.int32)` in shape code):
 * an int dtype truncates toward zero, a float dtype gives a float, bool tests for non-zero.
 */
export function scalarCast(x: Value, dtype: Value | undefined): Value | undefined {
  const a = num(x);
  if (!a || dtype?.kind !== "str") return undefined;
  if (/^u?int\d*$/.test(dtype.v)) return int(Math.trunc(a.v));
  if (/^(b?float|half|double)/.test(dtype.v)) return float(a.v);
  if (dtype.v === "bool") return bool(a.v !== 0);
  return undefined;
}
