// Replays a saved Keras model config (Functional / Model / Sequential, Keras 2, Keras 3 and TF.js
// dialects) through the SAME Keras stubs that analyse Python source: each layer entry is
// constructed as `Class(**config)` and applied to the tensors its inbound nodes name. Shapes,
// params and MACs therefore come from one set of rules and agree exactly with the source analysis.
// Node ids are the layer names; each node's "source" is its layer's entry in the JSON config.

import { Interpreter, type ModuleInfo } from "../interp/interpreter";
import { GraphBuilder } from "../ir/builder";
import { IR_VERSION, type Diagnostic, type GraphIR, type IRNode, type JsonValue, type ParamTotals, type SourceSite } from "../ir/types";
import type { Range } from "../python/source";
import { type PyInstance, type PyModule, type PyTensor, type Value, NONE, PyException, list, str } from "../interp/values";
import { stubModule } from "../frameworks/registry";
import { ensureFrameworks } from "../entry/frameworks";
import { flattenTensors, isKerasTensor } from "../frameworks/keras/emit";
import { makeInput } from "../frameworks/keras/input";
import { layerState } from "../frameworks/keras/layer-state";
import { ModelClass, SequentialClass } from "../frameworks/keras/model";
import { unknownLayerClass } from "../frameworks/keras/layers-opaque";
import { paramTotalsOf } from "../frameworks/keras/totals";
import type { LocatedJson } from "./json-located";
import { type ArgTree, type InboundNode, type TensorRef, parseEndpoints, parseInboundNodes } from "./keras-inbound";
import { configKwargs } from "./keras-values";
import { ZERO_RANGE, diag, messageOf } from "./types";
import { formatInt } from "../view/format";

