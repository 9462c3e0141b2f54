// The analyzer's diagnostics in the Problems panel, with their exact ranges, for the analysed file and
// the imported files they point into. Each analysis replaces what the previous one of the same
// document set, so a fixed problem disappears; closing a document clears its problems.

import * as vscode from "vscode";
import type { AnalysisService } from "./analysis-service";
import type { ResGraphContext } from "./context";
import { uriOfPath } from "./documents";
import { problemsByFile } from "./model/diagnostic-map";

// A function, not a module-level constant: the analysis worker loads this bundle with an empty
// `vscode` stub, so nothing may touch vscode while the module loads.
const severityOf = (i: 0 | 1 | 2): vscode.DiagnosticSeverity =>
  [vscode.DiagnosticSeverity.Error, vscode.DiagnosticSeverity.Warning, vscode.DiagnosticSeverity.Information][i];

export function registerDiagnostics(ctx: ResGraphContext, service: AnalysisService): void {
  const collection = ctx.own(vscode.languages.createDiagnosticCollection("resgraph"));
  /** Document URI -> the URIs its last analysis put problems on. */
  const owned = new Map<string, vscode.Uri[]>();

  ctx.own(
    service.onDidAnalyse((analysis) => {
      const key = analysis.uri.toString();
      for (const uri of owned.get(key) ?? []) collection.delete(uri);
      const byFile = problemsByFile(analysis.response.diagnostics, analysis.file);
      const uris: vscode.Uri[] = [];
      for (const [file, problems] of byFile) {
        const uri = uriOfPath(file, analysis.uri);
        uris.push(uri);
        collection.set(
          uri,
          problems.map((p) => {
            const d = new vscode.Diagnostic(
              new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character),
              p.message,
              severityOf(p.severity),
            );
            d.source = "ResGraph";
            d.code = p.code;
            return d;
          }),
        );
      }
      owned.set(key, uris);
    }),
  );
  ctx.own(
    vscode.workspace.onDidCloseTextDocument((document) => {
      const key = document.uri.toString();
      for (const uri of owned.get(key) ?? []) collection.delete(uri);
      owned.delete(key);
    }),
  );
}
