// Keeps an up-to-date analysis of every Python document the user looks at: analyses on open and
// (debounced) on every edit, saved or not, and again when a workspace file it imported changes.
// Analyses run in the worker (analysis-client.ts); one runs per document at a time and edits made
// meanwhile coalesce into a single follow-up run. Results are published through `onDidAnalyse`.

import * as vscode from "vscode";
import { basename } from "node:path";
import type { IRNode } from "../src/ir/types";
import type { AnalysisClient } from "./analysis-client";
import type { ResGraphContext } from "./context";
import { analyzerPath, dirtyOverlays, importRoot, isPython } from "./documents";
import type { AnalysisRequest, AnalysisResponse } from "./model/analysis-job";
import { KeyedDebouncer } from "./model/debounce";
import { buildLineIndex, type LineIndex } from "./model/line-index";
import type { ResGraphSettings } from "./model/settings";
import { defines, guessFramework } from "./model/entry-choice";
import { analyseModelFile, isModelFileName } from "./model-file-analysis";

export interface DocumentAnalysis {
  uri: vscode.Uri;
  file: string;
  version: number;
  response: AnalysisResponse;
  lineIndex: LineIndex;
  nodes: Map<string, IRNode>;
  /** Analyzer paths of every document this analysis read: the main one and its imports. */
  files: Set<string>;
}

/** An analysis that takes longer than this gets a progress notification with Cancel. */
const PROGRESS_AFTER_MS = 800;
const TIMEOUT_MS = 120_000;
const ENTRY_KEY = "resgraph.entries";
const INPUT_KEY = "resgraph.inputs";

export class AnalysisService implements vscode.Disposable {
  private readonly results = new Map<string, DocumentAnalysis>();
  private readonly running = new Map<string, Promise<DocumentAnalysis | undefined>>();
  private readonly rerun = new Set<string>();
  private readonly tracked = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<DocumentAnalysis>();
  readonly onDidAnalyse = this.emitter.event;
  private readonly debouncer: KeyedDebouncer<string>;
  /** Saved model files (no TextDocument): analysis count per Uri, and the watcher of each. */
  private readonly modelVersions = new Map<string, number>();
  private readonly modelWatchers = new Map<string, vscode.Disposable>();

