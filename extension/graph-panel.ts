// One graph panel: a WebviewPanel showing the model of one document. The page is a static shell
// (strict CSP, scripts by nonce, resources only from dist/ and media/); the model arrives by
// postMessage through src/protocol.ts, and every message back is validated (webview-inbox.ts)
// before the host acts on it. Re-analyses send a fresh snapshot; the view keeps zoom, selection
// and open groups itself. Everything the panel owns lives in its own Scope.
// Profiling runs in the page (webview/profile-session.ts): the panel sends runProfile/cancelProfile
// and hands the validated replies to whoever started the run (profiling.ts); each snapshot carries
// the model's last saved profile so a reloaded page shows latency again.

import * as vscode from "vscode";
import { basename } from "node:path";
import { createIdSource, initialViewState, type HostToWebviewBody, type RunProfileMessage, type Snapshot, type ViewState } from "../src/protocol";
import type { ProfileResult } from "../src/profile/result";
import type { AnalysisService, DocumentAnalysis } from "./analysis-service";
import type { ResGraphContext, Scope } from "./context";
import { decideInbox, type ProfileReply } from "./model/webview-inbox";
import type { ProfileStore } from "./model/profile-store";
import { makeNonce, renderWebviewHtml } from "./model/webview-html";
import { isJsonModelFile } from "./model/model-source";
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

/** Where a profile run in the page stands, as the host hears it. */
export type PanelProfileEvent = { kind: "reply"; message: ProfileReply } | { kind: "reloaded" } | { kind: "closed" };

/** Who handles the page's own Profile button (the host decides the backend order). */
export type ProfileRequestHandler = (panel: GraphPanel, backend: RunProfileMessage["backend"] | null) => Promise<void>;

export function snapshotOf(analysis: DocumentAnalysis, view: ViewState, profile?: ProfileResult | null): Snapshot {
  const r = analysis.response;
  return {
    ...(profile ? { profile } : {}),
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
  private readonly profileEvents = new vscode.EventEmitter<PanelProfileEvent>();
  /** Fires for every profiling reply of the page, and when the page reloads or the panel closes. */
  readonly onProfileEvent = this.profileEvents.event;
  /** True once the current page said `ready` and was sent a snapshot with a model. */
  private showsModel = false;
  private pageReady = false;
  private readonly modelWaiters = new Set<() => void>();
  /** Snapshots go out in order even though each first looks up the saved profile. */
  private snapshotChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ResGraphContext,
    private readonly scope: Scope,
    readonly panel: vscode.WebviewPanel,
    private readonly service: AnalysisService,
    private readonly navigation: Navigation,
    private readonly profiles: ProfileStore,
    private readonly requestProfile: ProfileRequestHandler,
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
      profilerUri: webview.asWebviewUri(vscode.Uri.joinPath(root, "dist", "webview-profiler.js")).toString(),
      title: panel.title,
    });
    scope.own(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    scope.own(service.onDidAnalyse((a) => a.uri.toString() === this.uri.toString() && this.sendSnapshot(a)));
    scope.own(panel.onDidDispose(() => scope.dispose()));
    scope.own({ dispose: () => this.clearTimers() });
    scope.own({
      dispose: () => {
        this.profileEvents.fire({ kind: "closed" });
        this.profileEvents.dispose();
        this.wakeModelWaiters();
      },
    });
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

  /**
   * Resolves true once the page shows a model (said ready and got a snapshot with an IR), false when
   * `timeoutMs` passes first or the panel closes: a runProfile sent earlier would find nothing to run.
   */
  whenShowingModel(timeoutMs: number): Promise<boolean> {
    if (this.showsModel) return Promise.resolve(true);
    if (this.disposed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.modelWaiters.delete(done);
        resolve(this.showsModel);
      };
      const timer = setTimeout(done, timeoutMs);
      this.timers.add(timer);
      this.modelWaiters.add(done);
    });
  }

  /** Asks the page to profile its model; returns the message id its replies answer. */
  runProfile(request: Omit<RunProfileMessage, "type">): number {
    return this.post({ type: "runProfile", ...request });
  }

  /** Asks the page to stop its profile (it answers profileFailed "cancelled"). */
  cancelProfile(): void {
    this.post({ type: "cancelProfile" });
  }

  /** Shows a saved or finished result on the page. */
  showProfile(result: ProfileResult): void {
    this.post({ type: "profileResult", result });
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
        // A new page (first load, or VS Code rebuilt a hidden one): a run in the old page is gone.
        if (this.pageReady) this.profileEvents.fire({ kind: "reloaded" });
        this.pageReady = true;
        this.showsModel = false;
        const current = await this.service.ensureUri(this.uri);
        if (current) this.sendSnapshot(current, action.requestId);
        else this.post({ type: "error", message: `ResGraph could not analyse ${basename(this.uri.path)}; see the ResGraph output.` }, action.requestId);
        return;
      }
      case "select":
        this.view.selectedNodeId = action.nodeId;
        // A click on a layer moves the editor to its source without taking the focus from the graph
        // (a binary model file has no editor to move; a model.json does).
        const hasText = !this.service.isModelFile(this.uri) || isJsonModelFile(this.uri.path);
        if (action.site && analysis && hasText) await this.navigation.showSite(action.site, analysis, true);
        return;
      case "reveal":
        if (analysis && this.service.isModelFile(this.uri)) await this.navigation.revealModelNode(action.node, analysis);
        else if (analysis) await this.navigation.revealNode(action.node, action.site, analysis);
        return;
      case "saveFile":
        await this.saveFile(action.fileName, action.data);
        return;
      case "requestProfile":
        await this.requestProfile(this, action.backend);
        return;
      case "profileReply":
        this.profileEvents.fire({ kind: "reply", message: action.message });
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

  /** Sends a snapshot with the model's last saved profile (if any); in order with earlier ones. */
  private sendSnapshot(analysis: DocumentAnalysis, inReplyTo?: number): void {
    const view = { ...this.view };
    const ir = analysis.response.ir;
    this.snapshotChain = this.snapshotChain.then(async () => {
      let profile: ProfileResult | null = null;
      try {
        profile = ir ? await this.profiles.latest(ir.file, ir.entry) : null;
      } catch (e) {
        this.ctx.log.warn(`Graph panel: the saved profile could not be read: ${String(e)}`);
      }
      this.post({ type: "snapshot", snapshot: snapshotOf(analysis, view, profile) }, inReplyTo);
      if (ir && this.pageReady) {
        this.showsModel = true;
        this.wakeModelWaiters();
      }
    });
  }

  private wakeModelWaiters(): void {
    for (const wake of [...this.modelWaiters]) wake();
  }

  /** Posts a message and returns its id; a failed or undelivered post is logged (the next snapshot repairs the view). */
  private post(body: HostToWebviewBody, inReplyTo?: number): number {
    if (this.disposed) return -1;
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
    return message.id;
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
