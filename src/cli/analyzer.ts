// The analyzer the CLI drives, declared structurally (it matches `analyze` in src/analyze.ts) so the
// CLI can be tested with a fake analyzer and does not depend on the interpreter to typecheck.

import type { Diagnostic, Framework, GraphIR } from "../ir/types";
import type { Range } from "../python/source";

export interface AnalyzerOptions {
  file: string;
  text: string;
  entry?: string;
  input?: number[][];
  readFile?: (path: string) => string | undefined;
  stepBudget?: number;
}

export interface AnalyzerEntry {
  expr: string;
  label: string;
  kind: "class" | "factory" | "assignment";
  framework: Framework;
  range: Range;
}

export interface AnalyzerResult {
  ir: GraphIR | null;
  diagnostics: Diagnostic[];
  entries: AnalyzerEntry[];
  entry?: string;
  inputSource?: "option" | "comment" | "inferred" | "model";
}

export type Analyzer = (options: AnalyzerOptions) => AnalyzerResult;
