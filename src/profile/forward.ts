// One forward pass over a plan. Tensors are disposed right after their last consumer (outside the
// timed region), so memory stays at the live set, as in a real inference run. With a `timer`, each
// step's call is timed inside this normal pass; `settle` forces completion on backends whose kernels
// run asynchronously (it is left out on synchronous ones, where the kernel has finished when the op
// returns, so no read-back cost enters the numbers).

import type { Plan } from "./lower";
import type { TfTensor } from "./tf-api";

export interface PassHooks {
  /** Per-step elapsed milliseconds land in `times[stepIndex]`. */
  times?: Float64Array;
  /** Forces a step's output to be computed (read-back of one element) before the clock stops. */
  settle?: (t: TfTensor) => void;
  now?: () => number;
  /** Called after each step, outside the timed region. */
  afterStep?: (index: number, out: TfTensor) => void;
  signal?: AbortSignal;
}

/** How many times each value is consumed in a pass (+1 for model outputs, which the caller frees). */
export function consumerCounts(plan: Plan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of plan.steps) for (const id of s.inputs) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const id of plan.outputs) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

export class Cancelled extends Error {
  constructor() {
    super("The profile was cancelled.");
    this.name = "AbortError";
  }
}

/**
 * Runs the plan once and returns the model outputs (the caller disposes them). Throws `Cancelled`
 * at the first step after `signal` aborts, with every intermediate tensor freed.
 */
export function runPass(plan: Plan, counts: Map<string, number>, hooks: PassHooks = {}): TfTensor[] {
  const now = hooks.now ?? (() => performance.now());
  const values = new Map<string, TfTensor>(plan.constants);
  // Remaining uses per tensor object (identity steps alias their input's tensor).
  const uses = new Map<TfTensor, number>();
  const owned = new Set<TfTensor>();
  const release = (t: TfTensor) => {
    const left = (uses.get(t) ?? 0) - 1;
    uses.set(t, left);
    if (left <= 0 && owned.has(t)) {
      owned.delete(t);
      t.dispose();
    }
  };
  try {
    for (let i = 0; i < plan.steps.length; i++) {
      if (hooks.signal?.aborted) throw new Cancelled();
      const step = plan.steps[i];
      const xs = step.inputs.map((id) => values.get(id)!);
      let result: TfTensor | TfTensor[];
      if (hooks.times) {
        const t0 = now();
        result = step.run(xs);
        // A multi-output step's last value is computed last: waiting for it waits for all.
        if (hooks.settle) hooks.settle(Array.isArray(result) ? result[result.length - 1] : result);
        hooks.times[i] = now() - t0;
      } else {
        result = step.run(xs);
      }
      const outs = Array.isArray(result) ? result : [result];
      const ids = [step.output, ...step.sideOutputs];
      const out = outs[0];
      outs.forEach((t, k) => {
        values.set(ids[k], t);
        if (!plan.constants.has(ids[k]) && !xs.includes(t) && !isConstant(plan, t)) owned.add(t);
        uses.set(t, (uses.get(t) ?? 0) + (counts.get(ids[k]) ?? 0));
      });
      for (const x of xs) release(x);
      for (const t of outs) {
        if ((uses.get(t) ?? 0) <= 0 && owned.has(t)) {
          owned.delete(t);
          t.dispose();
        }
      }
      hooks.afterStep?.(i, out);
    }
    const outputs = plan.outputs.map((id) => values.get(id)).filter((t): t is TfTensor => t !== undefined);
    for (const t of outputs) owned.delete(t);
    return outputs;
  } finally {
    for (const t of owned) t.dispose();
  }
}

function isConstant(plan: Plan, t: TfTensor): boolean {
  for (const c of plan.constants.values()) if (c === t) return true;
  return false;
}

/** Frees a pass's outputs, except model inputs / stand-ins that the plan owns. */
export function disposeOutputs(plan: Plan, outputs: TfTensor[]): void {
  for (const t of new Set(outputs)) if (!isConstant(plan, t)) t.dispose();
}