type Obj = { [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const MODEL_CLASSES = new Set(["Functional", "Model", "Sequential"]);

export interface KerasReplayOptions {
  /** The model file, for sites and diagnostics. */
  file: string;
  located: LocatedJson;
  /** `{"class_name": "Functional", "config": {...}}` inside `located.value`. */
  model: JsonValue;
  /** Key path of `model` in the file, for messages ("modelTopology.model_config"). */
  keyPath: string;
  /** Layer name -> weight shapes from the file's own weight list (TF.js manifest), when it has one. */
  weightShapes?: Map<string, { name: string; shape: number[] }[]>;
}

export interface KerasReplayResult {
  ir: GraphIR | null;
  diagnostics: Diagnostic[];
}

interface LayerEntry {
  name: string;
  className: string;
  layer: PyInstance;
  path: string;
  range: Range;
  inbound: InboundNode[];
}

class Replay {
  readonly graph = new GraphBuilder();
  readonly interp: Interpreter;
  readonly info: ModuleInfo;
  readonly layersModule: PyModule;
  readonly diagnostics: Diagnostic[] = [];
  /** Layer name -> its entry's range, for node sites. */
  readonly ranges = new Map<string, Range>();
  /** Layer name -> key path of its entry ("modelTopology.config.layers[3]"). */
  readonly paths = new Map<string, string>();

  constructor(readonly opts: KerasReplayOptions) {
    ensureFrameworks();
    this.interp = new Interpreter({ graph: this.graph });
    this.info = this.interp.runFile(opts.file, "");
    this.interp.enter(this.info);
    this.layersModule = stubModule("keras.layers")!;
  }

  rangeOf(v: object): Range {
    return this.opts.located.rangeOf(v) ?? ZERO_RANGE;
  }

  report(message: string, code: string, range: Range, severity: Diagnostic["severity"] = "error"): void {
    this.diagnostics.push(diag(this.opts.file, message, code, severity, range));
  }

  /** Runs `f`; diagnostics the stubs report meanwhile move to `range` and name the key path. */
  located<T>(range: Range, path: string, f: () => T): T {
    const mark = this.interp.diagnostics.length;
    try {
      return f();
    } finally {
      for (const d of this.interp.diagnostics.splice(mark)) {
        const msg = d.message.replace(/ \(line \d+\)\.?$/, ".").replace(/ The statement was skipped\.$/, "");
        this.diagnostics.push({ ...d, message: `${msg.replace(/\.$/, "")} (at ${path}).`, range });
      }
    }
  }

  // ---------------------------------------------------------------- models

  buildModel(entry: Obj, path: string): { model: PyInstance | undefined; inputs: PyTensor[]; outputs: PyTensor[]; layers: PyInstance[] } | undefined {
    const className = String(entry.class_name ?? "");
    const cfg = entry.config;
    if (className === "Sequential") return this.buildSequential(cfg, `${path}.config`, this.rangeOf(entry), false);
    if (className === "Functional" || className === "Model") {
      if (!isObj(cfg)) {
        this.report(`The model config has no "config" object at ${path}.config.`, "bad-config", this.rangeOf(entry));
        return undefined;
      }
      return this.buildFunctional(cfg, `${path}.config`);
    }
    this.report(
      `Unsupported model class '${className}' at ${path}.class_name: only Functional, Model and Sequential configs can be loaded (a subclassed model saves no layer graph).`,
      "unsupported",
      this.rangeOf(entry),
    );
    return undefined;
  }

  /** Top-level Sequential: layers applied one by one so each diagnostic lands on its entry. */
  buildSequential(cfg: JsonValue | undefined, path: string, range: Range, nested: boolean) {
    // Keras 2.0 stored a Sequential config as the bare list of layers.
    const layersJson = Array.isArray(cfg) ? cfg : isObj(cfg) ? cfg.layers : undefined;
    const layersPath = Array.isArray(cfg) ? path : `${path}.layers`;
    if (!Array.isArray(layersJson)) {
      this.report(`The Sequential config has no "layers" list at ${layersPath}.`, "bad-config", range);
      return undefined;
    }
    const name = isObj(cfg) && typeof cfg.name === "string" ? cfg.name : "sequential";
    const entries: LayerEntry[] = [];
    layersJson.forEach((l, i) => {
      const e = this.makeLayer(l, `${layersPath}[${i}]`);
      if (e) entries.push(e);
    });
    if (nested) {
      const model = this.interp.call(SequentialClass, [], new Map<string, Value>([["layers", list(entries.map((e) => e.layer))], ["name", str(name)]])) as PyInstance;
      return { model, inputs: [], outputs: [], layers: entries.map((e) => e.layer) };
    }
    let x: Value | undefined;
    let input: PyTensor | undefined;
    const applied: PyInstance[] = [];
    for (const e of entries) {
      if (!x) {
        if (e.className === "InputLayer") {
          x = this.located(e.range, e.path, () => this.interp.call(e.layer, []));
          if (isKerasTensor(x)) input = x;
          applied.push(e.layer);
          continue;
        }
        const declared = layerState(this.interp, e.layer).batchInputShape;
        if (!declared) {
          this.report(
            `Sequential model '${name}' has no input shape: its first layer '${e.name}' (${e.path}) has no batch_input_shape and there is no InputLayer.`,
            "no-input",
            e.range,
          );
          return undefined;
        }
        input = this.located(e.range, e.path, () => makeInput(this.interp, declared));
        x = input;
      }
      x = this.apply(e, [x]);
      applied.push(e.layer);
    }
    if (!x || !isKerasTensor(x) || !input) {
      this.report(`Sequential model '${name}' produced no output tensor.`, "bad-config", range);
      return undefined;
    }
    return {
      model: undefined,
      inputs: [input],
      outputs: [x],
      layers: applied,
    };
  }

  buildFunctional(cfg: Obj, path: string) {
    const layersJson = cfg.layers;
    if (!Array.isArray(layersJson)) {
      this.report(`The functional model config has no "layers" list at ${path}.layers.`, "bad-config", this.rangeOf(cfg));
      return undefined;
    }
    const entries: LayerEntry[] = [];
    layersJson.forEach((l, i) => {
      const e = this.makeLayer(l, `${path}.layers[${i}]`);
      if (e) entries.push(e);
    });
    const byName = new Map(entries.map((e) => [e.name, e]));
    const produced = new Map<string, Value[]>();
    // Inputs first: an InputLayer's node 0 is its tensor.
    for (const e of entries) {
      if (e.className === "InputLayer") produced.set(e.name, [this.located(e.range, e.path, () => this.interp.call(e.layer, []))]);
    }
    // Layers are usually listed in order; apply whatever is ready until nothing changes (as Keras's from_config does).
    let pending = entries.flatMap((e) => (e.className === "InputLayer" ? [] : e.inbound.map((node, index) => ({ e, node, index }))));
    while (pending.length > 0) {
      const next: typeof pending = [];
      for (const p of pending) {
        const done = produced.get(p.e.name) ?? [];
        const ready = done.length === p.index && allRefs(p.node).every((r) => this.tensorOf(produced, r) !== undefined);
        if (!ready) {
          next.push(p);
          continue;
        }
        const args = p.node.args.map((t) => this.treeValue(produced, t));
        done.push(this.apply(p.e, args));
        produced.set(p.e.name, done);
      }
      if (next.length === pending.length) {
        for (const p of next) {
          const missing = allRefs(p.node).find((r) => this.tensorOf(produced, r) === undefined);
          const what = missing
            ? byName.has(missing.layer)
              ? `tensor ['${missing.layer}', ${missing.node}, ${missing.tensor}], which is never produced (a cycle or a missing inbound node)`
              : `tensor ['${missing.layer}', ${missing.node}, ${missing.tensor}] of layer '${missing.layer}', which is not in the config`
            : "an earlier application that never happened";
          this.report(`Layer '${p.e.name}' at ${p.e.path}.inbound_nodes[${p.index}] takes ${what}; it was left out.`, "bad-config", p.e.range);
        }
        break;
      }
      pending = next;
    }
    const ends = (key: "input_layers" | "output_layers"): PyTensor[] => {
      let refs: TensorRef[];
      try {
        refs = parseEndpoints(cfg[key], `${path}.${key}`);
      } catch (msg) {
        this.report(String(msg), "bad-config", this.rangeOf(cfg));
        return [];
      }
      const out: PyTensor[] = [];
      for (const r of refs) {
        const t = this.tensorOf(produced, r);
        if (t) out.push(t);
        else this.report(`${path}.${key} names tensor ['${r.layer}', ${r.node}, ${r.tensor}], which no layer produced.`, "bad-config", this.rangeOf(cfg));
      }
      return out;
    };
    const inputs = ends("input_layers");
    const outputs = ends("output_layers");
    if (outputs.length === 0) return undefined;
    const name = typeof cfg.name === "string" ? cfg.name : "model";
    const kw = new Map<string, Value>([
      ["inputs", list(inputs)],
      ["outputs", outputs.length === 1 ? outputs[0] : list(outputs)],
      ["name", str(name)],
    ]);
    if (cfg.trainable === false) kw.set("trainable", { kind: "bool", v: false });
    const model = this.interp.call(ModelClass, [], kw) as PyInstance;
    return { model, inputs, outputs, layers: [] as PyInstance[] };
  }

  // ---------------------------------------------------------------- layers

  makeLayer(json: JsonValue, path: string): LayerEntry | undefined {
    if (!isObj(json)) {
      this.report(`The layer entry at ${path} is not an object.`, "bad-config", ZERO_RANGE);
      return undefined;
    }
    const range = this.rangeOf(json);
    const className = typeof json.class_name === "string" ? json.class_name : "";
    const cfg = isObj(json.config) ? json.config : {};
    const name = typeof json.name === "string" ? json.name : typeof cfg.name === "string" ? cfg.name : "";
    if (!className || !name) {
      this.report(`The layer entry at ${path} has no ${!className ? '"class_name"' : '"name"'}; it was left out.`, "bad-config", range);
      return undefined;
    }
    let inbound: InboundNode[] = [];
    try {
      inbound = parseInboundNodes(json.inbound_nodes, `${path}.inbound_nodes`);
    } catch (msg) {
      this.report(String(msg), "bad-config", range);
    }
    this.ranges.set(name, range);
    this.paths.set(name, path);
    const layer = MODEL_CLASSES.has(className) ? this.makeNestedModel(json, path, name, range) : this.makeBuiltin(className, cfg, name, path, range);
    return { name, className, layer, path, range, inbound };
  }

  makeNestedModel(json: Obj, path: string, name: string, range: Range): PyInstance {
    const built =
      json.class_name === "Sequential"
        ? this.buildSequential(json.config, `${path}.config`, range, true)
        : isObj(json.config)
          ? this.buildFunctional(json.config, `${path}.config`)
          : undefined;
    return built?.model ?? this.opaqueLayer(String(json.class_name), name, range);
  }

  makeBuiltin(className: string, cfg: Obj, name: string, path: string, range: Range): PyInstance {
    const known = this.layersModule.dict.has(className) && className !== "Layer";
    if (!known) {
      this.report(
        `Unknown layer class '${className}' for layer '${name}' at ${path}.class_name: shown as an opaque node that passes its input shape through.`,
        "unsupported",
        range,
        "warning",
      );
      return this.opaqueLayer(className, name, range);
    }
    const cls = this.layersModule.dict.get(className)!;
    const mark = this.diagnostics.length;
    try {
      return this.located(range, `${path}.config`, () => this.interp.call(cls, [], configKwargs({ ...cfg, name }, this.opts.located))) as PyInstance;
    } catch (e) {
      this.diagnostics.splice(mark);
      this.report(`Layer '${name}' (${className}) at ${path}.config could not be configured: ${messageOf(e)} It is shown as an opaque node.`, "bad-config", range, "warning");
      return this.opaqueLayer(className, name, range);
    }
  }

  opaqueLayer(className: string, name: string, range: Range): PyInstance {
    const mark = this.interp.diagnostics.length;
    const layer = this.interp.call(unknownLayerClass(className), [], new Map([["name", str(name)]])) as PyInstance;
    // The stub's own "unknown layer" warning is replaced by ours, which names the key path.
    this.interp.diagnostics.splice(mark);
    this.ranges.set(name, range);
    return layer;
  }

  apply(e: LayerEntry, args: Value[]): Value {
    try {
      return this.located(e.range, e.path, () => this.interp.call(e.layer, args));
    } catch (err) {
      const msg = err instanceof PyException ? err.message : messageOf(err);
      this.report(`Layer '${e.name}' (${e.className}) at ${e.path} failed: ${msg.replace(/\.?$/, ".")} It is shown as an opaque node.`, err instanceof PyException && err.code === "shape-mismatch" ? "shape-mismatch" : "bad-config", e.range);
      const stand = this.opaqueLayer(e.className, `${e.name}`, e.range);
      try {
        return this.interp.call(stand, args.length === 1 ? args : [list(args)]);
      } catch {
        return NONE;
      }
    }
  }

  tensorOf(produced: Map<string, Value[]>, r: TensorRef): PyTensor | undefined {
    const v = produced.get(r.layer)?.[r.node];
    return v ? flattenTensors(v)[r.tensor] : undefined;
  }

  treeValue(produced: Map<string, Value[]>, t: ArgTree): Value {
    if (t.kind === "ref") return this.tensorOf(produced, t.ref) ?? NONE;
    if (t.kind === "list") return list(t.items.map((x) => this.treeValue(produced, x)));
    return NONE;
  }
}

function allRefs(node: InboundNode): TensorRef[] {
  const out: TensorRef[] = [];
  const walk = (t: ArgTree): void => {
    if (t.kind === "ref") out.push(t.ref);
    else if (t.kind === "list") t.items.forEach(walk);
  };
  node.args.forEach(walk);
  return out;
}

/** Keeps the nodes between the model's inputs and outputs (a nested model's inner nodes fold into its node). */
function reachable(nodes: IRNode[], inputs: string[], outputs: string[]): IRNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const keep = new Set<string>(inputs);
  const stack = [...outputs];
  while (stack.length) {
    const id = stack.pop()!;
    if (keep.has(id) && !inputs.includes(id)) continue;
    keep.add(id);
    for (const i of byId.get(id)?.inputs ?? []) if (!keep.has(i)) stack.push(i);
  }
  return nodes.filter((n) => keep.has(n.id));
}

/** Replays a Keras model config into the graph IR. Never throws. */
export function replayKerasModel(opts: KerasReplayOptions): KerasReplayResult {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let r: Replay | undefined;
  try {
    r = new Replay(opts);
    return finish(r, opts);
  } catch (e) {
    const diags = r?.diagnostics ?? [];
    return { ir: null, diagnostics: [...diags, diag(opts.file, `The Keras model config at ${opts.keyPath} could not be loaded: ${messageOf(e)}`, "internal")] };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function finish(r: Replay, opts: KerasReplayOptions): KerasReplayResult {
  if (!isObj(opts.model)) {
    r.report(`${opts.keyPath} should be an object with "class_name" and "config".`, "bad-config", ZERO_RANGE);
    return { ir: null, diagnostics: r.diagnostics };
  }
  const built = r.buildModel(opts.model, opts.keyPath);
  if (!built || built.outputs.length === 0) return { ir: null, diagnostics: r.diagnostics };
  const inputs = built.inputs.map((t) => t.node);
  const outputs = built.outputs.map((t) => t.node);
  const nodes = reachable(r.graph.nodes, inputs, outputs);
  const roots = built.model ? [built.model] : built.layers;
  const paramTotals: ParamTotals = paramTotalsOf(r.interp, roots);
  const modelCfg = opts.model.config;
  const modelName = isObj(modelCfg) && typeof modelCfg.name === "string" ? modelCfg.name : String(opts.model.class_name);
  for (const n of nodes) {
    const range = r.ranges.get(n.name) ?? ZERO_RANGE;
    const site: SourceSite = { file: opts.file, range, stack: [] };
    n.created = site;
    n.applied = site;
    n.scope = "";
    const path = r.paths.get(n.name);
    if (path) n.attrs = { ...n.attrs, configPath: path };
  }
  if (opts.weightShapes) checkWeights(r, nodes, paramTotals, opts.weightShapes);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ir: GraphIR = {
    version: IR_VERSION,
    framework: "keras",
    file: opts.file,
    entry: modelName,
    modelName,
    inputs,
    outputs,
    inputShapes: inputs.map((id) => byId.get(id)?.shape ?? []),
    nodes,
    paramTotals,
  };
  return { ir, diagnostics: r.diagnostics };
}

const NON_TRAINABLE = /(^|\/)(moving_mean|moving_variance|running_mean|running_var)(:0)?$/;

/**
 * The file's own weight list is the truth for params: when a layer's replayed weights differ from it,
 * the node takes the file's numbers and a warning says so.
 */
function checkWeights(r: Replay, nodes: IRNode[], totals: ParamTotals, weights: Map<string, { name: string; shape: number[] }[]>): void {
  let fileTotal = 0;
  for (const ws of weights.values()) for (const w of ws) fileTotal += w.shape.reduce((p, d) => p * d, 1);
  for (const n of nodes) {
    if (n.reuseOf || n.op === "Functional") continue;
    const ws = weights.get(n.name);
    if (!ws) continue;
    let trainable = 0;
    let nonTrainable = 0;
    for (const w of ws) {
      const count = w.shape.reduce((p, d) => p * d, 1);
      if (NON_TRAINABLE.test(w.name)) nonTrainable += count;
      else trainable += count;
    }
    const total = trainable + nonTrainable;
    if (total === n.params) continue;
    r.report(
      `Layer '${n.name}' has ${formatInt(n.params)} parameters by its config but ${formatInt(total)} in the weights manifest; the manifest's count is used.`,
      "weights-mismatch",
      n.created?.range ?? ZERO_RANGE,
      "warning",
    );
    totals.params += total - n.params;
    totals.trainableParams += trainable - n.trainableParams;
    totals.nonTrainableParams += nonTrainable - n.nonTrainableParams;
    n.params = total;
    n.trainableParams = trainable;
    n.nonTrainableParams = nonTrainable;
  }
  if (weights.size > 0 && fileTotal !== totals.params) {
    r.report(
      `The file lists ${formatInt(fileTotal)} weights in total but its layers have ${formatInt(totals.params)} parameters by their configs.`,
      "weights-mismatch",
      ZERO_RANGE,
      "warning",
    );
  }
}
