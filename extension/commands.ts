// The palette commands (category "ResGraph"). Each accepts the arguments VS Code passes from where it
// was run: nothing (palette: the active editor), a Uri (explorer / editor title / context menus), or
// (Uri, entry) from a CodeLens.

import * as vscode from "vscode";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { buildReportHtml } from "../src/cli/report-html";
import type { AnalysisService } from "./analysis-service";
import { CHOOSE_ENTRY_COMMAND, PROFILE_GPU_COMMAND, SHOW_GRAPH_COMMAND } from "./code-lens";
import type { ResGraphContext } from "./context";
import { isPython } from "./documents";
import { snapshotOf } from "./graph-panel";
import type { GraphPanels } from "./graph-panels";
import { formatInputShape, parseInputShape, type ResGraphSettings } from "./model/settings";
import { webviewBackendOrder } from "./model/profile-plan";
import type { ProfileRunner } from "./profiling";
import { WEBVIEW_BACKENDS, initialViewState, type WebviewBackend } from "../src/protocol";

export const COMMANDS = {
  showGraph: SHOW_GRAPH_COMMAND,
  profileGpu: PROFILE_GPU_COMMAND,
  profile: "resgraph.profile",
  exportGraph: "resgraph.exportGraph",
  chooseEntry: CHOOSE_ENTRY_COMMAND,
  setInputShape: "resgraph.setInputShape",
  showOutput: "resgraph.showOutput",
} as const;

interface Services {
  service: AnalysisService;
  panels: GraphPanels;
  settings: () => ResGraphSettings;
  profiler: ProfileRunner;
}

const BACKEND_DESCRIPTIONS: Record<WebviewBackend, string> = {
  webgpu: "your GPU through WebGPU",
  webgl: "your GPU through WebGL 2",
  wasm: "the CPU through WebAssembly",
  cpu: "the CPU in plain JavaScript (always available, slowest)",
};

/** The document a command is about: the Uri argument, else the active Python editor. */
async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const editor = vscode.window.activeTextEditor;
  if (editor && isPython(editor.document)) return editor.document;
  void vscode.window.showWarningMessage("ResGraph: open a Python file with a Keras or PyTorch model first.");
  return undefined;
}

/**
 * A saved model file the command is about (binary files have no TextDocument): the Uri argument
 * (explorer), else the active tab's file (palette with a model file open).
 */
function modelFileTarget(s: Services, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return s.service.isModelFile(arg) ? arg : undefined;
  if (vscode.window.activeTextEditor && isPython(vscode.window.activeTextEditor.document)) return undefined;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input && typeof input === "object" && "uri" in input && input.uri instanceof vscode.Uri ? input.uri : vscode.window.activeTextEditor?.document.uri;
  return uri && s.service.isModelFile(uri) ? uri : undefined;
}

/** Applies a CodeLens' entry argument: analyse that candidate from now on. */
async function applyEntry(s: Services, document: vscode.TextDocument, entry: unknown): Promise<void> {
  if (typeof entry !== "string" || entry === s.service.get(document.uri)?.response.entry) return;
  await s.service.setEntry(document.uri, entry);
  await s.service.analyse(document, { progress: true });
}

