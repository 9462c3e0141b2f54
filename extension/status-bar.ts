// Status bar item for the active editor's model: "25.6 M params · 4.09 GMACs"; a click opens the graph.

import * as vscode from "vscode";
import type { AnalysisService } from "./analysis-service";
import { SHOW_GRAPH_COMMAND } from "./code-lens";
import type { ResGraphContext } from "./context";
import { isPython } from "./documents";
import { statusBarText } from "./model/code-lens-text";
import { errorCount } from "./model/diagnostic-map";

export function registerStatusBar(ctx: ResGraphContext, service: AnalysisService): void {
  const item = ctx.own(vscode.window.createStatusBarItem("resgraph.model", vscode.StatusBarAlignment.Right, 100));
  item.name = "ResGraph model";
  item.command = SHOW_GRAPH_COMMAND;
  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isPython(editor.document)) return item.hide();
    const analysis = service.get(editor.document.uri);
    if (!analysis) {
      // First look at this file: analyse it so the status bar, lenses and hovers have data.
      void service.ensure(editor.document);
      return item.hide();
    }
    const r = analysis.response;
    item.text = statusBarText(r.summary?.totals ?? null, errorCount(r.diagnostics));
    item.tooltip = r.summary ? `ResGraph: ${r.entry} — click to show the graph` : "ResGraph: no model analysed — see the Problems panel";
    item.show();
  };
  ctx.own(vscode.window.onDidChangeActiveTextEditor(update));
  ctx.own(service.onDidAnalyse(update));
  update();
}
