// The analyzer's front door: Python source in, graph IR + diagnostics out. Never throws on user code.

import type * as A from "./python/ast";
import { BudgetExceeded, Interpreter, type ModuleInfo, type ModuleSource } from "./interp/interpreter";
import { GraphBuilder } from "./ir/builder";
import { IR_VERSION, type Diagnostic, type Framework, type GraphIR, type IRNode, type Shape } from "./ir/types";
import type { Range } from "./python/source";
import { type PyInstance, type Value, PyException } from "./interp/values";
import { ensureFrameworks, frameworkOf, runModel, modelParamTotals, torchInputCandidates, type ModelRun } from "./entry/frameworks";
import { findEntryCandidates, type EntryCandidate } from "./entry/candidates";
import { entrySite } from "./entry/entry-site";
import { forwardInputs, holdsLstm, inputCountProblem } from "./entry/forward-inputs";
import { inferTorchInput, type InferredInput } from "./entry/infer-input";
import { reboundByLoads, withoutLoads } from "./entry/rebound";
import { chooseEntry } from "./entry/choose-entry";
import { parseDirectives } from "./entry/directives";
import { type ClassNeedingArguments, type ModelNeedingArguments, classesNeedingArguments, likelyModel, modelsNeedingArguments, needsArgumentsMessage, partsOfClassesNeedingArguments } from "./entry/no-model";
import { resolveImport } from "./entry/imports";
import { REQUESTED_INPUTS } from "./frameworks/keras/input";
import { withoutWithdrawn } from "./interp/withdrawn-diagnostics";
import { downgradeAssumedShapeErrors } from "./interp/shape-assumptions";

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
  /** Candidates tried without --entry that built no graph: never worth suggesting. */
  failedEntries?: string[];
  /** Candidates tried without --entry that gave something other than a model (a factory returning a functools.partial). */
  notModelEntries?: string[];
}

