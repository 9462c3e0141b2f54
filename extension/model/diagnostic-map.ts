// Analyzer diagnostics -> what the Problems panel shows, grouped per file. Pure: severities become
// VS Code's numeric DiagnosticSeverity values (Error 0, Warning 1, Information 2), ranges are kept
// exactly (both sides use 0-based lines and UTF-16 characters). The host turns these into
// vscode.Diagnostic objects and replaces the whole collection on every analysis, so fixed problems
// disappear.

import type { Diagnostic } from "../../src/ir/types";
import type { Range } from "../../src/python/source";

export const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

export interface ProblemEntry {
  range: Range;
  severity: 0 | 1 | 2;
  message: string;
  code: string;
}

/**
 * Groups diagnostics by file. Ones without a file land on `mainFile`; exact duplicates (the same
 * message at the same place, e.g. from a loop body run many times) are listed once.
 */
export function problemsByFile(diagnostics: readonly Diagnostic[], mainFile: string): Map<string, ProblemEntry[]> {
  const out = new Map<string, ProblemEntry[]>();
  const seen = new Set<string>();
  for (const d of diagnostics) {
    const file = d.file || mainFile;
    const r = d.range;
    const key = `${file}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${d.severity}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let list = out.get(file);
    if (!list) out.set(file, (list = []));
    list.push({ range: r, severity: SEVERITY[d.severity], message: d.message, code: d.code });
  }
  return out;
}

/** Errors among the diagnostics (for the status bar and CodeLens). */
export function errorCount(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === "error").length;
}
