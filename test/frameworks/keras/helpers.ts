// Shared helpers for the Keras stub tests: module lookup and terse value builders.

import { type Kwargs, type PyClass, type PyModule, type PyTensor, type Value, NONE, int, str, tuple } from "../../../src/interp/values";
import { layersModule, modelsModule } from "../../../src/frameworks/keras/modules";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { fakeContext } from "../../helpers/fake-context";

export type Ctx = ReturnType<typeof fakeContext>;

export function layer(name: string): PyClass {
  const m: PyModule = layersModule();
  const v = m.dict.get(name);
  if (!v || v.kind !== "class") throw new Error(`keras.layers.${name} is not a class`);
  return v;
}

export function model(name: "Model" | "Sequential"): PyClass {
  return modelsModule().dict.get(name) as PyClass;
}

export function layersFn(name: string): Value {
  const v = layersModule().dict.get(name);
  if (!v) throw new Error(`keras.layers.${name} is missing`);
  return v;
}

/** Python-ish shape literal: shp(224, 224, 3) -> (224, 224, 3); null -> None. */
export function shp(...dims: (number | null)[]): Value {
  return tuple(dims.map((d) => (d === null ? NONE : int(d))));
}

export function kw(entries: Record<string, Value | number | string>): Kwargs {
  const m: Kwargs = new Map();
  for (const [k, v] of Object.entries(entries)) m.set(k, typeof v === "number" ? int(v) : typeof v === "string" ? str(v) : v);
  return m;
}

export function input(ctx: Ctx, ...dims: (number | null)[]): PyTensor {
  return ctx.call(layersFn("Input"), [], kw({ shape: shp(...dims) })) as PyTensor;
}

export function make(ctx: Ctx, cls: string, args: Value[] = [], kwargs: Record<string, Value | number | string> = {}): Value {
  return ctx.call(layer(cls), args, kw(kwargs));
}

export function node(ctx: Ctx, t: Value) {
  if (t.kind !== "tensor") throw new Error(`expected a tensor, got ${t.kind}`);
  const n = ctx.nodes.find((x) => x.id === t.node);
  if (!n) throw new Error(`no node ${t.node}`);
  return n;
}

export { fakeContext, int, str, NONE };

/** Analyses `imports` + `body` with `entry`; the IR must exist. What the Keras model tests read back. */
export function analyzeKeras(imports: string, body: string, entry = "model") {
  const r = analyze({ file: "model.py", text: `${imports}\n\n${body}`, entry });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  const ir = r.ir;
  const problems = r.diagnostics.filter((d) => d.severity !== "info");
  return {
    ir,
    /** Warnings and errors as "line: message". */
    diagnostics: problems.map((d) => `${d.range.start.line + 1}: ${d.message}`),
    warnings: problems.map((d) => d.message),
    output: ir.outputs.map((id) => ir.nodes.find((n) => n.id === id)!.shape),
    shapes: (op: string) => ir.nodes.filter((n) => n.op === op).map((n) => n.shape),
    node: (name: string) => ir.nodes.find((n) => n.name === name),
    paramsOf: (name: string) => ir.nodes.find((n) => n.name === name)?.params,
  };
}
