// The contract between the main webview bundle (dist/webview.js) and the profiler bundle
// (dist/webview-profiler.js, which carries TensorFlow.js and is loaded only when a profile is asked
// for). Types only: the two bundles share no code at runtime, so results cross as plain JSON and
// failures as a tagged value, never as exception classes (instanceof fails across bundles).

import type { GraphIR } from "../src/ir/types";
import type { ProfileResult } from "../src/profile/result";
import type { ProfileFailedMessage, ProfilePhase, RunProfileMessage } from "../src/protocol";

export type ProfileRequest = Pick<RunProfileMessage, "backend" | "warmup" | "runs" | "batch">;

export interface ProfilerHooks {
  signal: AbortSignal;
  onProgress(phase: ProfilePhase, done: number, total: number): void;
}

export type ProfilerOutcome = { kind: "ok"; result: ProfileResult } | { kind: "failed"; code: ProfileFailedMessage["code"]; message: string };

export interface ProfilerApi {
  /** tfjs-core version inside the bundle. */
  tfjsVersion: string;
  run(ir: GraphIR, request: ProfileRequest, hooks: ProfilerHooks): Promise<ProfilerOutcome>;
}

/** Where the profiler bundle puts its API when it has run. */
export const PROFILER_GLOBAL = "resgraphProfiler";
/** A <meta name=...> whose content is the URL of dist/webview-profiler.js (the VS Code panel sets it). */
export const PROFILER_SRC_META = "resgraph-profiler-src";
/** A <script type="text/plain" id=...> holding the profiler's code (the standalone report inlines it). */
export const PROFILER_INLINE_ID = "resgraph-profiler";
/** A <meta name=...> whose content is the folder URL of tfjs-backend-wasm's .wasm files (optional). */
export const WASM_BASE_META = "resgraph-wasm-base";
