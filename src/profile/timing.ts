// The two timing methods.
// In-pass (cpu, wasm, tfjs-node): each layer's call is timed inside one normal forward pass; on
//   these synchronous backends the kernel is done when the op returns, so the clock reads no sync
//   cost. The same pass's wall time, first layer to outputs (glue and frees of intermediates
//   included), is that run's whole-model time: the clocks themselves cost ~0.1 µs a read (two per
//   layer), far below what a pass takes, so a clocked pass is a normal one, and the ratio layer sum /
//   whole says how much of the pass the layer clocks account for. One pass per run, not two.
//   With `settle` (tfjs-node on a GPU) the clocks are not free: each output is read back one element
//   to force completion and the measured read-back cost is subtracted, so whole-model passes without
//   per-layer clocks run separately, alternating with the timed ones.
// Kernel profile (webgl, webgpu): wall clock per layer is meaningless on an asynchronous GPU queue,
//   so one `tf.profile` per run collects the kernels' own times (GPU timer queries) and maps them to
//   layers by where each layer's kernels start in the record list; `__op` wrapper records are dropped.

import { Cancelled, consumerCounts, disposeOutputs, runPass } from "./forward";
import type { Plan } from "./lower";
import { median } from "./stats";
import type { Tf, TfKernelRecord, TfTensor } from "./tf-api";

export type TimingMethod = "in-pass" | "in-pass-readback" | "kernel-profile";

export interface TimingOptions {
  warmup: number;
  runs: number;
  method: TimingMethod;
  signal?: AbortSignal;
  now?: () => number;
  /** Per layer during the first (check) pass, then per pass. */
  onPass?: (phase: "check" | "warmup" | "run", completed: number, total: number) => void;
  onCheckStep?: (index: number, total: number, id: string) => void;
}

export interface Timings {
  /** times[run][step] in ms. */
  perStep: number[][];
  wholeMs: number[];
  outputShapes: number[][];
  warnings: string[];
  settleOverheadMs?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Reads one element of `t` back, which waits for every kernel queued before it. */
export function readBackOne(tf: Tf): (t: TfTensor) => void {
  return (t) => {
    const s = tf.slice(t, t.shape.map(() => 0), t.shape.map(() => 1));
    s.dataSync();
    s.dispose();
  };
}

/** The first pass: runs every step once, checks built shapes against the analyzer's, reports progress. */
function checkPass(plan: Plan, counts: Map<string, number>, opts: TimingOptions): { shapes: number[][]; warnings: string[] } {
  const warnings: string[] = [];
  const outs = runPass(plan, counts, {
    signal: opts.signal,
    afterStep(i, out) {
      const step = plan.steps[i];
      if (out.shape.join(",") !== step.expectedShape.join(",")) {
        warnings.push(`${step.op} '${step.id}' produced [${out.shape.join(", ")}] where the analyzer says [${step.expectedShape.join(", ")}].`);
      }
      opts.onCheckStep?.(i, plan.steps.length, step.id);
    },
  });
  const shapes = outs.map((t) => [...t.shape]);
  disposeOutputs(plan, outs);
  return { shapes, warnings };
}

export async function timeInPass(tf: Tf, plan: Plan, opts: TimingOptions): Promise<Timings> {
  const now = opts.now ?? (() => performance.now());
  const counts = consumerCounts(plan);
  const settle = opts.method === "in-pass-readback" ? readBackOne(tf) : undefined;
  const check = checkPass(plan, counts, opts);
  opts.onPass?.("check", 1, 1);
  for (let w = 1; w < opts.warmup; w++) {
    await yieldToEventLoop();
    disposeOutputs(plan, runPass(plan, counts, { signal: opts.signal }));
    opts.onPass?.("warmup", w + 1, opts.warmup);
  }
  const overhead = settle ? settleOverhead(tf, settle, plan, now) : 0;
  const perStep: number[][] = [];
  const wholeMs: number[] = [];
  for (let r = 0; r < opts.runs; r++) {
    await yieldToEventLoop();
    if (opts.signal?.aborted) throw new Cancelled();
    if (settle) {
      const t0 = now();
      const outs = runPass(plan, counts, { signal: opts.signal });
      outs.forEach(settle);
      wholeMs.push(Math.max(0, now() - t0 - overhead * outs.length));
      disposeOutputs(plan, outs);
      await yieldToEventLoop();
    }
    const times = new Float64Array(plan.steps.length);
    const t0 = now();
    const outs = runPass(plan, counts, { times, settle, now, signal: opts.signal });
    const passMs = now() - t0;
    disposeOutputs(plan, outs);
    if (!settle) wholeMs.push(passMs);
    perStep.push(Array.from(times, (t) => Math.max(0, t - overhead)));
    opts.onPass?.("run", r + 1, opts.runs);
  }
  return { perStep, wholeMs, outputShapes: check.shapes, warnings: check.warnings, settleOverheadMs: settle ? overhead : undefined };
}

/** Median cost of the read-back itself, on a tensor that is already computed. */
function settleOverhead(tf: Tf, settle: (t: TfTensor) => void, plan: Plan, now: () => number): number {
  const probe = tf.fill([1, 1, 1, 8], 1);
  settle(probe);
  const samples: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t0 = now();
    settle(probe);
    samples.push(now() - t0);
  }
  probe.dispose();
  void plan;
  return median(samples);
}

