// The analyzer the CLI drives: the signature of `analyze` in src/analyze.ts, named so the CLI can be
// tested with a fake analyzer (type-only imports: nothing of the interpreter is loaded by them).

import type { AnalysisResult, AnalyzeOptions, EntryCandidate } from "../analyze";

export type AnalyzerOptions = AnalyzeOptions;
export type AnalyzerEntry = EntryCandidate;
export type AnalyzerResult = AnalysisResult;
export type Analyzer = (options: AnalyzerOptions) => AnalyzerResult;
