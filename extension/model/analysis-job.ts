// One analysis as plain data: what the host sends to the analysis worker and what comes back.
// The same function runs in the worker thread and, as a fallback, in the extension host, so the
// two can never disagree. No vscode import: the worker has no VS Code API.

import { readFileSync } from "node:fs";
import { analyze, type EntryCandidate } from "../../src/analyze";
import { summarize, type ModelSummary } from "../../src/analysis/summary";
import type { Diagnostic, GraphIR } from "../../src/ir/types";
import { makeWorkspaceReader, type ReaderInput } from "./workspace-reader";

export interface AnalysisRequest {
  /** Analyzer path of the document (absolute, "/" separators, for files on disk). */
  file: string;
  text: string;
  version: number;
  entry?: string;
  input?: number[][];
  /** Imports are served from here; absent for documents not on disk (untitled files). */
  reader?: ReaderInput;
}

export interface AnalysisResponse {
  file: string;
  version: number;
  ir: GraphIR | null;
  summary: ModelSummary | null;
  diagnostics: Diagnostic[];
  entries: EntryCandidate[];
  entry: string | null;
  inputSource: string | null;
  /** Workspace files the analysis read for imports (to watch them). */
  imports: string[];
  /** Milliseconds spent analysing, for the log. */
  elapsedMs: number;
}

function readDisk(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export function runAnalysis(req: AnalysisRequest): AnalysisResponse {
  const started = performance.now();
  const reader = req.reader ? makeWorkspaceReader(req.reader, readDisk) : undefined;
  const result = analyze({
    file: req.file,
    text: req.text,
    entry: req.entry,
    input: req.input,
    readFile: reader ? (p) => reader.readFile(p) : undefined,
  });
  const summary = result.ir ? summarize(result.ir, result.diagnostics) : null;
  return {
    file: req.file,
    version: req.version,
    ir: result.ir,
    summary,
    diagnostics: result.diagnostics,
    entries: result.entries,
    entry: result.entry ?? null,
    inputSource: result.inputSource ?? null,
    imports: (reader?.served() ?? []).filter((p) => p !== req.file),
    elapsedMs: Math.round(performance.now() - started),
  };
}
