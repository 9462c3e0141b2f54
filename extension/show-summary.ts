// `ResGraph: Show Model Summary`: analyses the active Python editor's text (never running it) and
// prints a text summary to the ResGraph output channel.

import * as vscode from "vscode";
import { readFileSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { analyze } from "../src/analyze";
import { summarize } from "../src/analysis/summary";
import type { ResGraphContext } from "./context";
import { formatNoModelText, formatSummaryText } from "./summary-text";

export const SHOW_SUMMARY_COMMAND = "resgraph.showSummary";

/**
 * Imports: the analyzer asks for paths built from the `file` we give it (the document's absolute
 * path, with forward slashes). Serve files inside the document's workspace folder only (or its own
 * folder when it has none), preferring an open editor's unsaved text over the disk so the summary
 * matches what the user sees.
 */
function workspaceReader(document: vscode.TextDocument): ((path: string) => string | undefined) | undefined {
  if (document.uri.scheme !== "file") return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const root = folder && folder.uri.scheme === "file" ? folder.uri.fsPath : dirname(document.uri.fsPath);
  return (path) => {
    const full = resolve(path);
    if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === "file" && d.uri.fsPath === full);
    if (open) return open.getText();
    try {
      return readFileSync(full, "utf8");
    } catch {
      return undefined;
    }
  };
}

/** The path the analyzer sees: absolute with "/" separators for files on disk, else the URI's path. */
function analyzerPath(document: vscode.TextDocument): string {
  return document.uri.scheme === "file" ? document.uri.fsPath.split(sep).join("/") : document.uri.path;
}

export async function showSummary(ctx: ResGraphContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "python") {
    void vscode.window.showWarningMessage("ResGraph: open a Python file with a Keras or PyTorch model first.");
    return;
  }
  const document = editor.document;
  const file = vscode.workspace.asRelativePath(document.uri, false);
  const base = { file: analyzerPath(document), text: document.getText(), readFile: workspaceReader(document) };

  let result = analyze(base);
  // No default entry: let the user pick one of the candidates the analyzer found, then retry.
  if (!result.ir && result.entries.length > 0) {
    const items: vscode.QuickPickItem[] = result.entries.map((e) => ({ label: e.expr, description: e.label }));
    const picked = await vscode.window.showQuickPick(items, {
      title: "ResGraph: which model should be analysed?",
    });
    if (!picked) return;
    result = analyze({ ...base, entry: picked.label });
  }

  const lines = result.ir
    ? formatSummaryText(summarize(result.ir, result.diagnostics), result.diagnostics)
    : formatNoModelText(file, result.diagnostics, result.entries);
  ctx.log.info(`Summary of ${file}\n${lines.join("\n")}`);
  ctx.log.show(true);
}
