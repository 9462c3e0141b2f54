// The top-level `torch` module: tensor factories (constant nodes), functional ops that mirror tensor
// methods (torch.flatten, torch.cat, torch.relu, ...), dtypes, devices, no_grad, cuda and the submodules.

import {
  type Kwargs,
  type NativeContext,
  type PyModule,
  type PyTensor,
  type Value,
  FALSE,
  NONE,
  OBJECT_CLASS,
  bool,
  builtin,
  int,
  nativeClass,
  str,
  tuple,
  unknown,
} from "../../interp/values";
import { bindArgs, toInt, toNumber } from "../../interp/args";
import { arith, compare, where } from "./ops-math";
import { einsumShape } from "../../ir/einops-pattern";
import { MAX_VALUES, dtypeNamed, withValues } from "./tensor-values";
import { constant, fromData } from "./factories";
import { asTensor, opNode } from "./nodes";
import { TENSOR_METHODS, statisticAndMean } from "./protocol";
import { cat, flatten, meshgrid, sizeArgs, stack } from "./ops-shape";
import { TENSOR_CLASS } from "./tensor-class";
import { LEGACY_TENSOR_TYPES } from "./tensor-types";
import { isDetached } from "./state";
import { opaqueFunction } from "./functional";
import { torchAssert } from "./torch-assert";
import { OTHER_SUBMODULES, backendsModule, compilerModule, dynamoModule, fxModule, jitModule, namespaceModule, overridesModule } from "./torch-submodules";
import { linalgModule } from "./torch-linalg";
import { lrSchedulerModule, optimModule } from "./torch-optim";

type Fn = (ctx: NativeContext, args: Value[], kwargs: Kwargs) => Value;

const factory = (fn: string): Fn => (ctx, args) => constant(ctx, fn, sizeArgs(ctx, args.filter((a) => a.kind !== "none")));
const likeFactory = (fn: string): Fn => (ctx, args) => constant(ctx, fn, [...asTensor(ctx, args[0], fn).shape]);

/** torch.X(t, ...) that behaves like the tensor method t.X(...). */
const viaMethod = (name: string): Fn => (ctx, args, kwargs) => {
  const m = TENSOR_METHODS[name];
  const t = asTensor(ctx, args[0] ?? kwargs.get("input"), `torch.${name}`);
  const rest = new Map(kwargs);
  rest.delete("input");
  return m(ctx, t, args.slice(1), rest);
};

const tensorList = (ctx: NativeContext, v: Value | undefined, fn: string): PyTensor[] =>
  ctx.iterate(v ?? NONE).map((x, i) => asTensor(ctx, x, fn, `tensors[${i}]`));