export function analyze(opts: AnalyzeOptions): AnalysisResult {
  // Python exceptions are ordinary control flow for the interpreter (a loop can raise thousands):
  // skip V8's stack capture for them, which would otherwise dominate such runs.
  const limit = Error.stackTraceLimit;
  if (!DEBUG_STACKS) Error.stackTraceLimit = 0;
  try {
    const result = analyzeUnguarded(opts);
    return { ...result, diagnostics: withoutWithdrawn(result.diagnostics) };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const DEBUG_STACKS = typeof process !== "undefined" && !!process.env?.RESGRAPH_DEBUG_STACKS;

interface ModuleRun {
  interp: Interpreter;
  info: ModuleInfo;
  graph: GraphBuilder;
}

function analyzeUnguarded(opts: AnalyzeOptions): AnalysisResult {
  ensureFrameworks();
  const first = runModule(opts);
  if ("failed" in first) return first.failed;
  // `model = keras.models.load_model(...)` after the code built `model`: run again without the load.
  const loads = reboundByLoads(first.info).filter((r) => !isModel(first.info.mod.dict.get(r.name)));
  if (loads.length > 0) {
    const again = runModule({ ...opts, text: withoutLoads(opts.text, loads) });
    const kept = "failed" in again ? [] : loads.filter((r) => isModel(again.info.mod.dict.get(r.name)));
    if (!("failed" in again) && kept.length > 0) {
      for (const r of kept) {
        const load = r.load.length > 60 ? `${r.load.slice(0, 57)}...` : r.load;
        reportAt(again, r.statement, `'${r.name}' is reloaded by ${load}, a saved model the analyzer does not read; it keeps the model built at line ${r.earlierLine}, as a checkpoint saved by this code has the same layers.`, "saved-model", "info");
      }
      return analyzeEntry(opts, again);
    }
  }
  return analyzeEntry(opts, first);
}

/** Runs the module's top level. */
function runModule(opts: AnalyzeOptions): ModuleRun | { failed: AnalysisResult } {
  const graph = new GraphBuilder();
  const interp = new Interpreter({
    graph,
    stepBudget: opts.stepBudget,
    resolveModule: opts.readFile ? (from, dotted, level) => resolveImport(opts.readFile!, from, dotted, level) : undefined,
  });
  // A Keras Input whose shape comes from data (shape=x_train.shape[1:]) takes the --input shape.
  const requested = opts.input ?? parseDirectives(opts.text).input;
  if (requested) interp.state.set(REQUESTED_INPUTS, requested.map((s) => [...s]));
  try {
    return { interp, info: interp.runFile(opts.file, opts.text), graph };
  } catch (e) {
    return { failed: { ir: null, diagnostics: [...interp.diagnostics, internalError(opts.file, e)], entries: [] } };
  }
}

function isModel(v: Value | undefined): boolean {
  return v !== undefined && frameworkOf(v) !== undefined;
}

function analyzeEntry(opts: AnalyzeOptions, mod: ModuleRun): AnalysisResult {
  const { interp, info } = mod;
  const directives = parseDirectives(opts.text);
  const { entries: found, losses } = findEntryCandidates(interp, info);
  let needing: ClassNeedingArguments[] | undefined;
  const needingArguments = () => (needing ??= classesNeedingArguments(interp, info));
  let models: ModelNeedingArguments[] | undefined;
  const modelsNeeding = () => (models ??= modelsNeedingArguments(interp, info, needingArguments()));
  // A building block of a model that needs arguments is no candidate: analysed alone, it would stand in
  // for the model. Nor is a loss when the file has models that need arguments: it is never the model.
  const parts = found.some((c) => c.kind === "class") ? partsOfClassesNeedingArguments(found, needingArguments(), opts.text) : new Set<string>();
  if (losses.size > 0 && modelsNeeding().length > 0) for (const l of losses) parts.add(l);
  const entries = parts.size > 0 ? found.filter((c) => !parts.has(c.expr)) : found;
  const explicit = opts.entry ?? directives.entry;
  if (explicit) {
    const built = tryEntry(mod, explicit, true, opts, directives.input);
    return built ? { ...built, entries, entry: explicit } : { ir: null, diagnostics: interp.diagnostics, entries };
  }
  const inputGiven = !!(opts.input ?? directives.input);
  const notModels: string[] = [];
  const choice = chooseEntry(interp, info.file, entries, inputGiven, (expr) => tryEntry(mod, expr, false, opts, directives.input, notModels));
  const noModel = notModels.length > 0 ? { notModelEntries: notModels } : {};
  if (choice) {
    const failed = choice.failed.length > 0 ? { failedEntries: choice.failed } : {};
    return { ...choice.chosen.built, diagnostics: interp.diagnostics, entries, entry: choice.chosen.expr, ...failed, ...noModel };
  }
  // No candidate gave a model and none was a model class (a `test()` factory returns None): the model
  // classes that need arguments are the answer.
  const needs = entries.some((c) => c.kind === "class") ? [] : modelsNeeding();
  if (needs.length > 0) {
    const example = likelyModel(needs, opts.text);
    reportAt(mod, example.statement.nameSpan, needsArgumentsMessage(needs, example), "no-model", "error");
  } else if (entries.length === 0) {
    report(interp, opts.file, "No model found in this file: define a torch.nn.Module or Keras model, or pass an entry expression such as --entry \"build_model()\".", "no-model");
  }
  return { ir: null, diagnostics: interp.diagnostics, entries, ...noModel };
}

/** Evaluates an entry and, when it is a model, runs it; undefined when it gave no model. */
function tryEntry(
  mod: ModuleRun,
  expr: string,
  explicit: boolean,
  opts: AnalyzeOptions,
  commentInput: number[][] | undefined,
  /** Receives `expr` when it evaluates to something other than a model. */
  notModels?: string[],
): Omit<AnalysisResult, "entries"> | undefined {
  const { interp, info } = mod;
  const model = evaluateEntry(interp, info, expr, explicit);
  if (!model) return undefined;
  const framework = frameworkOf(model);
  if (!framework) {
    notModels?.push(expr);
    if (explicit) report(interp, opts.file, `The entry '${expr}' did not produce a PyTorch or Keras model (got ${interp.repr(model)}).`, "bad-entry");
    return undefined;
  }
  return { ...buildIR(mod, model as PyInstance, framework, expr, opts, commentInput), entry: expr };
}

function evaluateEntry(interp: Interpreter, info: ModuleInfo, expr: string, explicit: boolean): Value | undefined {
  const before = interp.diagnostics.length;
  try {
    const v = interp.evalIn(info, expr);
    if (v.kind === "unknown") {
      if (explicit) report(interp, info.file, `The entry '${expr}' could not be evaluated: ${sentenceOf(v.why)}`, "bad-entry");
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
  mod: ModuleRun,
  model: PyInstance,
  framework: Exclude<Framework, "unknown">,
  entry: string,
  opts: AnalyzeOptions,
  commentInput: number[][] | undefined,
): Omit<AnalysisResult, "entries"> {
  const { interp, info } = mod;
  let inputShapes: Shape[] | undefined = opts.input;
  let inputSource: AnalysisResult["inputSource"] = opts.input ? "option" : commentInput ? "comment" : undefined;
  if (!inputShapes && commentInput) inputShapes = commentInput;
  // Failures before the model's own code runs are the model's, not the module's last statement's.
  const site = entrySite(interp, info, entry, model);
  const start = () => {
    interp.enter(info);
    if (site) interp.atSpan(site.from, site.to);
  };

  let run: ModelRun | undefined;
  let graph = mod.graph;
  if (framework === "pytorch") {
    const forward = forwardInputs(interp, model);
    const problem = forward && inputCountProblem(
      forward,
      inputShapes?.length,
      () => inputShapes?.[0]?.map((d) => d ?? 1) ?? torchInputCandidates(interp, model).shapes[0],
      () => holdsLstm(interp, model),
    );
    if (problem) {
      reportAt(mod, site, problem, inputShapes ? "input-count" : "no-input", "error");
      return { ir: null, diagnostics: interp.diagnostics, inputSource };
    }
    let found: InferredInput | undefined;
    if (!inputShapes) {
      found = inferTorchInput(interp, model, start);
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
        reportAt(mod, site, "No input shape makes this model run: pass one with --input (e.g. 1,3,224,224) or a '# resgraph: input=...' comment.", "no-input", "error");
        return { ir: null, diagnostics: interp.diagnostics, inputSource };
      }
    }
    if (found?.clean) {
      // The trial that found the shape already ran the model cleanly: keep its graph.
      ({ graph, run } = found.clean);
    } else {
      graph = new GraphBuilder();
      interp.graph = graph;
      start();
      run = guarded(interp, () => runModel(interp, model, framework, inputShapes));
    }
  } else {
    start();
    run = guarded(interp, () => runModel(interp, model, framework, inputShapes));
    if (run && !opts.input && !commentInput) inputSource = "model";
  }
  if (!run) return { ir: null, diagnostics: interp.diagnostics, inputSource };

  const nodes = framework === "keras" ? reachable(graph, run.inputs, run.outputs) : graph.nodes;
  const ir: GraphIR = {
    version: IR_VERSION,
    framework,
    file: opts.file,
    entry,
    modelName: modelName(model, entry),
    inputs: run.inputs,
    outputs: run.outputs,
    // Node ids are unique and the inputs come first: a search beats indexing every node.
    inputShapes: run.inputs.map((id) => nodes.find((n) => n.id === id)?.shape ?? []),
    nodes,
    paramTotals: run.paramTotals ?? modelParamTotals(model, framework),
  };
  if (run.moduleClasses) ir.moduleClasses = run.moduleClasses;
  downgradeAssumedShapeErrors(interp.diagnostics, graph, nodes);
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
  const all = graph.nodes;
  const position = new Map<string, number>();
  for (let i = 0; i < all.length; i++) position.set(all[i].id, i);
  const keep = new Uint8Array(all.length);
  const stack = [...outputs];
  while (stack.length) {
    const at = position.get(stack.pop()!);
    if (at === undefined || keep[at]) continue;
    keep[at] = 1;
    for (const i of all[at].inputs) stack.push(i);
  }
  for (const i of inputs) {
    const at = position.get(i);
    if (at !== undefined) keep[at] = 1;
  }
  return claimWeights(all.filter((_, i) => keep[i] === 1), all, position, keep);
}

/**
 * A layer first applied outside the model (inside a nested model's own graph, which the model runs
 * again inlined, or in an earlier build of the same model) shows its weights on its first application
 * inside the model; later ones refer to that one.
 */
function claimWeights(nodes: IRNode[], all: IRNode[], position: Map<string, number>, kept: Uint8Array): IRNode[] {
  const claimedBy = new Map<string, string>();
  for (const n of nodes) {
    const first = n.reuseOf;
    if (first === undefined) continue;
    const at = position.get(first);
    if (at !== undefined && kept[at]) continue;
    const claimant = claimedBy.get(first);
    if (claimant !== undefined) {
      n.reuseOf = claimant;
      continue;
    }
    if (at === undefined) continue;
    const original = all[at];
    n.params = original.params;
    n.trainableParams = original.trainableParams;
    n.nonTrainableParams = original.nonTrainableParams;
    n.buffers = original.buffers;
    if (original.paramsUnknown) n.paramsUnknown = true;
    delete n.reuseOf;
    claimedBy.set(first, n.id);
  }
  return nodes;
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

/** A diagnostic at a span of the main file (the file's start when there is none). */
function reportAt(mod: ModuleRun, span: { from: number; to: number } | undefined, message: string, code: string, severity: Diagnostic["severity"]): void {
  const range = span ? mod.info.src.range(span.from, span.to) : ZERO;
  mod.interp.diagnostics.push({ severity, message, file: mod.info.file, range, code });
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
