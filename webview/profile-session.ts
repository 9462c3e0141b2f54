// One profile run in the webview at a time: answers the host's runProfile by loading the profiler
// bundle, running it on the current IR, and posting profileProgress (throttled), then profileResult
// or profileFailed, each replying to the runProfile's id. cancelProfile aborts the run.

import type { GraphIR } from "../src/ir/types";
import type { ProfileResult } from "../src/profile/result";
import type { Envelope, ProfileFailedMessage, ProfilePhase, RunProfileMessage, WebviewToHost } from "../src/protocol";
import { loadProfiler } from "./profiler-loader";

export interface ProfileSessionDeps {
  post(msg: WebviewToHost): void;
  nextId(): number;
  /** The IR on screen now (profiled as it is when the run starts). */
  ir(): GraphIR | null;
  status(text: string): void;
  running(on: boolean): void;
  result(result: ProfileResult): void;
}

export interface ProfileSession {
  run(request: RunProfileMessage & Envelope): Promise<void>;
  cancel(): void;
  isRunning(): boolean;
}

/** Progress messages at most this often (the build phase reports every node). */
const PROGRESS_EVERY_MS = 100;

const PHASE_WORDS: Record<ProfilePhase, string> = {
  load: "loading TensorFlow.js",
  build: "building layers",
  check: "checking shapes",
  warmup: "warming up",
  run: "timing runs",
  peak: "measuring the matmul peak",
};

export function createProfileSession(deps: ProfileSessionDeps): ProfileSession {
  let controller: AbortController | null = null;

  async function run(request: RunProfileMessage & Envelope): Promise<void> {
    const reply = { inReplyTo: request.id };
    const fail = (code: ProfileFailedMessage["code"], message: string): void => {
      deps.post({ type: "profileFailed", id: deps.nextId(), ...reply, code, message });
      deps.status(message);
    };
    if (controller) return fail("failed", "A profile is already running; cancel it first.");
    const ir = deps.ir();
    if (!ir) return fail("input", "There is no analysed model to profile.");
    const own = new AbortController();
    controller = own;
    deps.running(true);
    let lastPhase: ProfilePhase | null = null;
    let lastPost = 0;
    const onProgress = (phase: ProfilePhase, done: number, total: number): void => {
      const now = performance.now();
      if (phase === lastPhase && done < total && now - lastPost < PROGRESS_EVERY_MS) return;
      lastPhase = phase;
      lastPost = now;
      deps.post({ type: "profileProgress", id: deps.nextId(), ...reply, done, total, phase });
      deps.status(`Profiling ${ir.modelName} on ${request.backend}: ${PHASE_WORDS[phase]} (${done}/${total})…`);
    };
    try {
      onProgress("load", 0, 1);
      const profiler = await loadProfiler();
      if (own.signal.aborted) return fail("cancelled", "The profile was cancelled.");
      const { backend, warmup, runs, batch } = request;
      const outcome = await profiler.run(ir, { backend, warmup, runs, batch }, { signal: own.signal, onProgress });
      if (outcome.kind === "failed") return fail(outcome.code, outcome.message);
      deps.post({ type: "profileResult", id: deps.nextId(), ...reply, result: outcome.result });
      deps.result(outcome.result);
    } catch (e) {
      fail("unavailable", e instanceof Error ? e.message : String(e));
    } finally {
      controller = null;
      deps.running(false);
    }
  }

  return {
    run,
    cancel: () => controller?.abort(),
    isRunning: () => controller !== null,
  };
}
