// Node -> source: shows the document a node came from and selects the exact range that created the
// layer. For a node made inside a loop or helper, `revealNode` also offers its call stack in a quick
// pick ("block 3 of stage 2 ← _make_layer line 180"), previewing each step as the user moves.
// Selections made here are remembered so the cursor -> node sync does not echo them back.

import * as vscode from "vscode";
import type { IRNode, SourceSite } from "../src/ir/types";
import type { Range } from "../src/python/source";
import type { DocumentAnalysis } from "./analysis-service";
import { openLineText, uriOfPath } from "./documents";
import { stackStops, stackSummary, type StackStop } from "./model/stack-label";
import { findPythonDefinition, layerNamesOf, modelSourceTarget, type PythonDefinition } from "./model/model-source";

/** The Python search behind "Open <file>:<line>" stays bounded on big workspaces. */
const MAX_PYTHON_FILES = 500;
const MAX_PYTHON_BYTES = 1_000_000;

export class Navigation {
  /** "uri@line" of the last selection this class made, consumed by the first matching event. */
  private ownSelection: string | undefined;

  /** True (once) when a selection change on this line was made by us, not the user. */
  consumeOwnSelection(uri: vscode.Uri, line: number): boolean {
    const mine = this.ownSelection === `${uri.toString()}@${line}`;
    if (mine) this.ownSelection = undefined;
    return mine;
  }

  /** Opens the file of `file`/`range` (an analyzer path) and selects the range. */
  async showRange(file: string, range: Range, analysis: DocumentAnalysis, preserveFocus: boolean): Promise<vscode.TextEditor> {
    const uri = uriOfPath(file, analysis.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    this.ownSelection = `${uri.toString()}@${range.start.line}`;
    const editor = await vscode.window.showTextDocument(uri, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus,
      preview: false,
      selection,
    });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  }

  showSite(site: SourceSite, analysis: DocumentAnalysis, preserveFocus: boolean): Promise<vscode.TextEditor> {
    return this.showRange(site.file, site.range, analysis, preserveFocus);
  }

  /** Selects where the node was created; offers the call stack when there is more than one place to go. */
  async revealNode(node: IRNode, site: SourceSite, analysis: DocumentAnalysis): Promise<void> {
    await this.showSite(site, analysis, false);
    const stops = stackStops(node, openLineText).filter((s) => analysis.files.has(s.file));
    if (stops.length <= 1) return;
    await this.pickStop(node, site, stops, analysis);
  }

  /**
   * Node -> source for a saved model file: selects the layer's entry of a model.json, or says where the
   * node sits in a binary file; and offers a workspace Python file that defines a layer of that name.
   */
  async revealModelNode(node: IRNode, analysis: DocumentAnalysis): Promise<void> {
    const target = modelSourceTarget(node, analysis.file);
    if (target.kind === "json") await this.showRange(analysis.file, target.range, analysis, false);
    const found = await findPythonLayer(layerNamesOf(node));
    const message = target.kind === "message" ? target.text : `${node.name} (${node.op}) is selected in ${vscode.workspace.asRelativePath(analysis.uri)}.`;
    if (!found) {
      if (target.kind === "message") void vscode.window.showInformationMessage(`ResGraph: ${message}`);
      return;
    }
    const open = `Open ${vscode.workspace.asRelativePath(found.uri)}:${found.definition.line + 1}`;
    const choice = await vscode.window.showInformationMessage(`ResGraph: ${message} '${found.definition.name}' is defined in Python.`, open);
    if (choice !== open) return;
    const line = found.definition.line;
    await vscode.window.showTextDocument(found.uri, { preview: false, selection: new vscode.Range(line, 0, line, 0) });
  }

  private pickStop(node: IRNode, site: SourceSite, stops: StackStop[], analysis: DocumentAnalysis): Promise<void> {
    type Item = vscode.QuickPickItem & { stop: StackStop };
    const pick = vscode.window.createQuickPick<Item>();
    const where = stackSummary(site.stack, openLineText);
    pick.title = `${node.id}${where ? `: ${where}` : ""}`;
    pick.placeholder = "Where this layer comes from, innermost first; Enter jumps there";
    pick.items = stops.map((stop) => ({ label: stop.label, description: stop.detail, stop }));
    return new Promise((resolve) => {
      pick.onDidChangeActive((items) => {
        const stop = items[0]?.stop;
        if (stop) void this.showRange(stop.file, stop.range, analysis, true);
      });
      pick.onDidAccept(() => {
        const stop = pick.selectedItems[0]?.stop;
        pick.hide();
        if (stop) void this.showRange(stop.file, stop.range, analysis, false);
      });
      pick.onDidHide(() => {
        pick.dispose();
        resolve();
      });
      pick.show();
    });
  }
}

/** The first workspace Python file (bounded) with a class or assignment named like the layer. */
async function findPythonLayer(names: string[]): Promise<{ uri: vscode.Uri; definition: PythonDefinition } | undefined> {
  if (names.length === 0) return undefined;
  const files = await vscode.workspace.findFiles("**/*.py", "**/{node_modules,.git,.venv,venv,site-packages}/**", MAX_PYTHON_FILES);
  for (const uri of files) {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      continue;
    }
    if (bytes.byteLength > MAX_PYTHON_BYTES) continue;
    const definition = findPythonDefinition(new TextDecoder().decode(bytes), names);
    if (definition) return { uri, definition };
  }
  return undefined;
}
