// CodeLens above every candidate model (class, factory, module-level assignment): "Show graph",
// "Profile", and the summary "25.6 M params · 4.09 GMACs · depth 50" for the analysed entry.
// Lenses are rebuilt whenever an analysis finishes; a stale analysis is shown until the next one.

import * as vscode from "vscode";
import type { AnalysisService } from "./analysis-service";
import type { ResGraphContext } from "./context";
import { candidateLensText } from "./model/code-lens-text";
import { errorCount } from "./model/diagnostic-map";
import type { ResGraphSettings } from "./model/settings";

export const SHOW_GRAPH_COMMAND = "resgraph.showGraph";
export const PROFILE_GPU_COMMAND = "resgraph.profileGpu";
export const CHOOSE_ENTRY_COMMAND = "resgraph.chooseEntry";

export function registerCodeLens(ctx: ResGraphContext, service: AnalysisService, settings: () => ResGraphSettings): void {
  const changed = ctx.own(new vscode.EventEmitter<void>());
  ctx.own(service.onDidAnalyse(() => changed.fire()));
  ctx.own(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration("resgraph") && changed.fire()));
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document) {
      if (!settings().codeLens) return [];
      const analysis = service.get(document.uri) ?? (await service.ensure(document));
      if (!analysis) return [];
      const r = analysis.response;
      const errors = errorCount(r.diagnostics);
      return r.entries.flatMap((candidate) => {
        const line = Math.min(candidate.range.start.line, document.lineCount - 1);
        const range = new vscode.Range(line, 0, line, 0);
        const args = [document.uri, candidate.expr];
        const text = candidateLensText(candidate.expr, { entry: r.entry, totals: r.summary?.totals ?? null, errors });
        return [
          new vscode.CodeLens(range, { title: "$(type-hierarchy) Show graph", command: SHOW_GRAPH_COMMAND, arguments: args, tooltip: `Show the graph of ${candidate.expr} beside the code` }),
          new vscode.CodeLens(range, { title: "$(pulse) Profile", command: PROFILE_GPU_COMMAND, arguments: args, tooltip: `Time every layer of ${candidate.expr}` }),
          new vscode.CodeLens(range, {
            title: text,
            command: r.entry === candidate.expr ? SHOW_GRAPH_COMMAND : CHOOSE_ENTRY_COMMAND,
            arguments: args,
            tooltip: r.entry === candidate.expr ? "Params, MACs and paper depth of this model" : `Analyse ${candidate.expr} instead of ${r.entry ?? "nothing"}`,
          }),
        ];
      });
    },
  };
  ctx.own(vscode.languages.registerCodeLensProvider({ language: "python" }, provider));
}