export function registerCommands(ctx: ResGraphContext, s: Services): void {
  ctx.registerCommand(COMMANDS.showGraph, async (_ctx, uri, entry) => {
    const modelFile = modelFileTarget(s, uri);
    if (modelFile) {
      await s.panels.openUri(modelFile);
      void s.service.ensureUri(modelFile);
      return;
    }
    const document = await targetDocument(uri);
    if (!document) return;
    await applyEntry(s, document, entry);
    await s.panels.open(document);
    void s.service.ensure(document);
  });

  ctx.registerCommand(COMMANDS.chooseEntry, async (_ctx, uri, entry) => {
    const document = await targetDocument(uri);
    if (!document) return;
    if (typeof entry === "string") return applyEntry(s, document, entry);
    const analysis = await s.service.ensure(document);
    const entries = analysis?.response.entries ?? [];
    const current = analysis?.response.entry;
    const picked = await vscode.window.showQuickPick(
      [
        ...entries.map((e) => ({ label: e.expr, description: `${e.kind}${e.expr === current ? " · analysed now" : ""}`, detail: `line ${e.range.start.line + 1}` })),
        { label: "Other expression…", description: "any Python expression that builds the model" },
      ],
      { title: `ResGraph: which model of ${basename(document.uri.path)} should be analysed?` },
    );
    if (!picked) return;
    const expr =
      picked.label === "Other expression…"
        ? await vscode.window.showInputBox({ prompt: "Python expression that builds the model", value: current ?? "", placeHolder: "resnet50(num_classes=10)" })
        : picked.label;
    if (!expr) return;
    await s.service.setEntry(document.uri, expr);
    await s.service.analyse(document, { progress: true });
  });

  ctx.registerCommand(COMMANDS.setInputShape, async (_ctx, uri) => {
    const document = await targetDocument(uri);
    if (!document) return;
    const current = s.service.inputFor(document.uri) ?? s.service.get(document.uri)?.response.ir?.inputShapes.map((shape) => shape.map((d) => d ?? 1));
    const text = await vscode.window.showInputBox({
      title: `ResGraph: input shape for ${basename(document.uri.path)}`,
      prompt: "Batch included, in the framework's layout; several inputs separated by ';'. Empty: infer it.",
      value: current ? formatInputShape(current) : "",
      placeHolder: "1,3,224,224",
      validateInput: (v) => {
        const parsed = parseInputShape(v);
        return parsed && !Array.isArray(parsed) ? parsed.error : undefined;
      },
    });
    if (text === undefined) return;
    const parsed = parseInputShape(text);
    await s.service.setInput(document.uri, Array.isArray(parsed) ? parsed : undefined);
    await s.service.analyse(document, { progress: true });
  });

  ctx.registerCommand(COMMANDS.showOutput, (c) => c.log.show(true));

  ctx.registerCommand(COMMANDS.exportGraph, async (c, uri) => {
    const document = await targetDocument(uri);
    if (!document) return;
    const analysis = await s.service.ensure(document);
    if (!analysis?.response.ir) {
      void vscode.window.showWarningMessage(`ResGraph: there is no graph to export for ${basename(document.uri.path)}; see the Problems panel.`);
      return;
    }
    const stem = document.uri.path.replace(/\.py$/, "");
    const target = await vscode.window.showSaveDialog({
      defaultUri: document.uri.with({ path: `${stem}.resgraph.html` }),
      filters: { "Standalone HTML report": ["html"], "Graph IR and summary (JSON)": ["json"] },
      title: "ResGraph: export the graph",
    });
    if (!target) return;
    const snapshot = snapshotOf(analysis, initialViewState());
    let text: string;
    if (target.path.endsWith(".json")) {
      text = JSON.stringify({ ir: snapshot.ir, summary: snapshot.summary, diagnostics: snapshot.diagnostics }, null, 2);
    } else {
      const root = c.extension.extensionUri.fsPath;
      const [bundle, css] = await Promise.all([readFile(`${root}/dist/webview.js`, "utf8"), readFile(`${root}/media/webview.css`, "utf8")]);
      text = buildReportHtml({ snapshot, bundle, css });
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    c.log.info(`Exported the graph of ${analysis.file} to ${target.toString()}.`);
    void vscode.window.showInformationMessage(`ResGraph: exported ${basename(target.path)}.`);
  });

  const profile = async (uri: unknown, entry: unknown, chooseBackend: boolean): Promise<void> => {
    const modelFile = modelFileTarget(s, uri);
    const document = modelFile ? undefined : await targetDocument(uri);
    const target = modelFile ?? document?.uri;
    if (!target) return;
    if (document) await applyEntry(s, document, entry);
    let backend: WebviewBackend | null = null;
    if (chooseBackend) {
      // The user's order first, then the rest.
      const preferred = webviewBackendOrder(s.settings().backendOrder).backends;
      const order = [...preferred, ...WEBVIEW_BACKENDS.filter((b) => !preferred.includes(b))];
      const picked = await vscode.window.showQuickPick(
        order.map((b) => ({ label: b, description: BACKEND_DESCRIPTIONS[b] })),
        { title: `ResGraph: profile ${basename(target.path)} on which backend?` },
      );
      if (!picked) return;
      backend = picked.label;
    }
    await s.profiler.profileUri(target, backend);
  };
  ctx.registerCommand(COMMANDS.profileGpu, (_c, uri, entry) => profile(uri, entry, false));
  ctx.registerCommand(COMMANDS.profile, (_c, uri, entry) => profile(uri, entry, true));
}
