// VS Code entry point. Kept tiny: it builds the context object, registers commands, and hands
// everything to the context for disposal. The analysis itself lives in src/ (no vscode there).

import type * as vscode from "vscode";
import { ResGraphContext } from "./context";
import { SHOW_SUMMARY_COMMAND, showSummary } from "./show-summary";

let current: ResGraphContext | undefined;

export function activate(extension: vscode.ExtensionContext): void {
  const ctx = new ResGraphContext(extension);
  extension.subscriptions.push(ctx);
  ctx.registerCommand(SHOW_SUMMARY_COMMAND, showSummary);
  ctx.log.info("ResGraph activated.");
  current = ctx;
}

export function deactivate(): void {
  current?.dispose();
  current = undefined;
}
