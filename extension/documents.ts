// How VS Code documents map to the analyzer's file paths and back. The analyzer sees absolute paths
// with "/" separators for files on disk (so relative imports resolve), and the URI's path otherwise.

import * as vscode from "vscode";
import { sep } from "node:path";

export function analyzerPath(uri: vscode.Uri): string {
  return uri.scheme === "file" ? uri.fsPath.split(sep).join("/") : uri.path;
}

/** The document URI for an analyzer path: the main document's own URI, else a file on disk. */
export function uriOfPath(path: string, main: vscode.Uri): vscode.Uri {
  if (path === analyzerPath(main)) return main;
  return vscode.Uri.file(path);
}

export function isPython(document: vscode.TextDocument): boolean {
  return document.languageId === "python";
}

/** The workspace root imports may come from: the document's folder in the workspace, else its own folder. */
export function importRoot(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== "file") return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const root = folder && folder.uri.scheme === "file" ? folder.uri : vscode.Uri.joinPath(uri, "..");
  return analyzerPath(root);
}

/** Unsaved text of open Python documents on disk, by analyzer path (imports read these first). */
export function dirtyOverlays(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of vscode.workspace.textDocuments) {
    if (d.uri.scheme === "file" && d.isDirty && isPython(d)) out[analyzerPath(d.uri)] = d.getText();
  }
  return out;
}

/** The text line of an analyzer path from an open document (no disk reads: used for labels). */
export function openLineText(path: string, line: number): string | undefined {
  const d = vscode.workspace.textDocuments.find((doc) => analyzerPath(doc.uri) === path);
  return d && line < d.lineCount ? d.lineAt(line).text : undefined;
}
