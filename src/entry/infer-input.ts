// A PyTorch model given no input shape: the usual sizes for its first layer are tried in turn.

import type { Interpreter } from "../interp/interpreter";
import type { PyInstance } from "../interp/values";
import { GraphBuilder } from "../ir/builder";
import { runModel, torchInputCandidates, type ModelRun } from "./frameworks";

export interface InferredInput {
  shape: number[];
  why: string;
  /** The trial run itself when it was clean (no errors), reusable as the real run. */
  clean?: { graph: GraphBuilder; run: ModelRun };
}

/**
 * Tries the usual input sizes until the model runs without an error. When none runs cleanly, the size
 * that got furthest (fewest errors, then most layers) is used, so the user still sees a partial graph
 * with the diagnostics that explain it. `start` makes the interpreter ready for a run (the module
 * entered, failures located at the model).
 */
export function inferTorchInput(interp: Interpreter, model: PyInstance, start: () => void): InferredInput | undefined {
  const saved = interp.graph;
  const tried: string[] = [];
  let best: { shape: number[]; errors: number; nodes: number } | undefined;
  const candidates = torchInputCandidates(interp, model);
  for (const shape of candidates.shapes) {
    const before = interp.diagnostics.length;
    const graph = new GraphBuilder();
    interp.graph = graph;
    start();
    let errors = 0;
    let run: ModelRun | undefined;
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
