// Without --entry, which candidate to show. Candidates come most likely first, but the first is not
// always a network that runs: a GAN wrapper with only train_step, a sub-model cut from a reloaded
// one, or (with --input given) a model that takes other inputs. Each is run in turn until one builds
// a graph that the given input fits; a candidate passed over says why in one info, and the CLI
// never suggests it.

import type { Interpreter } from "../interp/interpreter";
import type { Diagnostic, GraphIR } from "../ir/types";
import type { Range } from "../python/source";
import type { EntryCandidate } from "./candidates";

/** Candidates run without success before the choice settles for the best seen (each is a full run). */
const MAX_PASSED_OVER = 3;

export interface EntryTry<T> {
  expr: string;
  range: Range;
  built: T;
  /** What the run reported; taken back while other candidates run. */
  diagnostics: Diagnostic[];
  /** 2: a graph the input fits, 1: a graph the given input does not fit, 0: no graph. */
  grade: 0 | 1 | 2;
}

/** A graph with at least one layer or operation besides the inputs. */
export function buildsGraph(ir: GraphIR | null): boolean {
  return !!ir && ir.nodes.some((n) => n.category !== "input");
}

/** The given input shape was ignored, or a layer rejected it. */
function misfits(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.code === "input-mismatch" || (d.severity === "error" && d.code === "shape-mismatch"));
}

/**
 * Runs candidates (`run` gives undefined when an expression yields no model) and keeps the first
 * that builds a graph the input fits; else the best seen, the earliest of its grade. Diagnostics end
 * as the chosen run left them, plus one info per candidate passed over for it.
 */
export function chooseEntry<T extends { ir: GraphIR | null }>(
  interp: Interpreter,
  file: string,
  entries: EntryCandidate[],
  inputGiven: boolean,
  run: (expr: string) => T | undefined,
): { chosen: EntryTry<T>; failed: string[] } | undefined {
  const tries: EntryTry<T>[] = [];
  for (const c of entries) {
    if (tries.length >= MAX_PASSED_OVER) break;
    const mark = interp.diagnostics.length;
    const built = run(c.expr);
    if (!built) continue;
    const diagnostics = interp.diagnostics.slice(mark);
    const grade = !buildsGraph(built.ir) ? 0 : inputGiven && misfits(diagnostics) ? 1 : 2;
    const t: EntryTry<T> = { expr: c.expr, range: c.range, built, diagnostics, grade };
    if (grade === 2) {
      for (const passed of tries) reportPassedOver(interp, file, passed, c.expr);
      return { chosen: t, failed: tries.filter((p) => p.grade === 0).map((p) => p.expr) };
    }
    tries.push(t);
    interp.rollbackDiagnostics(mark);
    // No input size ran it: each further PyTorch candidate would try every usual size again, and
    // the candidates of one file mostly share the code that failed.
    if (diagnostics.some((d) => d.code === "no-input")) break;
  }
  if (tries.length === 0) return undefined;
  // None fits: the most likely candidate of the best grade, with its own account of what went wrong.
  const best = tries.find((t) => t.grade === 1) ?? tries[0];
  interp.diagnostics.push(...best.diagnostics);
  return { chosen: best, failed: tries.filter((t) => t.grade === 0).map((t) => t.expr) };
}

function reportPassedOver<T extends { ir: GraphIR | null }>(interp: Interpreter, file: string, t: EntryTry<T>, chosen: string): void {
  const cause = t.diagnostics.find((d) => d.severity === "error") ?? t.diagnostics.find((d) => d.severity === "warning");
  const why = cause ? ` ${cause.message.replace(/ The statement was skipped\.$/, "")}` : t.built.ir ? " Its graph is empty." : "";
  const what = t.grade === 1 ? "does not take the given input shape" : "builds no graph";
  interp.diagnostics.push({
    severity: "info",
    message: `The candidate '${t.expr}' ${what}, so '${chosen}' is analysed instead (choose with --entry).${why}`,
    file,
    range: t.range,
    code: "entry-fallback",
  });
}
