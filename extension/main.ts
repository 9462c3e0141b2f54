// VS Code entry point. Kept tiny: it builds the context object and the services, registers every
// provider and command, and hands everything to the context for disposal. The analysis itself
// lives in src/ (no vscode there) and runs in a worker thread (analysis-client.ts).

import * as vscode from "vscode";
import { AnalysisClient } from "./analysis-client";
import { AnalysisService } from "./analysis-service";
import { registerCodeLens } from "./code-lens";
import { registerCommands } from "./commands";
import { ResGraphContext } from "./context";
import { registerCursorSync } from "./cursor-sync";
import { registerDiagnostics } from "./diagnostics";
import { GraphPanels } from "./graph-panels";
import { registerHover } from "./hover";
import { ProfileStore, type TextFiles } from "./model/profile-store";
import { readSettings, type ResGraphSettings } from "./model/settings";
import { Navigation } from "./navigation";
import { ProfileRunner } from "./profiling";
import { SHOW_SUMMARY_COMMAND, showSummary } from "./show-summary";
import { registerStatusBar } from "./status-bar";

// The analysis worker loads this same bundle when the build has no dist/analysis-worker.js.
export { runAnalysisWorker } from "./analysis-worker";

let current: ResGraphContext | undefined;

export function activate(extension: vscode.ExtensionContext): void {
  const ctx = new ResGraphContext(extension);
  extension.subscriptions.push(ctx);
  current = ctx;

  let cached: ResGraphSettings | undefined;
  const settings = (): ResGraphSettings =>
    (cached ??= readSettings((key) => vscode.workspace.getConfiguration("resgraph").get(key), (m) => ctx.log.warn(m)));
  ctx.own(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration("resgraph") && (cached = undefined)));

  const client = ctx.own(
    new AnalysisClient({
      extensionPath: extension.extensionUri.fsPath,
      timeoutMs: 120_000,
      log: (level, message) => ctx.log[level](message),
    }),
  );
  const service = ctx.own(new AnalysisService(ctx, client, settings));
  const navigation = new Navigation();
  const profiles = new ProfileStore(storageFiles(extension), (m) => ctx.log.warn(m));
  // The panels hand the page's Profile button to the runner, which opens panels: tied up lazily.
  let profiler: ProfileRunner | undefined;
  const panels = new GraphPanels(ctx, service, navigation, profiles, (panel, backend) => profiler!.profilePanel(panel, backend));
  profiler = new ProfileRunner(ctx, service, panels, profiles, settings);

  registerDiagnostics(ctx, service);
  registerCodeLens(ctx, service, settings);
  registerHover(ctx, service);
  registerStatusBar(ctx, service);
  registerCursorSync(ctx, service, panels, navigation, settings);
  registerCommands(ctx, { service, panels, settings, profiler });
  ctx.registerCommand(SHOW_SUMMARY_COMMAND, showSummary);
  ctx.log.info(`ResGraph activated (analysis ${client.usesWorker ? "in a worker thread" : "on the main thread"}).`);
}

/**
 * Profile results live in the workspace's storage folder (the global one for a window without a
 * folder), under profiles/: beside the workspace's other state, never in the user's files.
 */
function storageFiles(extension: vscode.ExtensionContext): TextFiles {
  const folder = vscode.Uri.joinPath(extension.storageUri ?? extension.globalStorageUri, "profiles");
  return {
    async read(name) {
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, name)));
      } catch (e) {
        if (e instanceof vscode.FileSystemError && e.code === "FileNotFound") return undefined;
        throw e;
      }
    },
    async write(name, text) {
      await vscode.workspace.fs.createDirectory(folder);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name), new TextEncoder().encode(text));
    },
  };
}

export function deactivate(): void {
  current?.dispose();
  current = undefined;
}
