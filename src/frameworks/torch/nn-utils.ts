// torch.nn.utils: weight/spectral norm (old hook API and the parametrizations API), gradient
// clipping, and the rnn packing helpers. Reparametrizations change which Parameters a layer holds,
// which is what parameter counts see; forward shapes stay the layer's own.

import {
  type Kwargs,
  type NativeContext,
  type PyInstance,
  type PyModule,
  type Value,
  NONE,
  builtin,
  tuple,
  unknown,
  settledDict,
} from "../../interp/values";
import { bindArgs, toBool, toInt, toStr } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { isTorchModule, registerBuffer, registerParam } from "./module";
import { opNode, tensorOrUndefined } from "./nodes";
import { forget, isDetached, moduleState } from "./state";
import { makeDetachedTensor, makeParameter } from "./tensor-class";

type Fn = (ctx: NativeContext, args: Value[], kwargs: Kwargs) => Value;

/** What a reparametrization replaced, so remove_* can put the plain weight back. */
interface Reparam {
  shape: number[];
  params: string[];
  buffers: string[];
}

const reparams = new WeakMap<PyInstance, Map<string, Reparam>>();

function targetModule(ctx: NativeContext, v: Value | undefined, fnName: string): PyInstance {
  if (!v || !isTorchModule(v)) return ctx.raise("TypeError", `${fnName}() expects a Module, got ${v ? ctx.repr(v) : "nothing"}.`);
  return v;
}

/** Shape of the registered Parameter `name` of `m`. */
function paramShape(ctx: NativeContext, m: PyInstance, name: string, fnName: string): number[] {
  const p = moduleState(m).params.get(name);
  if (!p || !isDetached(p)) {
    return ctx.raise("AttributeError", `${fnName}(): module '${m.cls.name}' has no parameter '${name}'.`);
  }
  if (reparams.get(m)?.has(name)) ctx.raise("RuntimeError", `Cannot register two reparametrizations on the parameter '${name}' of '${m.cls.name}'.`);
  return p.native.shape;
}

/** Replaces Parameter `name` by the given Parameters and buffers; `name` stays readable as a plain tensor. */
function reparametrize(
  ctx: NativeContext,
  m: PyInstance,
  name: string,
  shape: number[],
  params: [string, number[]][],
  buffers: [string, number[]][],
): PyInstance {
  forget(moduleState(m), "params", name);
  for (const [n, s] of params) registerParam(m, n, makeParameter(ctx, s));
  for (const [n, s] of buffers) registerBuffer(m, n, makeDetachedTensor(ctx, s));
  m.dict.set(name, makeDetachedTensor(ctx, shape));
  let own = reparams.get(m);
  if (!own) {
    own = new Map();
    reparams.set(m, own);
  }
  own.set(name, { shape, params: params.map(([n]) => n), buffers: buffers.map(([n]) => n) });
  return m;
}

function undo(ctx: NativeContext, m: PyInstance, name: string, fnName: string): PyInstance {
  const r = reparams.get(m)?.get(name);
  if (!r) return ctx.raise("ValueError", `${fnName}(): no reparametrization of '${name}' found in '${m.cls.name}'.`);
  const st = moduleState(m);
  for (const n of r.params) {
    forget(st, "params", n);
    settledDict(m).delete(n);
  }
  for (const n of r.buffers) {
    forget(st, "buffers", n);
    settledDict(m).delete(n);
  }
  registerParam(m, name, makeParameter(ctx, r.shape));
  reparams.get(m)!.delete(name);
  return m;
}

/** Shape of weight_norm's magnitude g: the weight's size at `dim`, 1 elsewhere; a scalar for dim None/-1. */
export function weightNormGShape(weight: number[], dim: number | null): number[] {
  if (dim === null || dim === -1) return [];
  const d = dim < 0 ? dim + weight.length : dim;
  return weight.map((s, i) => (i === d ? s : 1));
}

/** Spectral norm's power-iteration vectors: u over dim `dim`, v over the rest of the weight. */
export function spectralNormUV(weight: number[], dim: number): { u: number[]; v: number[] } {
  const d = dim < 0 ? dim + weight.length : dim;
  const h = weight[d] ?? 1;
  const all = weight.reduce((a, b) => a * b, 1);
  return { u: [h], v: [h === 0 ? 0 : all / h] };
}

