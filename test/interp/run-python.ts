// Test helper: runs Python source through the interpreter and reads back module variables.

import { Interpreter } from "../../src/interp/interpreter";
import { GraphBuilder } from "../../src/ir/builder";
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
    resolveModule: (from, dotted, level) => {
      const parts = from.split("/");
      parts.pop();
      for (let i = 1; i < level; i++) parts.pop();
      const base = parts.join("/");
      const rel = dotted.split(".").join("/");
      for (const c of [`${base ? base + "/" : ""}${rel}.py`, `${base ? base + "/" : ""}${rel}/__init__.py`]) {
        if (files[c] !== undefined) return { file: c, text: files[c] };
      }
      return undefined;
    },
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
