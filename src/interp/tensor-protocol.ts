// How the interpreter treats symbolic tensors: each framework registers the behaviour of its
// tensors (operators, methods, attributes, indexing). The interpreter calls these hooks whenever
// an operand or receiver is a PyTensor of that framework.

import type { NativeContext, PyTensor, Value } from "./values";
import type { BinOperator } from "../python/ast";

export interface TensorProtocol {
  /**
   * `left OP right` where at least one side is a tensor of this framework (the other may be a number).
   * `inplace` is true for augmented assignment (`out += identity`). Return undefined for "not supported"
   * (the interpreter then raises a TypeError naming the operator and operand types).
   */
  binary(ctx: NativeContext, op: BinOperator, left: Value, right: Value, inplace: boolean): Value | undefined;
  /** `left OP right` for a comparison where one side is a tensor: an elementwise bool tensor. */
  compare?(ctx: NativeContext, op: "==" | "!=" | "<" | "<=" | ">" | ">=", left: Value, right: Value): Value | undefined;
  /** Unary minus / plus / invert. */
  unary?(ctx: NativeContext, op: "-" | "+" | "~", operand: PyTensor): Value | undefined;
  /** Attribute or bound method (`x.shape`, `x.view`, `x.size`); undefined when it has no such attribute. */
  attr(ctx: NativeContext, t: PyTensor, name: string): Value | undefined;
  /** `t[index]`; the index may be an int, slice, tuple (with slices, None, Ellipsis) or unknown. */
  getItem(ctx: NativeContext, t: PyTensor, index: Value): Value;
  /** `t[index] = value` in place; false when this framework's tensors do not support it. */
  setItem?(ctx: NativeContext, t: PyTensor, index: Value, value: Value): boolean;
  /** `for x in t`: the slices along the first dimension; undefined when that size is unknown. */
  iterate?(ctx: NativeContext, t: PyTensor): Value[] | undefined;
  /** The number a one-element tensor holds (`int(t)`, `round(t)`), when the analyzer knows it. */
  scalar?(t: PyTensor): number | undefined;
  /**
   * `layer(x, ...)` where `layer` is an instance of an unmodelled class (`className`, dotted) and `x`
   * the first tensor passed: an opaque node, so the graph stays connected; undefined leaves it unknown.
   */
  unknownLayer?(ctx: NativeContext, className: string, x: PyTensor): Value | undefined;
}

const protocols = new Map<string, TensorProtocol>();

export function registerTensorProtocol(framework: PyTensor["framework"], p: TensorProtocol): void {
  protocols.set(framework, p);
}

export function tensorProtocol(framework: PyTensor["framework"]): TensorProtocol | undefined {
  return protocols.get(framework);
}
