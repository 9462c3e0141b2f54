// The shape shared by every stub layer class: parse constructor arguments once, register weight/bias,
// expose config attributes, and on forward turn one input tensor into one node.

import {
  type Kwargs,
  type NativeContext,
  type PyClass,
  type PyInstance,
  type PyTensor,
  type Value,
  NONE,
  OBJECT_CLASS,
  TRUE,
  builtin,
  int,
  lookupClassAttr,
  nativeClass,
  tuple,
} from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { MODULE_CLASS, registerBuffer, registerParam } from "./module";
import { asTensor } from "./nodes";
import { dottedLabel, moduleState } from "./state";
import { makeDetachedTensor, makeParameter } from "./tensor-class";
import { formatShape } from "./shape-math";
import { deferAttrs, settle } from "./lazy-attrs";
import type { Shape } from "../../ir/types";

export type Args = Record<string, Value | undefined>;

export interface LayerDef<C> {
  name: string;
  /** bindArgs spec of the constructor, without `self`. */
  spec: string[];
  defaults?: Record<string, Value>;
  /** Name of forward's first parameter in PyTorch, so it may be passed by keyword; "input" unless given. */
  inputName?: string;
  /** Parses arguments, registers parameters/buffers (use addWeight/addBuffer) and returns the config. */
  init(ctx: NativeContext, self: PyInstance, a: Args): C;
  /** Applies the layer to its (first) input tensor. */
  forward(ctx: NativeContext, self: PyInstance, cfg: C, x: PyTensor, rest: Value[], kwargs: Kwargs): Value;
  /** Extra class members (methods, class attributes). */
  members?: Record<string, Value>;
}

/**
 * A stub layer makes its own node, with its parameters on it, unless model code subclassed it with a
 * Python `forward` (timm's LayerNorm2d, BiT's StdConv2d): then the tensors that forward reads carry them.
 */
export function makesOwnNode(self: PyInstance): boolean {
  return lookupClassAttr(self.cls, "forward")?.kind !== "function";
}

export function defineLayer<C>(def: LayerDef<C>): PyClass {
  const forwardName = `${def.name}.forward`;
  const inputName = def.inputName ?? "input";
  return nativeClass(def.name, "torch.nn", [MODULE_CLASS, OBJECT_CLASS], {
    __init__: builtin(`${def.name}.__init__`, (args, kwargs, ctx) => {
      const self = args[0] as PyInstance;
      const st = moduleState(self);
      st.created ??= ctx.site();
      st.makesNode = makesOwnNode(self);
      // Config attributes stay out of the dict only for the stub classes themselves (lazy-attrs.ts): a
      // Python subclass may define its own __getattr__, or have set one of their names before calling
      // super().__init__() (the constructor's value then replaces it in place).
      const eagerAttrs = !self.cls.native || self.dict.size > 0;
      self.dict.set("training", TRUE);
      const a = bindArgs(ctx, def.name, args.slice(1), kwargs, def.spec, def.defaults);
      st.config = def.init(ctx, self, a);
      if (eagerAttrs) settle(self);
      return NONE;
    }),
    forward: builtin(forwardName, (args, kwargs, ctx) => {
      const self = args[0] as PyInstance;
      const { first, rest } = takeFirstArg(ctx, forwardName, inputName, args[1], kwargs);
      const x = asTensor(ctx, first, forwardName, inputName);
      return def.forward(ctx, self, moduleState(self).config as C, x, args.slice(2), rest);
    }),
    ...def.members,
  });
}

/**
 * The first forward argument, given by position or by its PyTorch name (`mha(query=x, key=x, value=x)`),
 * and the keyword arguments left for the rest of the signature.
 */
function takeFirstArg(
  ctx: NativeContext,
  fnName: string,
  name: string,
  positional: Value | undefined,
  kwargs: Kwargs,
): { first: Value | undefined; rest: Kwargs } {
  if (!kwargs.has(name)) return { first: positional, rest: kwargs };
  if (positional !== undefined) ctx.raise("TypeError", `${fnName}() got multiple values for argument '${name}'.`);
  const rest = new Map(kwargs);
  rest.delete(name);
  return { first: kwargs.get(name), rest };
}

/** Registers a Parameter of `shape` under `name`, or None when `present` is false (bias=False). */
export function addWeight(ctx: NativeContext, self: PyInstance, name: string, shape: number[], present = true): void {
  registerParam(self, name, present ? makeParameter(ctx, shape) : null);
}

export function addBuffer(ctx: NativeContext, self: PyInstance, name: string, shape: number[]): void {
  registerBuffer(self, name, makeDetachedTensor(ctx, shape));
}

/** Sets plain config attributes users read (`conv.in_channels`, `conv.kernel_size`), from a LayerDef's init; see lazy-attrs.ts. */
export function setAttrs(self: PyInstance, attrs: Record<string, Value>): void {
  deferAttrs(self, attrs);
}

export const intTuple = (xs: number[]): Value => tuple(xs.map(int));

/** "Conv2d 'layer1.0.conv1'" for messages. */
export function layerLabel(self: PyInstance, layerName: string): string {
  return `${layerName}${dottedLabel(self)}`;
}

/**
 * Checks the input rank is one of `ranks`; reports a shape-mismatch error and returns false if not.
 */
export function checkRank(ctx: NativeContext, self: PyInstance, layerName: string, x: PyTensor, ranks: number[]): boolean {
  if (ranks.includes(x.shape.length)) return true;
  const want = ranks.length === 1 ? `${ranks[0]}-D` : `${ranks.slice(0, -1).join("-D, ")}-D or ${ranks[ranks.length - 1]}-D`;
  ctx.reportError(
    `${layerLabel(self, layerName)} expects a ${want} input, got a ${x.shape.length}-D tensor of shape ${formatShape(x.shape)}.`,
    "shape-mismatch",
  );
  return false;
}

/** Checks one input dimension against the layer's configuration (channels, features). */
export function checkDim(
  ctx: NativeContext,
  self: PyInstance,
  layerName: string,
  what: string,
  expected: number,
  got: number | null,
): void {
  if (got === null || got === expected) return;
  ctx.reportError(`${layerLabel(self, layerName)} expects ${expected} ${what}, got ${got}.`, "shape-mismatch");
}

/** Best-guess input shape when the rank was wrong: batch 1, channels as configured, spatial 1. */
export function guessShape(x: PyTensor, rank: number, channels: number): Shape {
  const s: Shape = [x.shape[0] ?? 1, channels];
  while (s.length < rank) s.push(x.shape[s.length] ?? 1);
  return s;
}
