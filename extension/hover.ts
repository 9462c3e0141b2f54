// Hover on a line that creates or applies layers: per call site, output shape(s), params and MACs,
// summed over loop iterations with the count (model/hover-text.ts builds the text).

import * as vscode from "vscode";
import type { AnalysisService } from "./analysis-service";
import type { ResGraphContext } from "./context";
import { analyzerPath } from "./documents";
import { hoverDocument } from "./model/hover-text";

export function registerHover(ctx: ResGraphContext, service: AnalysisService): void {
  ctx.own(
    vscode.languages.registerHoverProvider(
      { language: "python" },
      {
        provideHover(document, position) {
          const path = analyzerPath(document.uri);
          // The document's own model, else any model that imported this file.
          const analyses = [service.get(document.uri), ...service.all().filter((a) => a.file !== path && a.files.has(path))];
          for (const a of analyses) {
            if (!a) continue;
            const groups = a.lineIndex.at(path, position.line);
            const text = hoverDocument(groups);
            if (!text) continue;
            const md = new vscode.MarkdownString(text);
            md.isTrusted = false;
            md.supportHtml = false;
            return new vscode.Hover(md, document.lineAt(position.line).range);
          }
          return undefined;
        },
      },
    ),
  );
}
