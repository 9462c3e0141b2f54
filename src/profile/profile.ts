// The profiler's front door: handed a `tf` (backend already chosen by the caller) and an IR, it
// checks memory, builds the computation, times it, measures the backend's peak and returns the
// plain JSON result. Works the same in Node (CLI) and in a browser (the webview's webgl/webgpu).

import type { GraphIR } from "../ir/types";
import { Cancelled } from "./forward";
import { layoutOf } from "./layout";
import { buildPlan, disposePlan } from "./lower";
import { estimateMemory, memoryProblem } from "./memory";
import { planFusion } from "./fusion";
import { measurePeak } from "./peak";
import { PROFILE_RESULT_VERSION, type NodeProfile, type ProfileResult } from "./result";
import { gflops, rollUp } from "./rollup";
import { roundMs, summarise } from "./stats";
import { tfVersion, type Tf } from "./tf-api";
import { readBackOne, timeInPass, timeWithKernelProfile, type TimingMethod } from "./timing";

export interface ProfileProgress {
  phase: "build" | "check" | "warmup" | "run" | "peak";
  completed: number;
  total: number;
  nodeId?: string;
}

export interface ProfileOptions {
  /** Batch size; default: the analyzer's batch, or 1 when it is unknown (Keras None). */
  batch?: number;
  warmup?: number;
  runs?: number;
  /** Default: kernel-profile on webgl/webgpu, in-pass elsewhere. */
  method?: TimingMethod;
  /** What runs it, in words, from whoever chose the backend; default: the backend name. */
  device?: string;
  /** Refuse models whose estimated memory is above this; default 2 GiB. */
  memoryLimitBytes?: number;
  /**
   * Fold inference BatchNorm (and the activation after it) into the conv before it, as an inference
   * runtime does (default true); the conv's row then includes their time and they are listed as fused.
   */
  fuse?: boolean;
  /** Measure the backend's matmul peak (default true). */
  peak?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ProfileProgress) => void;
  now?: () => number;
}

export class ProfileError extends Error {
  constructor(message: string, readonly code: "memory" | "input" | "cancelled") {
    super(message);
    this.name = "ProfileError";
  }
}

export function defaultMethod(backend: string): TimingMethod {
  return backend === "webgl" || backend === "webgpu" ? "kernel-profile" : "in-pass";
}

function defaultBatch(ir: GraphIR): number {
  const b = ir.inputShapes[0]?.[0];
  return typeof b === "number" && b > 0 ? b : 1;
}

export async function profileModel(tf: Tf, ir: GraphIR, options: ProfileOptions = {}): Promise<ProfileResult> {
  const backend = tf.getBackend();
  const batch = options.batch ?? defaultBatch(ir);
  const warmup = Math.max(0, options.warmup ?? 2);
  const runs = Math.max(1, options.runs ?? 10);
  const method = options.method ?? defaultMethod(backend);
  const { signal, onProgress } = options;
  if (!Number.isInteger(batch) || batch < 1) throw new ProfileError(`The batch size must be a positive integer, got ${batch}.`, "input");

  const fusion = options.fuse === false ? false : planFusion(ir);
  const problem = memoryProblem(ir.modelName, batch, estimateMemory(ir, batch, fusion), options.memoryLimitBytes ?? 2 ** 31);
  if (problem) throw new ProfileError(problem, "memory");

  const plan = buildPlan(tf, ir, { batch, signal, fusion, onNode: (i, total, id) => onProgress?.({ phase: "build", completed: i + 1, total, nodeId: id }) });
  try {
    const timingOpts = {
      warmup,
      runs,
      method,
      signal,
      now: options.now,
      onCheckStep: (i: number, total: number, id: string) => onProgress?.({ phase: "check", completed: i + 1, total, nodeId: id }),
      onPass: (phase: "check" | "warmup" | "run", completed: number, total: number) => {
        if (phase !== "check") onProgress?.({ phase, completed, total });
      },
    };
    const timings = method === "kernel-profile" ? await timeWithKernelProfile(tf, plan, timingOpts) : await timeInPass(tf, plan, timingOpts);
    if (signal?.aborted) throw new Cancelled();

    let peakGflops: number | null = null;
    if (options.peak !== false) {
      onProgress?.({ phase: "peak", completed: 0, total: 1 });
      const settle = method === "in-pass" ? undefined : method === "in-pass-readback" ? readBackOne(tf) : async (t: { data(): Promise<unknown> }) => void (await t.data());
      const sync = method === "in-pass";
      const peak = await measurePeak(tf, { finish: settle, now: options.now, targetMs: sync ? 10 : 25, samples: sync ? 5 : 3 });
      peakGflops = Math.round(peak.gflops * 100) / 100;
      onProgress?.({ phase: "peak", completed: 1, total: 1 });
    }

    const nodes: NodeProfile[] = plan.steps.map((step, i) => {
      const s = summarise(timings.perStep.map((run) => run[i]));
      return {
        id: step.id,
        op: step.op,
        medianMs: roundMs(s.medianMs),
        p10Ms: roundMs(s.p10Ms),
        p90Ms: roundMs(s.p90Ms),
        runs: s.runs,
        gflopsPerSec: round2(gflops(step.macs, s.medianMs)),
        macs: step.macs,
        percent: 0,
      };
    });
    const layerSumMs = nodes.reduce((p, n) => p + n.medianMs, 0);
    for (const n of nodes) n.percent = layerSumMs > 0 ? Math.round((1e4 * n.medianMs) / layerSumMs) / 100 : 0;
    const whole = summarise(timings.wholeMs);
    const { blocks, stages } = rollUp(ir, nodes, plan.skipped.map((s) => s.id), plan.fused.map((f) => f.id), layerSumMs);
    return {
      resultVersion: PROFILE_RESULT_VERSION,
      file: ir.file,
      entry: ir.entry,
      modelName: ir.modelName,
      backend,
      device: options.device ?? backend,
      tfjsVersion: tfVersion(tf),
      batch,
      input: ir.inputShapes.map((s) => s.map((d, i) => (i === 0 ? batch : (d ?? 0)))),
      layout: layoutOf(ir.framework),
      method,
      warmup,
      runs,
      wholeModel: { medianMs: roundMs(whole.medianMs), p10Ms: roundMs(whole.p10Ms), p90Ms: roundMs(whole.p90Ms) },
      layerSumMs: roundMs(layerSumMs),
      ratio: whole.medianMs > 0 ? Math.round((1e4 * layerSumMs) / whole.medianMs) / 1e4 : 0,
      peakGflops,
      nodes,
      skipped: plan.skipped,
      fused: plan.fused,
      blocks: blocks.map((b) => ({ ...b, medianMs: roundMs(b.medianMs), percent: round2(b.percent)!, gflopsPerSec: round2(b.gflopsPerSec) })),
      stages: stages.map((s) => ({ ...s, medianMs: roundMs(s.medianMs), percent: round2(s.percent)!, gflopsPerSec: round2(s.gflopsPerSec) })),
      weightCount: plan.weightCount,
      outputShapes: timings.outputShapes,
      warnings: timings.warnings,
      timestamp: new Date().toISOString(),
    };
  } finally {
    disposePlan(plan);
  }
}

function round2(x: number | null): number | null {
  return x === null ? null : Math.round(x * 100) / 100;
}
