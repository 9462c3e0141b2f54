// Shared helpers for the torch stub tests: stub lookup, graph inputs and kwargs in one line.

import { registerTorch } from "../../../src/frameworks/torch/index";
import { stubModule } from "../../../src/frameworks/registry";
import type { NativeContext, PyClass, PyInstance, PyModule, PyTensor, Value } from "../../../src/interp/values";
import type { Shape } from "../../../src/ir/types";
import type { RecordedNode } from "../../helpers/fake-context";

registerTorch();

export function mod(name: string): PyModule {
  const m = stubModule(name);
  if (!m) throw new Error(`stub module ${name} is not registered`);
  return m;
}

export function nnClass(name: string): PyClass {
  const v = mod("torch.nn").dict.get(name);
  if (!v || v.kind !== "class") throw new Error(`torch.nn.${name} is not a class`);
  return v;
}

export function fn(moduleName: string, name: string): Value {
  const v = mod(moduleName).dict.get(name);
  if (!v) throw new Error(`${moduleName}.${name} is missing`);
  return v;
}

export const kw = (o: Record<string, Value>): Map<string, Value> => new Map(Object.entries(o));

/** A graph input tensor. */
export function input(ctx: NativeContext, shape: Shape, hint = "x"): PyTensor {
  const id = ctx.graph.addNode({ op: "Input", category: "input", name: hint, inputs: [], shape, idHint: hint }, ctx.site());
  return { kind: "tensor", shape, node: id, framework: "pytorch" };
}

/** Constructs torch.nn.<name>(*args, **kwargs). */
export function layer(ctx: NativeContext, name: string, args: Value[], kwargs: Record<string, Value> = {}): PyInstance {
  return ctx.call(nnClass(name), args, kw(kwargs)) as PyInstance;
}

export function asTensor(v: Value): PyTensor {
  if (v.kind !== "tensor") throw new Error(`expected a tensor, got ${v.kind}`);
  return v;
}

export function nodeOf(nodes: RecordedNode[], t: Value): RecordedNode {
  const n = nodes.find((x) => x.id === asTensor(t).node);
  if (!n) throw new Error("node not recorded");
  return n;
}
