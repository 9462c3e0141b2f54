// The analyzer's front door: Python source in, graph IR + diagnostics out. Never throws on user code.

import type * as A from "./python/ast";
import { BudgetExceeded, Interpreter, type ModuleInfo, type ModuleSource } from "./interp/interpreter";
import { GraphBuilder } from "./ir/builder";
import { IR_VERSION, type Diagnostic, type Framework, type GraphIR, type IRNode, type Shape } from "./ir/types";
import type { Range } from "./python/source";
import { type PyInstance, type Value, PyException } from "./interp/values";
import { ensureFrameworks, frameworkOf, runModel, modelParamTotals, torchInputCandidates } from "./entry/frameworks";
import { findEntryCandidates, type EntryCandidate } from "./entry/candidates";
import { parseDirectives } from "./entry/directives";
import { resolveImport } from "./entry/imports";
import { REQUESTED_INPUTS } from "./frameworks/keras/input";

export type { EntryCandidate };

export interface AnalyzeOptions {
  /** Path of the file as the user knows it (used in diagnostics and for relative imports). */
  file: string;
  text: string;
  /** A Python expression evaluated after the module, e.g. `resnet50()`. */
  entry?: string;
  /** Input shapes, batch included, in the framework's layout. */
  input?: number[][];
  /** Reads another workspace file for imports; undefined when it does not exist. */
  readFile?: (path: string) => string | undefined;
  stepBudget?: number;
}

export interface AnalysisResult {
  ir: GraphIR | null;
  diagnostics: Diagnostic[];
  entries: EntryCandidate[];
  entry?: string;
  inputSource?: "option" | "comment" | "inferred" | "model";
}

