// One graph panel: a WebviewPanel showing the model of one document. The page is a static shell
// (strict CSP, scripts by nonce, resources only from dist/ and media/); the model arrives by
// postMessage through src/protocol.ts, and every message back is validated (webview-inbox.ts)
// before the host acts on it. Re-analyses send a fresh snapshot; the view keeps zoom, selection
// and open groups itself. Everything the panel owns lives in its own Scope.

import * as vscode from "vscode";
import { basename } from "node:path";
import { createIdSource, initialViewState, type HostToWebviewBody, type Snapshot, type ViewState } from "../src/protocol";
import type { AnalysisService, DocumentAnalysis } from "./analysis-service";
import type { ResGraphContext, Scope } from "./context";
import { decideInbox } from "./model/webview-inbox";
import { makeNonce, renderWebviewHtml } from "./model/webview-html";
import type { Navigation } from "./navigation";

export const GRAPH_VIEW_TYPE = "resgraph.graph";
/** A message VS Code has not delivered after this long is logged as lost. */
const POST_TIMEOUT_MS = 10_000;

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist"), vscode.Uri.joinPath(extensionUri, "media")],
  };
}

export function snapshotOf(analysis: DocumentAnalysis, view: ViewState): Snapshot {
  const r = analysis.response;
  return {
    file: r.file,
    documentVersion: r.version,
    ir: r.ir,
    summary: r.summary,
    diagnostics: r.diagnostics,
    entries: r.entries.map((e) => ({ expr: e.expr, label: e.label })),
    entry: r.entry,
    view,
  };
}

export class GraphPanel {
  private readonly nextId = createIdSource();
  private readonly view: ViewState = initialViewState();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly ctx: ResGraphContext,
    private readonly scope: Scope,
    readonly panel: vscode.WebviewPanel,
    private readonly service: AnalysisService,
    private readonly navigation: Navigation,
    public uri: vscode.Uri,
  ) {
    const webview = panel.webview;
    const root = ctx.extension.extensionUri;
    webview.options = webviewOptions(root);
    panel.iconPath = vscode.Uri.joinPath(root, "media", "resgraph.svg");
    panel.title = `Graph: ${basename(uri.path)}`;
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, "dist", "webview.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, "media", "webview.css")).toString(),
      title: panel.title,
    });
    scope.own(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    scope.own(service.onDidAnalyse((a) => a.uri.toString() === this.uri.toString() && this.sendSnapshot(a)));
    scope.own(panel.onDidDispose(() => scope.dispose()));
    scope.own({ dispose: () => this.clearTimers() });
  }

  get disposed(): boolean {
    return this.scope.isDisposed;
  }

  /** Shows another document in this panel (the "follow the active editor" mode). */
  async showDocument(document: vscode.TextDocument): Promise<void> {
    this.uri = document.uri;
    this.panel.title = `Graph: ${basename(document.uri.path)}`;
    this.view.selectedNodeId = null;
    const analysis = await this.service.ensure(document);
    if (analysis) this.sendSnapshot(analysis);
  }

  /** Cursor -> node: selects and centres a node in the view. */
  selectNode(nodeId: string | null): void {
    this.view.selectedNodeId = nodeId;
    this.post({ type: "selectNode", nodeId });
  }

  private async receive(raw: unknown): Promise<void> {
    const analysis = this.service.get(this.uri);
    const action = decideInbox(raw, analysis ? { nodes: analysis.nodes, files: analysis.files } : null);
    switch (action.kind) {
      case "reject":
        this.ctx.log.warn(`Graph panel: ignored a message: ${action.reason}`);
        return;
      case "webviewError":
        this.ctx.log.warn(`Graph panel reported: ${action.message}`);
        return;
      case "ready": {
        const document = await vscode.workspace.openTextDocument(this.uri);
        const current = await this.service.ensure(document);
        if (current) this.sendSnapshot(current, action.requestId);
        else this.post({ type: "error", message: `ResGraph could not analyse ${basename(this.uri.path)}; see the ResGraph output.` }, action.requestId);
        return;
      }
      case "select":
        this.view.selectedNodeId = action.nodeId;
        // A click on a layer moves the editor to its source without taking the focus from the graph.
        if (action.site && analysis) await this.navigation.showSite(action.site, analysis, true);
        return;
      case "reveal":
        if (analysis) await this.navigation.revealNode(action.node, action.site, analysis);
        return;
      case "saveFile":
        await this.saveFile(action.fileName, action.data);
        return;
      case "requestProfile":
        await vscode.commands.executeCommand(action.backend ? "resgraph.profile" : "resgraph.profileGpu", this.uri);
        return;
      case "profileReply":
        // LEAD: route to the profiler integration (profile-adapter.ts) once it runs profiles in the webview.
        this.ctx.log.debug(`Graph panel: ${action.message.type} (not consumed yet).`);
        return;
    }
  }

  /** The view's SVG/PNG export: a webview cannot download, so the host asks where and writes the file. */
  private async saveFile(fileName: string, data: { text: string } | { base64: string }): Promise<void> {
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(this.uri, "..", fileName), title: `ResGraph: save ${fileName}` });
    if (!target) return;
    const bytes = "text" in data ? new TextEncoder().encode(data.text) : Buffer.from(data.base64, "base64");
    await vscode.workspace.fs.writeFile(target, bytes);
    this.ctx.log.info(`Saved ${target.toString()}.`);
  }

  private sendSnapshot(analysis: DocumentAnalysis, inReplyTo?: number): void {
    this.post({ type: "snapshot", snapshot: snapshotOf(analysis, { ...this.view }) }, inReplyTo);
  }

  /** Posts a message; a failed or undelivered post is logged (the next snapshot repairs the view). */
  private post(body: HostToWebviewBody, inReplyTo?: number): void {
    if (this.disposed) return;
    const message = { ...body, id: this.nextId(), ...(inReplyTo === undefined ? {} : { inReplyTo }) };
    let settled = false;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!settled) this.ctx.log.warn(`Graph panel: ${body.type} message ${message.id} was not delivered within ${POST_TIMEOUT_MS} ms.`);
    }, POST_TIMEOUT_MS);
    this.timers.add(timer);
    this.panel.webview.postMessage(message).then(
      (delivered) => {
        settled = true;
        clearTimeout(timer);
        this.timers.delete(timer);
        if (!delivered && !this.disposed) this.ctx.log.debug(`Graph panel: ${body.type} message ${message.id} not delivered (view hidden).`);
      },
      (e: unknown) => {
        settled = true;
        clearTimeout(timer);
        this.timers.delete(timer);
        this.ctx.log.warn(`Graph panel: posting ${body.type} failed: ${String(e)}`);
      },
    );
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
