// torch.Tensor and nn.Parameter as Python classes. Graph tensors are PyTensor values (see the tensor
// protocol); instances of these classes are "detached" tensors that exist at construction time:
// parameters (conv.weight) and buffers (bn.running_mean). Used in forward code, they become a graph
// node on demand (see nodes.ts `materialize`).

import { markUnsized } from "./unsized-parameter";
import {
  type NativeContext,
  type PyClass,
  type PyInstance,
  type Value,
  OBJECT_CLASS,
  builtin,
  bool,
  int,
  nativeClass,
  tuple,
  unknown,
  NONE,
} from "../../interp/values";
import { bindArgs, toBool, toInt } from "../../interp/args";
import { tensorProtocol } from "../../interp/tensor-protocol";
import type { DetachedTensorState } from "./state";
import { isDetached } from "./state";
import { materialize } from "./nodes";

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Shape of any tensor-like value (graph tensor or detached), or undefined. */
export function shapeOfTensorLike(v: Value): (number | null)[] | undefined {
  if (v.kind === "tensor") return v.shape;
  if (isDetached(v)) return v.native.shape;
  return undefined;
}

function selfDetached(ctx: NativeContext, v: Value | undefined): PyInstance & { native: DetachedTensorState } {
  if (!v || !isDetached(v)) return ctx.raise("TypeError", "Expected a tensor as 'self'.");
  return v;
}

/** Shape of nested lists / tuples of data, or of a tensor given as data; undefined for anything else. */
function dataShape(v: Value): (number | null)[] | undefined {
  if (v.kind === "list" || v.kind === "tuple") return [v.items.length, ...((v.items.length ? dataShape(v.items[0]) : []) ?? [])];
  return shapeOfTensorLike(v);
}

/**
 * The legacy constructors' shape: `torch.Tensor(2, 3)` (sizes), `torch.FloatTensor([[1, 2]])`
 * (data) and `torch.Tensor()` (empty, [0]), as in GAN scripts' `Tensor(batch, 1).fill_(1.0)`.
 */
function constructedShape(ctx: NativeContext, args: Value[]): number[] {
  if (args.length === 0) return [0];
  const data = args.length === 1 && args[0].kind !== "int" ? dataShape(args[0]) : undefined;
  if (data) {
    if (data.every((d): d is number => d !== null)) return data;
    return ctx.raise("ValueError", "The shape of the data given to the tensor constructor is not known statically.", "unknown-value");
  }
  return args.map((a, i) => toInt(ctx, a, `size[${i}]`));
}

/** Methods answered without touching the graph; anything else goes through a materialized tensor. */
const tensorMembers: Record<string, Value> = {
  __init__: builtin("Tensor.__init__", (args, _kw, ctx) => {
    initDetached(args[0] as PyInstance, constructedShape(ctx, args.slice(1)), false);
    return NONE;
  }),
  numel: builtin("Tensor.numel", (args, _kw, ctx) => int(selfDetached(ctx, args[0]).native.numel)),
  dim: builtin("Tensor.dim", (args, _kw, ctx) => int(selfDetached(ctx, args[0]).native.shape.length)),
  size: builtin("Tensor.size", (args, _kw, ctx) => {
    const s = selfDetached(ctx, args[0]).native.shape;
    const d = args[1];
    if (d && d.kind === "int") return int(s[d.v < 0 ? d.v + s.length : d.v] ?? 0);
    return tuple(s.map(int));
  }),
  requires_grad_: builtin("Tensor.requires_grad_", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "requires_grad_", args, kwargs, ["self", "requires_grad="]);
    const self = selfDetached(ctx, a.self);
    self.dict.set("requires_grad", bool(toBool(ctx, a.requires_grad, true)));
    return self;
  }),
  __getattr__: builtin("Tensor.__getattr__", (args, _kw, ctx) => {
    const self = selfDetached(ctx, args[0]);
    const name = args[1].kind === "str" ? args[1].v : "?";
    // In-place initialisers (normal_, zero_, fill_, uniform_, copy_...) do not change shapes.
    if (name.endsWith("_") && !name.startsWith("_")) return builtin(`Tensor.${name}`, () => self);
    const p = tensorProtocol("pytorch");
    const v = p?.attr(ctx, materialize(ctx, self), name);
    return v ?? ctx.raise("AttributeError", `'Tensor' object has no attribute '${name}'.`);
  }),
};