/** Sums each step's kernel times; records [b[i], b[i+1]) belong to step i; `__op` wrappers dropped. */
export function kernelTimesByStep(kernels: { name: string; kernelTimeMs: unknown }[], boundaries: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) {
    let sum = 0;
    for (let k = boundaries[i]; k < boundaries[i + 1] && k < kernels.length; k++) {
      const rec = kernels[k];
      if (rec.name.endsWith("__op")) continue;
      if (typeof rec.kernelTimeMs === "number" && Number.isFinite(rec.kernelTimeMs)) sum += rec.kernelTimeMs;
    }
    out.push(sum);
  }
  return out;
}

export async function timeWithKernelProfile(tf: Tf, plan: Plan, opts: TimingOptions): Promise<Timings> {
  const now = opts.now ?? (() => performance.now());
  const counts = consumerCounts(plan);
  const check = checkPass(plan, counts, opts);
  opts.onPass?.("check", 1, 1);
  for (let w = 1; w < opts.warmup; w++) {
    const outs = runPass(plan, counts, { signal: opts.signal });
    await Promise.all(outs.map((t) => t.data()));
    disposeOutputs(plan, outs);
    opts.onPass?.("warmup", w + 1, opts.warmup);
  }
  const perStep: number[][] = [];
  const wholeMs: number[] = [];
  for (let r = 0; r < opts.runs; r++) {
    if (opts.signal?.aborted) throw new Cancelled();
    const t0 = now();
    const outs = runPass(plan, counts, { signal: opts.signal });
    await Promise.all(outs.map((t) => t.data()));
    wholeMs.push(now() - t0);
    disposeOutputs(plan, outs);

    const boundaries: number[] = [0];
    let profiled: TfTensor[] = [];
    const info = await tf.profile(() => {
      const records = tf.engine().state.activeProfile?.kernels;
      if (!records) throw new Error("This tf build does not expose the kernels of a running tf.profile, so layers cannot be mapped to kernels.");
      profiled = runPass(plan, counts, { signal: opts.signal, afterStep: () => boundaries.push(records.length) });
      return profiled;
    });
    disposeOutputs(plan, profiled);
    perStep.push(kernelTimesByStep(info.kernels as TfKernelRecord[], boundaries));
    opts.onPass?.("run", r + 1, opts.runs);
  }
  return { perStep, wholeMs, outputShapes: check.shapes, warnings: check.warnings };
}
