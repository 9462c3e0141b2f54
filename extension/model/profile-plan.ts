// What "Profile on GPU" tries and what it says: the webview backends to try from the user's
// `resgraph.profiling.backendOrder`, progress as a fraction of the whole run, and the sentences for
// the notification and the log (which backend ran and why the ones before it did not).
// Pure (no vscode) so every rule is unit-tested.

import type { ProfileComparison } from "../../src/profile/export";
import type { ProfileResult } from "../../src/profile/result";
import { WEBVIEW_BACKENDS, type ProfilePhase, type WebviewBackend } from "../../src/protocol";

export interface BackendPlan {
  /** Webview backends to try, in order, without repeats. */
  backends: WebviewBackend[];
  /** Sentences about entries of the order the editor cannot use as written. */
  notes: string[];
}

/**
 * The webview backends for a configured order. `cuda` (the Node CLI's tfjs-node-gpu) cannot run in a
 * webview; there the GPU is reached through WebGL, so `cuda` stands for webgl. Unknown names are dropped.
 */
export function webviewBackendOrder(order: readonly string[]): BackendPlan {
  const backends: WebviewBackend[] = [];
  const notes: string[] = [];
  for (const name of order) {
    const backend = name === "cuda" ? "webgl" : name;
    if (name === "cuda") notes.push("The cuda backend runs only in `resgraph profile` (Node); in the editor the GPU is reached through webgl.");
    if (!(WEBVIEW_BACKENDS as readonly string[]).includes(backend)) {
      notes.push(`The profiling backend '${name}' is unknown; expected one of ${WEBVIEW_BACKENDS.join(", ")}.`);
      continue;
    }
    if (!backends.includes(backend as WebviewBackend)) backends.push(backend as WebviewBackend);
  }
  return { backends, notes };
}

export const PHASE_WORDS: Record<ProfilePhase, string> = {
  load: "starting the backend",
  build: "building layers",
  check: "checking shapes",
  warmup: "warming up",
  run: "timing runs",
  peak: "measuring the matmul peak",
};

/** Where each phase starts and ends within the whole run (timed runs dominate). */
const PHASE_SPAN: Record<ProfilePhase, [number, number]> = {
  load: [0, 0.05],
  build: [0.05, 0.2],
  check: [0.2, 0.25],
  warmup: [0.25, 0.4],
  run: [0.4, 0.95],
  peak: [0.95, 1],
};

/** Fraction of the whole run done, 0..1, from one progress report. */
export function progressFraction(phase: ProfilePhase, done: number, total: number): number {
  const [start, end] = PHASE_SPAN[phase];
  const within = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  return start + (end - start) * within;
}

/** "webgl: timing runs (1/2)" for the progress notification. */
export function progressMessage(backend: WebviewBackend, phase: ProfilePhase, done: number, total: number): string {
  return `${backend}: ${PHASE_WORDS[phase]} (${done}/${total})`;
}

export interface FailedAttempt {
  backend: WebviewBackend;
  message: string;
}

/** Every backend failed to start: name each and its reason. */
export function allBackendsFailedMessage(modelName: string, attempts: readonly FailedAttempt[]): string {
  if (attempts.length === 0) return `ResGraph: no profiling backend is configured for ${modelName}; set resgraph.profiling.backendOrder (webgpu, webgl, wasm, cpu).`;
  return `ResGraph: could not profile ${modelName}: no backend started. ${attempts.map((a) => `${a.backend}: ${reason(a.message)}`).join(" ")}`;
}

/** "Profiled ResNet on cpu (CPU, ...): 12.345 ms per run (median of 2). webgpu was skipped: ..." */
export function profiledMessage(result: ProfileResult, skipped: readonly FailedAttempt[]): string {
  const head = `ResGraph: profiled ${result.modelName} on ${result.backend} (${result.device}): ${result.wholeModel.medianMs.toFixed(3)} ms per run (median of ${result.runs}).`;
  if (skipped.length === 0) return head;
  return `${head} Not used: ${skipped.map((a) => `${a.backend}: ${reason(a.message)}`).join(" ")}`;
}

/** "This run vs the last one" in one line for the log. */
export function comparisonSummary(c: ProfileComparison): string {
  const w = c.wholeModel;
  const pct = w.deltaPercent === null ? "" : ` (${w.deltaPercent >= 0 ? "+" : ""}${w.deltaPercent.toFixed(1)}%)`;
  const changed = c.onlyInBase.length + c.onlyInNext.length;
  return (
    `This run vs the last one: whole model ${w.baseMs.toFixed(3)} ms (${c.base.backend}, ${c.base.timestamp}) -> ${w.nextMs.toFixed(3)} ms (${c.next.backend})${pct}; ` +
    `${c.nodes.length} layers compared${changed ? `, ${changed} only in one run` : ""}.` +
    (c.caveats.length ? ` ${c.caveats.join(" ")}` : "")
  );
}

/** A reason as a sentence ending in a full stop. */
function reason(message: string): string {
  const t = message.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