/** Operators on detached tensors delegate to the graph tensor protocol. */
for (const [dunder, op, reflected] of [
  ["__add__", "+", false],
  ["__radd__", "+", true],
  ["__sub__", "-", false],
  ["__rsub__", "-", true],
  ["__mul__", "*", false],
  ["__rmul__", "*", true],
  ["__truediv__", "/", false],
  ["__rtruediv__", "/", true],
  ["__matmul__", "@", false],
  ["__rmatmul__", "@", true],
  ["__pow__", "**", false],
] as const) {
  tensorMembers[dunder] = builtin(`Tensor.${dunder}`, (args, _kw, ctx) => {
    const self = materialize(ctx, selfDetached(ctx, args[0]));
    const other = args[1];
    const p = tensorProtocol("pytorch");
    const r = reflected ? p?.binary(ctx, op, other, self, false) : p?.binary(ctx, op, self, other, false);
    return r ?? unknown(`The operator '${op}' is not supported between these tensor operands.`);
  });
}
tensorMembers.__getitem__ = builtin("Tensor.__getitem__", (args, _kw, ctx) => {
  const p = tensorProtocol("pytorch");
  const t = materialize(ctx, selfDetached(ctx, args[0]));
  return p ? p.getItem(ctx, t, args[1]) : unknown("Tensor indexing is not available.");
});
/** A read-mostly attribute: `p.data = other` is accepted and changes nothing the analysis uses. */
function detachedProperty(name: string, get: (t: PyInstance & { native: DetachedTensorState }) => Value): Value {
  return {
    kind: "property",
    fget: builtin(`Tensor.${name}`, (args, _kw, ctx) => get(selfDetached(ctx, args[0]))),
    fset: builtin(`Tensor.${name}.setter`, () => NONE),
  };
}
tensorMembers.shape = detachedProperty("shape", (t) => tuple(t.native.shape.map(int)));
tensorMembers.data = detachedProperty("data", (t) => t);
tensorMembers.grad = detachedProperty("grad", () => NONE);
tensorMembers.ndim = detachedProperty("ndim", (t) => int(t.native.shape.length));

tensorMembers.__len__ = builtin("Tensor.__len__", (args, _kw, ctx) => int(selfDetached(ctx, args[0]).native.shape[0] ?? 0));

export const TENSOR_CLASS: PyClass = nativeClass("Tensor", "torch", [OBJECT_CLASS], tensorMembers);

export const PARAMETER_CLASS: PyClass = nativeClass("Parameter", "torch.nn", [TENSOR_CLASS, OBJECT_CLASS], {
  __init__: builtin("Parameter.__init__", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "Parameter", args, kwargs, ["self", "data=", "requires_grad="]);
    const self = a.self as PyInstance;
    const shape = (a.data ? shapeOfTensorLike(a.data) : []) ?? ctx.raise("TypeError", `Parameter expects a tensor, got ${ctx.repr(a.data!)}.`);
    // Unknown dims cannot hold weights in a constructed model; count them as 0 elements.
    initDetached(self, shape.map((d) => d ?? 0), true);
    if (shape.includes(null)) markUnsized(ctx, self as PyInstance & { native: DetachedTensorState }, shape);
    self.dict.set("requires_grad", bool(toBool(ctx, a.requires_grad, true)));
    return NONE;
  }),
});

function initDetached(self: PyInstance, shape: number[], isParameter: boolean): void {
  // shape / data / grad / ndim are class properties (computed on read): a model has thousands of
  // parameters and buffers, and most are never inspected.
  self.native = { tag: "torch-detached", shape, numel: numel(shape), isParameter, owner: undefined, visit: 0 } satisfies DetachedTensorState;
  if (!isParameter) self.dict.set("requires_grad", bool(false));
}

/** A Parameter of the given shape, as a layer's `weight` / `bias`. */
export function makeParameter(ctx: NativeContext, shape: number[]): PyInstance {
  const p = ctx.newInstance(PARAMETER_CLASS);
  initDetached(p, shape, true);
  p.dict.set("requires_grad", bool(true));
  return p;
}

/** A plain detached tensor, as a buffer (`running_mean`). */
export function makeDetachedTensor(ctx: NativeContext, shape: number[]): PyInstance {
  const t = ctx.newInstance(TENSOR_CLASS);
  initDetached(t, shape, false);
  return t;
}

export function isParameter(v: Value): v is PyInstance & { native: DetachedTensorState } {
  return isDetached(v) && v.native.isParameter;
}

export function detachedNumel(v: PyInstance & { native: DetachedTensorState }): number {
  return v.native.numel;
}

/** requires_grad as currently set on the Parameter (users may assign `p.requires_grad = False`). */
export function requiresGrad(p: PyInstance): boolean {
  const v = p.dict.get("requires_grad");
  if (v === undefined) return true;
  if (v.kind === "bool" || v.kind === "int" || v.kind === "float") return v.v !== 0 && v.v !== false;
  return v.kind !== "none";
}
