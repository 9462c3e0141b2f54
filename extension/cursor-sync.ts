// Cursor -> node: when the cursor moves to a line that created or applied layers, the graph panel
// of that document selects and centres the first of them. Off with `resgraph.followCursor: false`.
// Selections the host made itself (node -> source) are not echoed back.

import * as vscode from "vscode";
import type { AnalysisService } from "./analysis-service";
import type { ResGraphContext } from "./context";
import { analyzerPath } from "./documents";
import type { GraphPanels } from "./graph-panels";
import type { Navigation } from "./navigation";
import type { ResGraphSettings } from "./model/settings";

export function registerCursorSync(
  ctx: ResGraphContext,
  service: AnalysisService,
  panels: GraphPanels,
  navigation: Navigation,
  settings: () => ResGraphSettings,
): void {
  let last = "";
  ctx.own(
    vscode.window.onDidChangeTextEditorSelection((e) => {
      const document = e.textEditor.document;
      const line = e.selections[0]?.active.line;
      if (line === undefined || document.languageId !== "python") return;
      if (navigation.consumeOwnSelection(document.uri, line)) return;
      if (!settings().followCursor) return;
      const key = `${document.uri.toString()}@${line}`;
      if (key === last) return; // moving within a line changes nothing
      last = key;
      const path = analyzerPath(document.uri);
      // The document's own panel, or the panel of a model that imported this file.
      const own = service.get(document.uri);
      const nodeId = own?.lineIndex.nodesAt(path, line)[0];
      if (own && nodeId) return panels.selectNode(own.uri, nodeId);
      for (const p of panelsImporting(service, panels, path)) {
        const id = p.lineIndex.nodesAt(path, line)[0];
        if (id) panels.selectNode(p.uri, id);
      }
    }),
  );
}

function panelsImporting(service: AnalysisService, panels: GraphPanels, path: string) {
  return service.all().filter((a) => a.file !== path && a.files.has(path) && panels.forUri(a.uri));
}
