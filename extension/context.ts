// The extension's one context object (rust-analyzer's `Ctx` style): it owns the output channel
// and every disposable, so deactivation is a single `dispose()` and nothing leaks between
// reloads of the extension host.

import * as vscode from "vscode";

export class ResGraphContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly log: vscode.LogOutputChannel;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel("ResGraph", { log: true }));
  }

  /** Takes ownership of a disposable; returns it for chaining. */
  own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  /** Registers a command whose failures are logged and shown instead of surfacing as raw errors. */
  registerCommand(command: string, run: (ctx: ResGraphContext) => Promise<void> | void): void {
    this.own(
      vscode.commands.registerCommand(command, async () => {
        try {
          await run(this);
        } catch (e) {
          const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
          this.log.error(`Command ${command} failed: ${message}`);
          void vscode.window.showErrorMessage(`ResGraph: ${command} failed; see the ResGraph output for details.`);
        }
      }),
    );
  }

  dispose(): void {
    // Reverse order: later registrations may depend on earlier ones (e.g. the log channel).
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