const optionalDim = (ctx: NativeContext, v: Value | undefined, fallback: number | null): number | null =>
  v === undefined ? fallback : v.kind === "none" ? null : toInt(ctx, v, "dim");

/** ConvTranspose keeps output channels in weight dim 1, so spectral norm defaults to that dim. */
const defaultSpectralDim = (m: PyInstance): number => (m.cls.name.startsWith("ConvTranspose") ? 1 : 0);

/** weight_norm's arguments, both APIs: the module, the weight's name and shape, and g's shape. */
function weightNormArgs(ctx: NativeContext, args: Value[], kwargs: Kwargs) {
  const a = bindArgs(ctx, "weight_norm", args, kwargs, ["module", "name=", "dim="]);
  const m = targetModule(ctx, a.module, "weight_norm");
  const name = toStr(ctx, a.name, "name", "weight");
  const shape = paramShape(ctx, m, name, "weight_norm");
  return { m, name, shape, g: weightNormGShape(shape, optionalDim(ctx, a.dim, 0)) };
}

const weightNorm: Fn = (ctx, args, kwargs) => {
  const { m, name, shape, g } = weightNormArgs(ctx, args, kwargs);
  return reparametrize(ctx, m, name, shape, [[`${name}_g`, g], [`${name}_v`, shape]], []);
};

const spectralNorm: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "spectral_norm", args, kwargs, ["module", "name=", "n_power_iterations=", "eps=", "dim="]);
  const m = targetModule(ctx, a.module, "spectral_norm");
  const name = toStr(ctx, a.name, "name", "weight");
  const shape = paramShape(ctx, m, name, "spectral_norm");
  const { u, v } = spectralNormUV(shape, optionalDim(ctx, a.dim, null) ?? defaultSpectralDim(m));
  return reparametrize(ctx, m, name, shape, [[`${name}_orig`, shape]], [[`${name}_u`, u], [`${name}_v`, v]]);
};

/**
 * The parametrizations API keeps its tensors on `module.parametrizations.<name>`; they are registered
 * on the layer itself under those dotted names, so counts land on the layer's node and
 * named_parameters() lists PyTorch's names.
 */
const newWeightNorm: Fn = (ctx, args, kwargs) => {
  const { m, name, shape, g } = weightNormArgs(ctx, args, kwargs);
  const at = `parametrizations.${name}`;
  return reparametrize(ctx, m, name, shape, [[`${at}.original0`, g], [`${at}.original1`, shape]], []);
};

const newSpectralNorm: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "spectral_norm", args, kwargs, ["module", "name=", "n_power_iterations=", "eps=", "dim="]);
  const m = targetModule(ctx, a.module, "spectral_norm");
  const name = toStr(ctx, a.name, "name", "weight");
  const shape = paramShape(ctx, m, name, "spectral_norm");
  const at = `parametrizations.${name}`;
  // PyTorch keeps power-iteration vectors only for weights of rank 2 and more.
  const { u, v } = spectralNormUV(shape, optionalDim(ctx, a.dim, null) ?? defaultSpectralDim(m));
  const buffers: [string, number[]][] = shape.length > 1 ? [[`${at}.0._u`, u], [`${at}.0._v`, v]] : [];
  return reparametrize(ctx, m, name, shape, [[`${at}.original`, shape]], buffers);
};

const orthogonal: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "orthogonal", args, kwargs, ["module", "name=", "orthogonal_map=", "use_trivialization="]);
  const m = targetModule(ctx, a.module, "orthogonal");
  const name = toStr(ctx, a.name, "name", "weight");
  const shape = paramShape(ctx, m, name, "orthogonal");
  return reparametrize(ctx, m, name, shape, [[`parametrizations.${name}.original`, shape]], []);
};

const remover = (fnName: string): Fn => (ctx, args, kwargs) => {
  const a = bindArgs(ctx, fnName, args, kwargs, fnName === "remove_parametrizations" ? ["module", "tensor_name", "leave_parametrized="] : ["module", "name="]);
  const m = targetModule(ctx, a.module, fnName);
  return undo(ctx, m, toStr(ctx, a.name ?? a.tensor_name, "name", "weight"), fnName);
};