const FUNCTIONS: Record<string, Fn> = {
  flatten: (ctx, args, kwargs) => {
    const a = bindArgs(ctx, "flatten", args, kwargs, ["input", "start_dim=", "end_dim="]);
    return flatten(ctx, asTensor(ctx, a.input, "flatten"), toInt(ctx, a.start_dim, "start_dim", 0), toInt(ctx, a.end_dim, "end_dim", -1));
  },
  cat: (ctx, args, kwargs) => {
    const a = bindArgs(ctx, "cat", args, kwargs, ["tensors", "dim=", "out="]);
    return cat(ctx, tensorList(ctx, a.tensors, "cat"), a.dim);
  },
  einsum: (ctx, args) => {
    const eq = args[0]?.kind === "str" ? args[0].v : ctx.raise("TypeError", "einsum() expects an equation string first, e.g. 'bhid,bhjd->bhij'.");
    const rest = args.length === 2 && (args[1].kind === "list" || args[1].kind === "tuple") ? args[1].items : args.slice(1);
    const xs = rest.map((v, i) => asTensor(ctx, v, "einsum", `operands[${i}]`));
    const r = einsumShape(eq, xs.map((x) => x.shape));
    if (typeof r === "string") return ctx.raise("ValueError", `einsum(): ${r}.`, "shape-mismatch");
    return opNode(ctx, { op: "einsum", category: "math", inputs: xs, shape: r.shape, macs: r.macs, attrs: { equation: eq } });
  },
  meshgrid: (ctx, args, kwargs) => {
    const listed = args.length === 1 && (args[0].kind === "list" || args[0].kind === "tuple");
    const xs = tensorList(ctx, listed ? args[0] : tuple(args), "meshgrid");
    const indexing = kwargs.get("indexing");
    return tuple(meshgrid(ctx, xs, indexing?.kind === "str" ? indexing.v : "ij"));
  },
  stack: (ctx, args, kwargs) => {
    const a = bindArgs(ctx, "stack", args, kwargs, ["tensors", "dim=", "out="]);
    return stack(ctx, tensorList(ctx, a.tensors, "stack"), a.dim);
  },
  zeros: factory("zeros"),
  ones: factory("ones"),
  randn: factory("randn"),
  rand: factory("rand"),
  empty: factory("empty"),
  full: (ctx, args) => constant(ctx, "full", sizeArgs(ctx, [args[0] ?? tuple([])])),
  randint: (ctx, args, kwargs) => {
    const size = kwargs.get("size") ?? args[args.length - 1];
    return constant(ctx, "randint", sizeArgs(ctx, [size ?? tuple([])]));
  },
  zeros_like: likeFactory("zeros_like"),
  ones_like: likeFactory("ones_like"),
  randn_like: likeFactory("randn_like"),
  rand_like: likeFactory("rand_like"),
  empty_like: likeFactory("empty_like"),
  full_like: likeFactory("full_like"),
  tensor: (ctx, args, kwargs) => fromData(ctx, "tensor", args[0] ?? kwargs.get("data") ?? NONE, kwargs),
  from_numpy: (ctx, args) => fromData(ctx, "from_numpy", args[0] ?? NONE, new Map()),
  as_tensor: (ctx, args, kwargs) => fromData(ctx, "as_tensor", args[0] ?? kwargs.get("data") ?? NONE, kwargs),
  arange: (ctx, args, kwargs) => {
    const a = bindArgs(ctx, "arange", args, kwargs, ["start", "end=", "step=", "out=", "dtype=", "layout=", "device=", "requires_grad="]);
    const num = (v: Value | undefined, fallback: number) => (v === undefined || v.kind === "none" ? fallback : toNumber(ctx, v, "arange"));
    const [start, end] = a.end === undefined || a.end.kind === "none" ? [0, num(a.start, 0)] : [num(a.start, 0), num(a.end, 0)];
    const step = num(a.step, 1);
    if (step === 0) ctx.raise("ValueError", "arange(): step must be nonzero.");
    const n = Math.max(0, Math.ceil((end - start) / step));
    const anyFloat = [a.start, a.end, a.step].some((v) => v?.kind === "float");
    const dtype = dtypeNamed(a.dtype) ?? (anyFloat ? "torch.float32" : "torch.int64");
    const values = n <= MAX_VALUES ? Array.from({ length: n }, (_, i) => start + i * step) : undefined;
    return withValues(constant(ctx, "arange", [n]), values, dtype);
  },
  linspace: (ctx, args, kwargs) => {
    const a = bindArgs(ctx, "linspace", args, kwargs, ["start", "end", "steps", "out=", "dtype=", "layout=", "device=", "requires_grad="]);
    const n = toInt(ctx, a.steps, "steps");
    const t = constant(ctx, "linspace", [n]);
    if (![a.start, a.end].every((v) => v?.kind === "int" || v?.kind === "float") || n > MAX_VALUES) return t;
    const start = toNumber(ctx, a.start, "start");
    const end = toNumber(ctx, a.end, "end");
    const step = n > 1 ? (end - start) / (n - 1) : 0;
    // PyTorch fills the second half back from the end, so the last value is exactly `end`.
    const values = Array.from({ length: n }, (_, i) => (i < n / 2 ? start + i * step : end - (n - 1 - i) * step));
    return withValues(t, values, dtypeNamed(a.dtype) ?? "torch.float32");
  },
  // An unknown value may well be a tensor: answering False would fail `assert torch.is_tensor(y)`.
  is_tensor: (_ctx, args) =>
    args[0]?.kind === "unknown" ? unknown("whether a value not known statically is a tensor") : bool(!!args[0] && (args[0].kind === "tensor" || isDetached(args[0]))),
  numel: (ctx, args) => TENSOR_METHODS.numel(ctx, asTensor(ctx, args[0], "numel"), [], new Map()),
  _assert: torchAssert,
  manual_seed: () => NONE,
  // Checkpoints: training scripts save and load around the model; nothing is read or written here.
  save: () => NONE,
  load: () => unknown("the contents of a file loaded with torch.load (the analyzer reads no files)"),
  set_grad_enabled: () => grad_mode(),
  device: (_ctx, args) => str(args[0]?.kind === "str" ? args[0].v : "cpu"),
  Size: (ctx, args) => tuple(args[0] ? ctx.iterate(args[0]) : []),
};
for (const name of [
  "add", "sub", "mul", "div", "pow", "matmul", "mm", "bmm", "relu", "sigmoid", "tanh", "softmax", "log_softmax",
  "mean", "sum", "amax", "amin", "max", "min", "argmax", "exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "abs", "clamp", "clip",
  "transpose", "swapaxes", "swapdims", "movedim", "moveaxis", "permute", "reshape", "squeeze", "unsqueeze", "chunk", "split", "t", "sin", "cos", "square",
  "round", "floor", "ceil", "neg", "reciprocal", "sign", "diff", "unbind", "unflatten", "flip", "fliplr", "flipud", "roll",
  "repeat_interleave", "triu", "tril", "cumsum", "cumprod", "logsumexp", "outer", "ger", "gather", "topk", "sort", "argsort",
  "clamp_min", "clamp_max", "norm", "addcmul", "addcdiv", "var", "std",
]) {
  FUNCTIONS[name] ??= viaMethod(name);
}
// Arithmetic also takes a Python number first (`torch.pow(2.0, t)`, RegNet's widths).
for (const [name, op] of [["add", "add"], ["sub", "sub"], ["subtract", "sub"], ["mul", "mul"], ["multiply", "mul"], ["div", "div"], ["divide", "div"], ["true_divide", "div"], ["pow", "pow"], ["floor_divide", "floor_divide"], ["remainder", "remainder"]] as const) {
  FUNCTIONS[name] = (ctx, args, kwargs) => {
    const x = args[0] ?? kwargs.get("input") ?? NONE;
    const y = args[1] ?? kwargs.get("other") ?? kwargs.get("exponent") ?? NONE;
    return arith(ctx, op, x, y) ?? ctx.raise("TypeError", `torch.${name}() expects tensors or numbers, got ${ctx.repr(x)} and ${ctx.repr(y)}.`);
  };
}
for (const op of ["eq", "ne", "lt", "le", "gt", "ge"] as const) {
  FUNCTIONS[op] = (ctx, args) => compare(ctx, op, args[0] ?? NONE, args[1] ?? NONE) ?? ctx.raise("TypeError", `torch.${op}() expects tensors or numbers.`);
}
for (const [alias, op] of [["greater", "gt"], ["less", "lt"], ["greater_equal", "ge"], ["less_equal", "le"], ["not_equal", "ne"]] as const) FUNCTIONS[alias] = FUNCTIONS[op];
FUNCTIONS.where = (ctx, args, kwargs) => {
  const [c, x, y] = [args[0] ?? kwargs.get("condition"), args[1] ?? kwargs.get("input"), args[2] ?? kwargs.get("other")];
  return (c && x && y ? where(ctx, c, x, y) : undefined) ?? ctx.raise("TypeError", "torch.where(condition, input, other) expects a condition tensor and tensors or numbers.");
};
for (const op of ["var", "std"] as const) {
  const method = statisticAndMean(op);
  FUNCTIONS[`${op}_mean`] = (ctx, args, kwargs) => {
    const rest = new Map(kwargs);
    rest.delete("input");
    return method(ctx, asTensor(ctx, args[0] ?? kwargs.get("input"), `torch.${op}_mean`), args.slice(1), rest);
  };
}
FUNCTIONS.concat = FUNCTIONS.cat;
FUNCTIONS.concatenate = FUNCTIONS.cat;