export function analyze(opts: AnalyzeOptions): AnalysisResult {
  // Python exceptions are ordinary control flow for the interpreter (a loop can raise thousands):
  // skip V8's stack capture for them, which would otherwise dominate such runs.
  const limit = Error.stackTraceLimit;
  if (!DEBUG_STACKS) Error.stackTraceLimit = 0;
  try {
    return analyzeUnguarded(opts);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const DEBUG_STACKS = typeof process !== "undefined" && !!process.env?.RESGRAPH_DEBUG_STACKS;

function analyzeUnguarded(opts: AnalyzeOptions): AnalysisResult {
  ensureFrameworks();
  const graph = new GraphBuilder();
  const interp = new Interpreter({
    graph,
    stepBudget: opts.stepBudget,
    resolveModule: opts.readFile ? (from, dotted, level) => resolveImport(opts.readFile!, from, dotted, level) : undefined,
  });
  // A Keras Input whose shape comes from data (shape=x_train.shape[1:]) takes the --input shape.
  const requested = opts.input ?? parseDirectives(opts.text).input;
  if (requested) interp.state.set(REQUESTED_INPUTS, requested.map((s) => [...s]));
  let info: ModuleInfo;
  try {
    info = interp.runFile(opts.file, opts.text);
  } catch (e) {
    return { ir: null, diagnostics: [...interp.diagnostics, internalError(opts.file, e)], entries: [] };
  }
  const directives = parseDirectives(opts.text);
  const entries = findEntryCandidates(interp, info);
  const explicit = opts.entry ?? directives.entry;
  const tries: string[] = explicit ? [explicit] : entries.map((c) => c.expr);

  for (const expr of tries) {
    const model = evaluateEntry(interp, info, expr, !!explicit);
    if (!model) continue;
    const framework = frameworkOf(model);
    if (!framework) {
      if (explicit) {
        report(interp, opts.file, `The entry '${expr}' did not produce a PyTorch or Keras model (got ${interp.repr(model)}).`, "bad-entry");
      }
      continue;
    }
    const ir = buildIR(interp, info, model as PyInstance, framework, expr, opts, directives.input, graph);
    return { ...ir, entries, entry: expr };
  }
  if (!explicit && tries.length === 0) {
    report(interp, opts.file, "No model found in this file: define a torch.nn.Module or Keras model, or pass an entry expression such as --entry \"build_model()\".", "no-model");
  }
  return { ir: null, diagnostics: interp.diagnostics, entries };
}

function evaluateEntry(interp: Interpreter, info: ModuleInfo, expr: string, explicit: boolean): Value | undefined {
  const before = interp.diagnostics.length;
  try {
    const v = interp.evalIn(info, expr);
    if (v.kind === "unknown") {
      if (explicit) report(interp, info.file, `The entry '${expr}' could not be evaluated: ${v.why}.`, "bad-entry");
      return undefined;
    }
    return v;
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      report(interp, info.file, `The model '${expr}' could not be built: ${e.message}`, "budget");
      return undefined;
    }
    if (!explicit) {
      interp.rollbackDiagnostics(before);
      return undefined;
    }
    const msg = e instanceof PyException ? e.message : e instanceof Error ? e.message : String(e);
    report(interp, info.file, e instanceof PyException && e.code === "bad-entry" ? msg : `The entry '${expr}' failed: ${msg}`, "bad-entry");
    return undefined;
  }
}

function buildIR(
  interp: Interpreter,
  info: ModuleInfo,
  model: PyInstance,
  framework: Exclude<Framework, "unknown">,
  entry: string,
  opts: AnalyzeOptions,
  commentInput: number[][] | undefined,
  moduleGraph: GraphBuilder,
): Omit<AnalysisResult, "entries"> {
  let inputShapes: Shape[] | undefined = opts.input;
  let inputSource: AnalysisResult["inputSource"] = opts.input ? "option" : commentInput ? "comment" : undefined;
  if (!inputShapes && commentInput) inputShapes = commentInput;

  let run: ReturnType<typeof runModel> | undefined;
  let graph = moduleGraph;
  if (framework === "pytorch") {
    let found: ReturnType<typeof inferTorchInput>;
    if (!inputShapes) {
      found = inferTorchInput(interp, info, model);
      if (found) {
        inputShapes = [found.shape];
        inputSource = "inferred";
        report(
          interp,
          info.file,
          `No input shape given: using ${found.shape.join("x")}, ${found.why}. Set one with --input or a '# resgraph: input=...' comment.`,
          "input-inferred",
          "info",
        );
      } else {
        report(interp, info.file, "No input shape makes this model run: pass one with --input (e.g. 1,3,224,224) or a '# resgraph: input=...' comment.", "no-input");
        return { ir: null, diagnostics: interp.diagnostics, inputSource };
      }
    }
    if (found?.clean) {
      // The trial that found the shape already ran the model cleanly: keep its graph.
      ({ graph, run } = found.clean);
    } else {
      graph = new GraphBuilder();
      interp.graph = graph;
      interp.enter(info);
      run = guarded(interp, () => runModel(interp, model, framework, inputShapes));
    }
  } else {
    interp.enter(info);
    run = guarded(interp, () => runModel(interp, model, framework, inputShapes));
    if (run && !opts.input && !commentInput) inputSource = "model";
  }
  if (!run) return { ir: null, diagnostics: interp.diagnostics, inputSource };

  const nodes = framework === "keras" ? reachable(graph, run.inputs, run.outputs) : graph.nodes;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ir: GraphIR = {
    version: IR_VERSION,
    framework,
    file: opts.file,
    entry,
    modelName: modelName(model, entry),
    inputs: run.inputs,
    outputs: run.outputs,
    inputShapes: run.inputs.map((id) => byId.get(id)?.shape ?? []),
    nodes,
    paramTotals: run.paramTotals ?? modelParamTotals(model, framework),
  };
  if (run.moduleClasses) ir.moduleClasses = run.moduleClasses;
  return { ir, diagnostics: interp.diagnostics, inputSource };
}

function guarded<T>(interp: Interpreter, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof PyException || e instanceof BudgetExceeded) {
      // Where it arose, worded as the interpreter words a statement's failure.
      interp.reportUncaught(e);
      return undefined;
    }
    const msg = e instanceof Error ? e.message : String(e);
    report(interp, interp.mainInfo?.file ?? "", sentenceOf(msg), "internal");
    return undefined;
  }
}

/** Keras: only the layers between the model's inputs and outputs belong to it. */
function reachable(graph: GraphBuilder, inputs: string[], outputs: string[]) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const keep = new Set<string>();
  const stack = [...outputs];
  while (stack.length) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const i of byId.get(id)?.inputs ?? []) stack.push(i);
  }
  for (const i of inputs) keep.add(i);
  return claimWeights(graph.nodes.filter((n) => keep.has(n.id)), byId);
}

