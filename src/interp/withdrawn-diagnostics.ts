// Diagnostics taken back after they were given: a Keras layer that a first build could not size is
// sized when the model runs again at the --input size, and the warning that said its weights count
// as 0 must not reach the user. The interpreter's list of diagnostics only grows (trial runs note its
// length and roll back to it), so a withdrawn diagnostic stays in it, marked here, and is left out
// where the analysis hands its diagnostics over (analyze()).

import type { Diagnostic } from "../ir/types";

const withdrawn = new WeakSet<Diagnostic>();

export function markWithdrawn(d: Diagnostic): void {
  withdrawn.add(d);
}

export function isWithdrawn(d: Diagnostic): boolean {
  return withdrawn.has(d);
}

/** `diagnostics` less the withdrawn ones: the same array when none is. */
export function withoutWithdrawn(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.some(isWithdrawn) ? diagnostics.filter((d) => !isWithdrawn(d)) : diagnostics;
}