/** no_grad(), enable_grad(), inference_mode(): context managers and decorators doing nothing. */
const GRAD_MODE_CLASS = nativeClass("no_grad", "torch", [OBJECT_CLASS], {
  __init__: builtin("no_grad.__init__", () => NONE),
  __enter__: builtin("no_grad.__enter__", () => NONE),
  __exit__: builtin("no_grad.__exit__", () => FALSE),
  __call__: builtin("no_grad.__call__", (args) => args[1] ?? NONE),
});
let gradModeInstance: Value | undefined;
function grad_mode(): Value {
  gradModeInstance ??= { kind: "instance", cls: GRAD_MODE_CLASS, dict: new Map(), uid: -1 };
  return gradModeInstance;
}

const DTYPES = ["float32", "float", "float16", "half", "bfloat16", "float64", "double", "int64", "long", "int32", "int", "int16", "int8", "uint8", "bool", "complex64"];

function cudaModule(): PyModule {
  const dict = new Map<string, Value>([
    ["is_available", builtin("torch.cuda.is_available", () => FALSE)],
    ["device_count", builtin("torch.cuda.device_count", () => int(0))],
    ["manual_seed", builtin("torch.cuda.manual_seed", () => NONE)],
    ["manual_seed_all", builtin("torch.cuda.manual_seed_all", () => NONE)],
    ["empty_cache", builtin("torch.cuda.empty_cache", () => NONE)],
    ["synchronize", builtin("torch.cuda.synchronize", () => NONE)],
    ...Object.entries(LEGACY_TENSOR_TYPES["torch.cuda"]),
  ]);
  return { kind: "module", name: "torch.cuda", dict };
}

/** torch._C: the C extension's hooks (`_log_api_usage_once`, ...) that model code calls for logging. */
function cExtensionModule(): PyModule {
  const dict = new Map<string, Value>();
  dict.set("__getattr__", builtin("torch._C.__getattr__", (args) => builtin(`torch._C.${args[0]?.kind === "str" ? args[0].v : "?"}`, () => NONE)));
  return { kind: "module", name: "torch._C", dict };
}

