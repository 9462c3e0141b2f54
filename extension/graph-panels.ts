// All open graph panels: opens one per document (or reveals the existing one), restores them after a
// window reload through a WebviewPanelSerializer (state = identity only, see model/panel-state.ts),
// routes cursor -> node selections to the panel of that document, and lets the most recent panel
// follow the active editor when `resgraph.graph.followActiveEditor` is on.

import * as vscode from "vscode";
import type { AnalysisService } from "./analysis-service";
import type { ResGraphContext } from "./context";
import { isPython } from "./documents";
import { GRAPH_VIEW_TYPE, GraphPanel, webviewOptions, type ProfileRequestHandler } from "./graph-panel";
import type { ProfileStore } from "./model/profile-store";
import { parsePanelState } from "./model/panel-state";
import type { Navigation } from "./navigation";

export class GraphPanels {
  private readonly panels: GraphPanel[] = [];

  constructor(
    private readonly ctx: ResGraphContext,
    private readonly service: AnalysisService,
    private readonly navigation: Navigation,
    private readonly profiles: ProfileStore,
    /** The page's own Profile button (profiling.ts decides the backends). */
    private readonly requestProfile: ProfileRequestHandler,
  ) {
    ctx.own(
      vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.restore(panel, state),
      }),
    );
    ctx.own(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const follow = vscode.workspace.getConfiguration("resgraph").get<boolean>("graph.followActiveEditor", false);
        if (!follow || !editor || !isPython(editor.document)) return;
        const latest = this.panels.at(-1);
        if (latest && latest.uri.toString() !== editor.document.uri.toString()) void latest.showDocument(editor.document);
      }),
    );
  }

  /** Opens (or reveals) the graph of a document beside its editor. */
  async open(document: vscode.TextDocument): Promise<GraphPanel> {
    return this.openUri(document.uri);
  }

  /** Opens (or reveals) the graph of a Python file or a saved model file (which has no TextDocument). */
  async openUri(uri: vscode.Uri): Promise<GraphPanel> {
    const existing = this.forUri(uri);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      "Graph",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.ctx.extension.extensionUri),
    );
    return this.adopt(panel, uri);
  }

  forUri(uri: vscode.Uri): GraphPanel | undefined {
    return this.panels.find((p) => !p.disposed && p.uri.toString() === uri.toString());
  }

  /** Cursor -> node, for every panel showing this document. */
  selectNode(uri: vscode.Uri, nodeId: string): void {
    for (const p of this.panels) if (!p.disposed && p.uri.toString() === uri.toString()) p.selectNode(nodeId);
  }

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const identity = parsePanelState(state, (path) => vscode.Uri.file(path).toString());
    if (!identity) {
      this.ctx.log.info("A graph panel from the last session had no document to restore; closing it.");
      panel.dispose();
      return;
    }
    const uri = vscode.Uri.parse(identity.documentUri);
    if (identity.entry && !this.service.entryFor(uri)) await this.service.setEntry(uri, identity.entry);
    this.adopt(panel, uri);
    this.ctx.log.info(`Restored the graph of ${uri.toString()}.`);
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri): GraphPanel {
    const scope = this.ctx.scope();
    const graph = new GraphPanel(this.ctx, scope, panel, this.service, this.navigation, this.profiles, this.requestProfile, uri);
    this.panels.push(graph);
    scope.own({
      dispose: () => {
        const i = this.panels.indexOf(graph);
        if (i >= 0) this.panels.splice(i, 1);
      },
    });
    return graph;
  }
}