  constructor(
    private readonly ctx: ResGraphContext,
    private readonly client: AnalysisClient,
    private readonly settings: () => ResGraphSettings,
  ) {
    this.debouncer = new KeyedDebouncer<string>(() => this.settings().debounceMs);
    ctx.own(this.emitter);
    ctx.own({ dispose: () => this.debouncer.dispose() });
    ctx.own(vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)));
    ctx.own(vscode.workspace.onDidCloseTextDocument((d) => this.debouncer.cancel(d.uri.toString())));
    // Imported files changed on disk (saved here, or by git / another tool).
    const watcher = ctx.own(vscode.workspace.createFileSystemWatcher("**/*.py"));
    const onDisk = (uri: vscode.Uri) => this.dependencyChanged(analyzerPath(uri));
    ctx.own(watcher.onDidChange(onDisk));
    ctx.own(watcher.onDidCreate(onDisk));
    ctx.own(watcher.onDidDelete(onDisk));
  }

  get(uri: vscode.Uri): DocumentAnalysis | undefined {
    return this.results.get(uri.toString());
  }

  all(): DocumentAnalysis[] {
    return [...this.results.values()];
  }

  /** The entry the user chose for a document (CodeLens, Choose Model Entry), if any. */
  entryFor(uri: vscode.Uri): string | undefined {
    return this.ctx.extension.workspaceState.get<Record<string, string>>(ENTRY_KEY, {})[uri.toString()];
  }

  async setEntry(uri: vscode.Uri, entry: string | undefined): Promise<void> {
    const all = { ...this.ctx.extension.workspaceState.get<Record<string, string>>(ENTRY_KEY, {}) };
    if (entry) all[uri.toString()] = entry;
    else delete all[uri.toString()];
    await this.ctx.extension.workspaceState.update(ENTRY_KEY, all);
  }

  inputFor(uri: vscode.Uri): number[][] | undefined {
    return this.ctx.extension.workspaceState.get<Record<string, number[][]>>(INPUT_KEY, {})[uri.toString()];
  }

  async setInput(uri: vscode.Uri, input: number[][] | undefined): Promise<void> {
    const all = { ...this.ctx.extension.workspaceState.get<Record<string, number[][]>>(INPUT_KEY, {}) };
    if (input) all[uri.toString()] = input;
    else delete all[uri.toString()];
    await this.ctx.extension.workspaceState.update(INPUT_KEY, all);
  }

  /** The current analysis of a document, running one when there is none for its version. */
  async ensure(document: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    const current = this.get(document.uri);
    if (current && current.version === document.version) return current;
    const running = this.running.get(document.uri.toString());
    if (running) return running;
    return this.analyse(document);
  }

  /** True for saved model files (model.json, .keras, .h5, .hdf5, .onnx): analysed from bytes, not text. */
  isModelFile(uri: vscode.Uri): boolean {
    return isModelFileName(uri.path);
  }

  /** The current analysis of a Python document or a saved model file, by Uri. */
  async ensureUri(uri: vscode.Uri): Promise<DocumentAnalysis | undefined> {
    if (!this.isModelFile(uri)) return this.ensure(await vscode.workspace.openTextDocument(uri));
    return this.get(uri) ?? this.running.get(uri.toString()) ?? this.analyseModel(uri);
  }

  /** Reads and analyses a model file now; it is re-analysed whenever the file changes on disk. */
  analyseModel(uri: vscode.Uri): Promise<DocumentAnalysis | undefined> {
    const key = uri.toString();
    this.debouncer.cancel(key);
    const running = this.running.get(key);
    if (running) {
      this.rerun.add(key);
      return running.then(() => this.running.get(key) ?? this.get(uri));
    }
    this.watchModel(uri);
    const version = (this.modelVersions.get(key) ?? 0) + 1;
    this.modelVersions.set(key, version);
    const job = analyseModelFile(this.ctx.extension.extensionPath, uri, version)
      .then(
        (response) => this.publish(uri, response),
        (e: unknown) => {
          const message = e instanceof Error ? e.message : String(e);
          this.ctx.log.error(`Analysis of ${analyzerPath(uri)} failed: ${message}`);
          void vscode.window.showErrorMessage(`ResGraph could not open ${basename(uri.path)}: ${message}`);
          return undefined;
        },
      )
      .finally(() => {
        this.running.delete(key);
        if (this.rerun.delete(key)) void this.analyseModel(uri);
      });
    this.running.set(key, job);
    return job;
  }

  /** A watcher on exactly this file: saving a new model over it refreshes its open graph. */
  private watchModel(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.modelWatchers.has(key)) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, ".."), basename(uri.path)));
    const changed = (): void => this.debouncer.schedule(key, () => void this.analyseModel(uri));
    watcher.onDidChange(changed);
    watcher.onDidCreate(changed);
    this.modelWatchers.set(key, watcher);
  }

  /** Analyses now (no debounce); later edits keep it up to date. */
  analyse(document: vscode.TextDocument, options: { progress?: boolean } = {}): Promise<DocumentAnalysis | undefined> {
    const key = document.uri.toString();
    this.tracked.add(key);
    this.debouncer.cancel(key);
    const running = this.running.get(key);
    if (running) {
      // Coalesce: one follow-up run picks up every edit made while this one ran.
      this.rerun.add(key);
      return running.then(() => this.running.get(key) ?? this.get(document.uri));
    }
    const job = this.run(document, options.progress === true).finally(() => {
      this.running.delete(key);
      if (this.rerun.delete(key)) void this.analyse(document);
    });
    this.running.set(key, job);
    return job;
  }

  private request(document: vscode.TextDocument): AnalysisRequest {
    const settings = this.settings();
    const text = document.getText();
    const framework = this.get(document.uri)?.response.ir?.framework ?? guessFramework(text);
    const entry = this.entryFor(document.uri) ?? (settings.defaultEntry && defines(text, settings.defaultEntry) ? settings.defaultEntry : undefined);
    const configured = framework === "keras" ? settings.inputShape.keras : framework === "pytorch" ? settings.inputShape.pytorch : null;
    const input = this.inputFor(document.uri) ?? configured ?? undefined;
    const root = importRoot(document.uri);
    return {
      file: analyzerPath(document.uri),
      text,
      version: document.version,
      entry,
      input,
      reader: root ? { root, overlays: dirtyOverlays() } : undefined,
    };
  }

  private async run(document: vscode.TextDocument, progress: boolean): Promise<DocumentAnalysis | undefined> {
    const request = this.request(document);
    let cancel: (() => void) | undefined;
    const job = this.client.analyse(request, (c) => (cancel = c));
    let done = false;
    const timer = setTimeout(() => {
      if (done || !progress) return;
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ResGraph: analysing ${vscode.workspace.asRelativePath(document.uri)}`, cancellable: true },
        (_p, token) => {
          token.onCancellationRequested(() => cancel?.());
          return job.catch(() => undefined);
        },
      );
    }, PROGRESS_AFTER_MS);
    try {
      const response = await job;
      return this.publish(document.uri, response);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message === "cancelled") this.ctx.log.info(`Analysis of ${request.file} cancelled.`);
      else this.ctx.log.error(`Analysis of ${request.file} failed: ${message}`);
      return undefined;
    } finally {
      done = true;
      clearTimeout(timer);
    }
  }

  private publish(uri: vscode.Uri, response: AnalysisResponse): DocumentAnalysis {
    const ir = response.ir;
    const analysis: DocumentAnalysis = {
      uri,
      file: response.file,
      version: response.version,
      response,
      lineIndex: buildLineIndex(ir?.nodes ?? []),
      nodes: new Map((ir?.nodes ?? []).map((n) => [n.id, n])),
      files: new Set([response.file, ...response.imports]),
    };
    this.results.set(uri.toString(), analysis);
    const t = response.summary?.totals;
    this.ctx.log.info(
      `Analysed ${response.file} v${response.version} (${response.entry ?? "no entry"}) in ${response.elapsedMs} ms: ` +
        (t ? `${t.params} params, ${t.macs} MACs, depth ${t.depth}` : "no graph") +
        `, ${response.diagnostics.length} diagnostic(s)${response.imports.length ? `, imports ${response.imports.join(", ")}` : ""}.`,
    );
    this.emitter.fire(analysis);
    return analysis;
  }

  private onEdit(document: vscode.TextDocument): void {
    if (!isPython(document)) return;
    const key = document.uri.toString();
    if (this.tracked.has(key)) this.debouncer.schedule(key, () => void this.analyse(document));
    // Unsaved edits of an imported file count too.
    this.dependencyChanged(analyzerPath(document.uri));
  }

  /** Re-analyses (debounced) every tracked document that imported `path`. */
  private dependencyChanged(path: string): void {
    for (const a of this.results.values()) {
      if (a.file === path || !a.files.has(path)) continue;
      const key = a.uri.toString();
      this.debouncer.schedule(key, () => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
        if (doc) void this.analyse(doc);
      });
    }
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const w of this.modelWatchers.values()) w.dispose();
    this.modelWatchers.clear();
  }
}