/** torch.utils.checkpoint.checkpoint(fn, *args) recomputes fn in backward; forward is just fn(*args). */
export function checkpointModule(): PyModule {
  const checkpoint = builtin("torch.utils.checkpoint.checkpoint", (args, kwargs, ctx) => {
    const rest = new Map([...kwargs].filter(([k]) => k !== "use_reentrant" && k !== "preserve_rng_state"));
    return ctx.call(args[0] ?? NONE, args.slice(1), rest);
  });
  return { kind: "module", name: "torch.utils.checkpoint", dict: new Map<string, Value>([["checkpoint", checkpoint]]) };
}

/** torch.hub and torch.autograd as model files touch them: downloads are unknown, Variable is the tensor. */
function hubModule(): PyModule {
  const download = builtin("torch.hub.load_state_dict_from_url", () => unknown("downloaded weights (not read by the analyzer)"));
  const rest = builtin("torch.hub.__getattr__", (a) => unknown(`torch.hub.${a[0]?.kind === "str" ? a[0].v : "?"}`));
  return { kind: "module", name: "torch.hub", dict: new Map<string, Value>([["load_state_dict_from_url", download], ["__getattr__", rest]]) };
}

/**
 * torch.autograd.Function: a subclass's `apply(*args)` is its static `forward(ctx, *args)`; the ctx
 * takes save_for_backward / mark_dirty / attributes and does nothing (backward never runs here).
 */
const FUNCTION_CTX = nativeClass("FunctionCtx", "torch.autograd.function", [OBJECT_CLASS], {
  save_for_backward: builtin("save_for_backward", () => NONE),
  mark_dirty: builtin("mark_dirty", () => NONE),
  mark_non_differentiable: builtin("mark_non_differentiable", () => NONE),
  set_materialize_grads: builtin("set_materialize_grads", () => NONE),
});

const AUTOGRAD_FUNCTION = nativeClass("Function", "torch.autograd", [OBJECT_CLASS], {
  apply: {
    kind: "classmethod",
    fn: builtin("apply", (args, kwargs, ctx) => {
      const [cls, ...rest] = args;
      return ctx.call(ctx.getAttr(cls, "forward"), [ctx.newInstance(FUNCTION_CTX), ...rest], kwargs);
    }),
  },
});

function autogradModule(): PyModule {
  return {
    kind: "module",
    name: "torch.autograd",
    dict: new Map<string, Value>([
      ["Variable", builtin("torch.autograd.Variable", (a) => a[0] ?? NONE)],
      ["Function", AUTOGRAD_FUNCTION],
    ]),
  };
}

export function torchModule(nn: PyModule): PyModule {
  const dict = new Map<string, Value>();
  for (const [name, fn] of Object.entries(FUNCTIONS)) dict.set(name, builtin(`torch.${name}`, (a, k, c) => fn(c, a, k)));
  for (const d of DTYPES) dict.set(d, str(`torch.${d}`));
  dict.set("no_grad", GRAD_MODE_CLASS);
  dict.set("enable_grad", GRAD_MODE_CLASS);
  dict.set("inference_mode", GRAD_MODE_CLASS);
  dict.set("Tensor", TENSOR_CLASS);
  for (const [name, cls] of Object.entries(LEGACY_TENSOR_TYPES.torch)) dict.set(name, cls);
  dict.set("nn", nn);
  for (const name of OTHER_SUBMODULES) dict.set(name, namespaceModule(`torch.${name}`));
  dict.set("jit", jitModule());
  dict.set("fx", fxModule());
  dict.set("compiler", compilerModule());
  dict.set("_dynamo", dynamoModule());
  dict.set("overrides", overridesModule());
  dict.set("linalg", linalgModule());
  dict.set("backends", backendsModule());
  dict.set("cuda", cudaModule());
  dict.set("optim", optimModule(lrSchedulerModule()));
  dict.set("_C", cExtensionModule());
  dict.set("hub", hubModule());
  dict.set("autograd", autogradModule());
  dict.set("utils", { kind: "module", name: "torch.utils", dict: new Map<string, Value>([["checkpoint", checkpointModule()]]) });
  dict.set("__version__", str("2.3.0"));
  dict.set(
    "__getattr__",
    builtin("torch.__getattr__", (args, _kw, ctx) => {
      const name = args[0]?.kind === "str" ? args[0].v : "?";
      if (name.startsWith("__")) ctx.raise("AttributeError", `module 'torch' has no attribute '${name}'.`);
      const f = opaqueFunction(`torch.${name}`);
      return builtin(`torch.${name}`, (a, k, c) => f(c, a, k));
    }),
  );
  return { kind: "module", name: "torch", dict };
}