const isParametrized: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "is_parametrized", args, kwargs, ["module", "tensor_name="]);
  const m = targetModule(ctx, a.module, "is_parametrized");
  const own = reparams.get(m);
  const name = a.tensor_name && a.tensor_name.kind !== "none" ? toStr(ctx, a.tensor_name, "tensor_name") : undefined;
  return { kind: "bool", v: own !== undefined && (name === undefined ? own.size > 0 : own.has(name)) };
};

// Gradients do not exist in a static analysis: clipping is a no-op returning a 0-d norm.
const clipGradNorm: Fn = (ctx) => makeDetachedTensor(ctx, []);

/** rnn.pad_sequence: tensors [L_i, *] stacked to [max L, B, *] (or [B, max L, *] with batch_first). */
const padSequence: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "pad_sequence", args, kwargs, ["sequences", "batch_first=", "padding_value=", "padding_side="]);
  const ts = ctx.iterate(a.sequences ?? NONE).map((v, i) =>
    tensorOrUndefined(ctx, v) ?? ctx.raise("TypeError", `pad_sequence() expects a list of tensors, item ${i} is ${ctx.repr(v)}.`),
  );
  if (ts.length === 0) return ctx.raise("RuntimeError", "pad_sequence() received an empty list of sequences.");
  const lengths = ts.map((t) => t.shape[0] ?? null);
  const longest = lengths.includes(null) ? null : Math.max(...(lengths as number[]));
  const trailing = ts[0].shape.slice(1);
  const batchFirst = toBool(ctx, a.batch_first, false);
  const shape: Shape = batchFirst ? [ts.length, longest, ...trailing] : [longest, ts.length, ...trailing];
  return opNode(ctx, { op: "pad_sequence", category: "merge", inputs: ts, shape, attrs: { batch_first: batchFirst } });
};

/**
 * A PackedSequence is stood in for by the padded tensor itself: recurrent layers accept it, and
 * pad_packed_sequence hands it back with lengths unknown.
 */
const packPaddedSequence: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "pack_padded_sequence", args, kwargs, ["input", "lengths", "batch_first=", "enforce_sorted="]);
  return a.input ?? NONE;
};

const padPackedSequence: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "pad_packed_sequence", args, kwargs, ["sequence", "batch_first=", "padding_value=", "total_length="]);
  return tuple([a.sequence ?? NONE, unknown("the sequence lengths of a packed sequence (not tracked by the analyzer)")]);
};

const packSequence: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "pack_sequence", args, kwargs, ["sequences", "enforce_sorted="]);
  return padSequence(ctx, [a.sequences ?? NONE], new Map());
};

function stub(name: string, fns: Record<string, Fn>, extra: [string, Value][] = []): PyModule {
  const dict = new Map<string, Value>(extra);
  for (const [n, f] of Object.entries(fns)) dict.set(n, builtin(`${name}.${n}`, (a, k, c) => f(c, a, k)));
  return { kind: "module", name, dict };
}

export function nnUtilsRnnModule(): PyModule {
  return stub("torch.nn.utils.rnn", {
    pad_sequence: padSequence,
    pack_padded_sequence: packPaddedSequence,
    pad_packed_sequence: padPackedSequence,
    pack_sequence: packSequence,
  });
}

export function nnUtilsParametrizationsModule(): PyModule {
  return stub("torch.nn.utils.parametrizations", { weight_norm: newWeightNorm, spectral_norm: newSpectralNorm, orthogonal });
}

export function nnUtilsParametrizeModule(): PyModule {
  return stub("torch.nn.utils.parametrize", { remove_parametrizations: remover("remove_parametrizations"), is_parametrized: isParametrized });
}

export function nnUtilsModule(rnn: PyModule, parametrizations: PyModule, parametrize: PyModule): PyModule {
  return stub(
    "torch.nn.utils",
    {
      weight_norm: weightNorm,
      remove_weight_norm: remover("remove_weight_norm"),
      spectral_norm: spectralNorm,
      remove_spectral_norm: remover("remove_spectral_norm"),
      clip_grad_norm_: clipGradNorm,
      clip_grad_norm: clipGradNorm,
      clip_grad_value_: () => NONE,
      parameters_to_vector: () => unknown("torch.nn.utils.parameters_to_vector (values are not tracked by the analyzer)"),
      vector_to_parameters: () => NONE,
    },
    [["rnn", rnn], ["parametrizations", parametrizations], ["parametrize", parametrize]],
  );
}
