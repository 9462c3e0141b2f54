// Saved model files (model.json, .keras, .h5/.hdf5, .onnx) analysed in the extension host: they have
// no TextDocument, so the bytes come from vscode.workspace.fs and the loaders from dist/model-files.js
// (a sibling bundle, like the CLI's, so h5wasm and the ONNX reader load only when a model file is opened).
// Opening is fast (ONNX ResNet-50 in ~10 ms), so it does not need the worker.

import * as vscode from "vscode";
import { join } from "node:path";
import type { analyzeFile as AnalyzeFile } from "../src/formats/index";
import { summarize } from "../src/analysis/summary";
import { analyzerPath } from "./documents";
import type { AnalysisResponse } from "./model/analysis-job";

export { isModelFileName } from "../src/formats/names";

let loaded: typeof AnalyzeFile | undefined;

function loadAnalyzeFile(extensionPath: string): typeof AnalyzeFile {
  // A runtime path, so esbuild leaves the require alone and the loaders stay in their own bundle.
  const bundle = join(extensionPath, "dist", "model-files.js");
  loaded ??= (require(bundle) as { analyzeFile: typeof AnalyzeFile }).analyzeFile;
  return loaded;
}

/** Reads and analyses a model file; `version` counts re-analyses so snapshots stay ordered. */
export async function analyseModelFile(extensionPath: string, uri: vscode.Uri, version: number): Promise<AnalysisResponse> {
  const started = performance.now();
  const file = analyzerPath(uri);
  const bytes = await vscode.workspace.fs.readFile(uri);
  const readSibling = async (name: string): Promise<Uint8Array | undefined> => {
    try {
      return await vscode.workspace.fs.readFile(vscode.Uri.joinPath(uri, "..", name));
    } catch {
      return undefined;
    }
  };
  const result = await loadAnalyzeFile(extensionPath)({ file, bytes, readSibling });
  return {
    file,
    version,
    ir: result.ir,
    summary: result.ir ? summarize(result.ir, result.diagnostics) : null,
    diagnostics: result.diagnostics,
    entries: [],
    entry: result.entry ?? null,
    inputSource: result.inputSource ?? null,
    imports: [],
    elapsedMs: Math.round(performance.now() - started),
  };
}
