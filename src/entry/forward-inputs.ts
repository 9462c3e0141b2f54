// How many inputs a PyTorch model's forward takes, checked against the shapes given before the run:
// each --input shape becomes one positional tensor argument, so `forward(self, input, hidden)` needs
// two. Said up front, the user learns what to pass instead of a Python binding error, and no size
// inference is tried with one shape where two are needed.

import type { Interpreter } from "../interp/interpreter";
import type { PyInstance, Value } from "../interp/values";

export interface ForwardInputs {
  /** `RNNModel.forward`. */
  label: string;
  /** Positional parameter names after self. */
  names: string[];
  required: number;
  /** Infinity with `*args`. */
  max: number;
}

export function forwardInputs(interp: Interpreter, model: PyInstance): ForwardInputs | undefined {
  const fn = interp.lookupClass(model.cls, "forward");
  if (fn?.kind !== "function") return undefined;
  const positional = fn.params.slice(1).filter((p) => p.kind === "posonly" || p.kind === "normal");
  return {
    label: fn.qualname,
    names: positional.map((p) => p.name),
    required: positional.filter((p) => p.default === undefined).length,
    max: fn.params.some((p) => p.kind === "vararg") ? Infinity : positional.length,
  };
}

/**
 * Why `given` shapes (undefined: none given) cannot run this forward, as a sentence that says what to
 * pass; undefined when the count fits. `first` gives a shape for the first input, for the example
 * (both callbacks run only when the count does not fit).
 */
export function inputCountProblem(f: ForwardInputs, given: number | undefined, first: () => number[] | undefined, hasLstm: () => boolean): string | undefined {
  const n = given ?? 0;
  // Without shapes, one input is found by trying the usual sizes; more than one cannot be guessed.
  const fits = given === undefined ? f.required <= 1 : n >= f.required && n <= f.max;
  if (fits) return undefined;
  const takes = f.required === f.max ? `${f.required}` : f.max === Infinity ? `at least ${f.required}` : `${f.required} to ${f.max}`;
  const names = f.names.length > 0 ? ` (${f.names.join(", ")})` : "";
  const inputs = `${f.label}() takes ${takes} input${f.required === 1 && f.max === 1 ? "" : "s"}${names}`;
  const lead = given === undefined ? `No input shape was given and ${inputs}` : `${inputs} but --input gave ${n} shape${n === 1 ? "" : "s"}`;
  if (hasLstm()) {
    // The tuple is the common case --input cannot express: say so, and what does run, rather than
    // let a user try shape after shape.
    return (
      `${lead}. Each --input shape becomes one tensor argument, so an LSTM's hidden state (h, c), a tuple of two tensors, ` +
      `cannot be given with --input; with a default of None for that argument in forward (nn.LSTM then starts from zeros) the model runs from its first input alone.`
    );
  }
  const example = [(first() ?? [1, 3, 224, 224]).join(","), ...Array.from({ length: Math.max(f.required, 2) - 1 }, () => "1,10")].join(";");
  return `${lead}: pass one shape for each with --input, separated by ';', e.g. --input "${example}".`;
}

/** Whether the model holds an nn.LSTM (its state argument is a tuple). */
export function holdsLstm(interp: Interpreter, model: PyInstance): boolean {
  let mods: Value[] = [];
  try {
    mods = interp.iterate(interp.call(interp.getAttr(model, "modules"), []));
  } catch {
    return false;
  }
  return mods.some((m) => m.kind === "instance" && m.cls.mro.some((c) => c.native && c.name === "LSTM"));
}
