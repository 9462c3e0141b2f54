// Making graph nodes: module applications (a layer's forward) and functional ops (F.relu, x + y,
// torch.flatten). Both record the scope of the module whose forward is running.

import type { JsonValue, NodeCategory, Shape } from "../../ir/types";
import type { NativeContext, PyInstance, PyTensor, Value } from "../../interp/values";
import { FOLLOW_ON } from "../../interp/values";
import { currentScope, isDetached, moduleState, scopeOf } from "./state";
import { detachedNumel, requiresGrad } from "./tensor-class";

export interface NodeSpec {
  op: string;
  category: NodeCategory;
  inputs: PyTensor[];
  shape: Shape | null;
  attrs?: Record<string, JsonValue>;
  macs?: number;
  opaque?: string;
}

export function tensorValue(shape: Shape, node: string): PyTensor {
  return { kind: "tensor", shape, node, framework: "pytorch" };
}

/** Own parameter counts of a module (not its children), as PyTorch counts them. */
export function ownCounts(m: PyInstance): { trainable: number; frozen: number; buffers: number } {
  const st = moduleState(m);
  let trainable = 0;
  let frozen = 0;
  let buffers = 0;
  for (const p of st.params.values()) {
    if (!p || !isDetached(p)) continue;
    if (requiresGrad(p)) trainable += detachedNumel(p);
    else frozen += detachedNumel(p);
  }
  for (const b of st.buffers.values()) buffers += b.numel;
  return { trainable, frozen, buffers };
}

/** A node for applying module `self` (carries its own params, `layer: self` for reuse detection). */
export function moduleNode(ctx: NativeContext, self: PyInstance, spec: NodeSpec): PyTensor {
  const st = moduleState(self);
  const scope = scopeOf(ctx, self);
  const leaf = scope.slice(scope.lastIndexOf("/") + 1) || self.cls.name.toLowerCase();
  const { trainable, frozen, buffers } = ownCounts(self);
  const id = ctx.graph.addNode(
    {
      op: spec.op,
      category: spec.category,
      name: leaf,
      attrs: spec.attrs ?? {},
      inputs: spec.inputs,
      shape: spec.shape,
      params: trainable + frozen,
      trainableParams: trainable,
      nonTrainableParams: frozen,
      buffers,
      macs: spec.macs ?? 0,
      scope,
      layer: self,
      created: st.created,
      opaque: spec.opaque,
      idHint: scope || leaf,
    },
    ctx.site(),
  );
  return tensorValue(spec.shape ?? [], id);
}

/** A node for a functional op, scoped to the module whose forward is running ("layer1/0/add"). */
export function opNode(ctx: NativeContext, spec: NodeSpec & { name?: string }): PyTensor {
  const scope = currentScope(ctx);
  const name = spec.name ?? spec.op;
  const id = ctx.graph.addNode(
    {
      op: spec.op,
      category: spec.category,
      name,
      attrs: spec.attrs ?? {},
      inputs: spec.inputs,
      shape: spec.shape,
      macs: spec.macs ?? 0,
      scope,
      opaque: spec.opaque,
      idHint: scope ? `${scope}/${name}` : name,
    },
    ctx.site(),
  );
  return tensorValue(spec.shape ?? [], id);
}

/**
 * The graph tensor for a Parameter or buffer used in forward code (ViT's `cls_token`, tied weights).
 * One node per tensor and analysis. Parameters owned directly by a user module carry their count
 * here, since no other node does; those of stub layers are already on the layer's node.
 */
export function materialize(ctx: NativeContext, t: PyInstance): PyTensor {
  if (!isDetached(t)) return ctx.raise("TypeError", "Expected a tensor.");
  const cache = materializedCache(ctx);
  const hit = cache.get(t);
  if (hit) return hit;
  const owner = t.native.owner;
  const ownerScope = owner ? scopeOf(ctx, owner.module) : currentScope(ctx);
  const name = owner?.name ?? (t.native.isParameter ? "parameter" : "tensor");
  const carries = t.native.isParameter && owner !== undefined && !moduleState(owner.module).makesNode;
  const n = detachedNumel(t);
  const trainable = carries && requiresGrad(t) ? n : 0;
  const frozen = carries && !requiresGrad(t) ? n : 0;
  const id = ctx.graph.addNode(
    {
      op: t.native.isParameter ? "Parameter" : "tensor",
      category: "input",
      name,
      attrs: { shape: t.native.shape },
      inputs: [],
      shape: [...t.native.shape],
      params: trainable + frozen,
      trainableParams: trainable,
      nonTrainableParams: frozen,
      macs: 0,
      scope: ownerScope,
      layer: t,
      idHint: ownerScope ? `${ownerScope}/${name}` : name,
    },
    ctx.site(),
  );
  const out = tensorValue([...t.native.shape], id);
  cache.set(t, out);
  return out;
}

function materializedCache(ctx: NativeContext): Map<PyInstance, PyTensor> {
  let m = ctx.state.get("torch.materialized") as Map<PyInstance, PyTensor> | undefined;
  if (!m) {
    m = new Map();
    ctx.state.set("torch.materialized", m);
  }
  return m;
}

/** A graph tensor for any tensor-like value, or undefined for non-tensors. */
export function tensorOrUndefined(ctx: NativeContext, v: Value | undefined): PyTensor | undefined {
  if (!v) return undefined;
  if (v.kind === "tensor") return v;
  if (isDetached(v)) return materialize(ctx, v);
  return undefined;
}

/** A graph tensor argument, or a TypeError naming the function and argument. */
export function asTensor(ctx: NativeContext, v: Value | undefined, fnName: string, argName = "input"): PyTensor {
  const t = tensorOrUndefined(ctx, v);
  if (t) return t;
  // What an earlier skipped statement left: that statement's diagnostic already explains this one.
  if (v?.kind === "unknown" && v.reported) return ctx.raise("TypeError", `${fnName}() got ${v.why}.`, FOLLOW_ON);
  return ctx.raise(
    "TypeError",
    `${fnName}() argument '${argName}' must be a Tensor, got ${v ? ctx.repr(v) : "nothing"}.`,
  );
}