/**
 * A layer first applied outside the model (inside a nested model's own graph, which the model runs
 * again inlined, or in an earlier build of the same model) shows its weights on its first application
 * inside the model; later ones refer to that one.
 */
function claimWeights(nodes: IRNode[], all: Map<string, IRNode>): IRNode[] {
  const kept = new Set(nodes.map((n) => n.id));
  const claimedBy = new Map<string, string>();
  for (const n of nodes) {
    const first = n.reuseOf;
    if (first === undefined || kept.has(first)) continue;
    const claimant = claimedBy.get(first);
    if (claimant !== undefined) {
      n.reuseOf = claimant;
      continue;
    }
    const original = all.get(first);
    if (!original) continue;
    n.params = original.params;
    n.trainableParams = original.trainableParams;
    n.nonTrainableParams = original.nonTrainableParams;
    n.buffers = original.buffers;
    delete n.reuseOf;
    claimedBy.set(first, n.id);
  }
  return nodes;
}

/**
 * Tries the usual input sizes until the model runs without an error. When none runs cleanly, the size
 * that got furthest (fewest errors, then most layers) is used, so the user still sees a partial graph
 * with the diagnostics that explain it.
 */
interface InferredInput {
  shape: number[];
  why: string;
  /** The trial run itself when it was clean (no errors), reusable as the real run. */
  clean?: { graph: GraphBuilder; run: ReturnType<typeof runModel> };
}

function inferTorchInput(interp: Interpreter, info: ModuleInfo, model: PyInstance): InferredInput | undefined {
  const saved = interp.graph;
  const tried: string[] = [];
  let best: { shape: number[]; errors: number; nodes: number } | undefined;
  const candidates = torchInputCandidates(interp, model);
  for (const shape of candidates.shapes) {
    const before = interp.diagnostics.length;
    const graph = new GraphBuilder();
    interp.graph = graph;
    interp.enter(info);
    let errors = 0;
    let run: ReturnType<typeof runModel> | undefined;
    try {
      run = runModel(interp, model, "pytorch", [shape]);
      errors = interp.diagnostics.slice(before).filter((d) => d.severity === "error").length + (run.outputs.length ? 0 : 1);
    } catch {
      errors = Number.MAX_SAFE_INTEGER;
    }
    if (errors === 0 && run) {
      interp.graph = saved;
      const why = candidates.hint && shape === candidates.shapes[0]
        ? `as ${candidates.hint}`
        : tried.length ? `the first usual size the model runs with (${tried.join(", ")} did not)` : "the first usual size the model runs with";
      return { shape, why, clean: { graph, run } };
    }
    interp.rollbackDiagnostics(before);
    if (!best || errors < best.errors || (errors === best.errors && graph.nodes.length > best.nodes)) {
      best = { shape, errors, nodes: graph.nodes.length };
    }
    tried.push(shape.join("x"));
  }
  interp.graph = saved;
  if (best && best.nodes > 1 && best.errors < Number.MAX_SAFE_INTEGER) {
    return { shape: best.shape, why: `although no usual size runs without errors (tried ${tried.join(", ")}); the errors below explain why` };
  }
  return undefined;
}

function modelName(model: PyInstance, entry: string): string {
  const n = model.native?.name ?? model.dict.get("name");
  if (typeof n === "string") return n;
  if (n && typeof n === "object" && (n as Value).kind === "str") return (n as { v: string }).v;
  const cls = model.cls.name;
  return cls === "Functional" || cls === "Model" || cls === "Sequential" ? entry.replace(/\(.*$/, "") || cls : cls;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function report(interp: Interpreter, file: string, message: string, code: string, severity: Diagnostic["severity"] = "error"): void {
  interp.diagnostics.push({ severity, message, file, range: ZERO, code });
}

function internalError(file: string, e: unknown): Diagnostic {
  const m = e instanceof Error ? e.message : String(e);
  return { severity: "error", message: `Internal analyzer error: ${m}`, file, range: ZERO, code: "internal" };
}

function sentenceOf(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : t + ".";
}

export type { ModuleSource, A };
