// Test helper: runs Python source through the interpreter and reads back module variables.

import { Interpreter } from "../../src/interp/interpreter";
import { GraphBuilder } from "../../src/ir/builder";
import { resolveImport } from "../../src/entry/imports";
import type { Diagnostic } from "../../src/ir/types";

export interface PyRun {
  get(name: string): string;
  diagnostics: Diagnostic[];
  interp: Interpreter;
}

export function runPython(code: string, opts: { stepBudget?: number; files?: Record<string, string>; file?: string } = {}): PyRun {
  const files = opts.files ?? {};
  const interp = new Interpreter({
    graph: new GraphBuilder(),
    stepBudget: opts.stepBudget,
    resolveModule: (from, dotted, level) => resolveImport((p) => files[p], from, dotted, level),
  });
  const info = interp.runFile(opts.file ?? "main.py", code);
  return {
    get(name: string): string {
      const v = info.mod.dict.get(name);
      return v === undefined ? "<undefined>" : interp.repr(v);
    },
    diagnostics: interp.diagnostics,
    interp,
  };
}
