// The extension's one context object (rust-analyzer's `Ctx` style): it owns the output channel
// and every disposable, so deactivation is a single `dispose()` and nothing leaks between
// reloads of the extension host. Shorter lifetimes (one graph panel) get a child `Scope`, owned by
// the context, that disposes its own resources when the panel closes.

import * as vscode from "vscode";

/** A set of disposables with one lifetime; disposing it disposes them, newest first. */
export class Scope implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly onDisposeHooks: (() => void)[] = [];

  /** Takes ownership of a disposable; returns it for chaining. Owning after dispose disposes at once. */
  own<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.disposables.push(d);
    return d;
  }

  /** A child lifetime that ends with this one, or earlier when disposed itself. */
  scope(): Scope {
    const child = new Scope();
    this.own(child);
    child.onDisposeHooks.push(() => {
      const i = this.disposables.indexOf(child);
      if (i >= 0) this.disposables.splice(i, 1);
    });
    return child;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Reverse order: later registrations may depend on earlier ones (e.g. the log channel).
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // One failing disposable must not keep the others alive.
      }
    }
    for (const hook of this.onDisposeHooks.splice(0)) hook();
  }
}

export class ResGraphContext extends Scope {
  readonly log: vscode.LogOutputChannel;

  constructor(readonly extension: vscode.ExtensionContext) {
    super();
    this.log = this.own(vscode.window.createOutputChannel("ResGraph", { log: true }));
  }

  /** Registers a command whose failures are logged and shown instead of surfacing as raw errors. */
  registerCommand(command: string, run: (ctx: ResGraphContext, ...args: unknown[]) => Promise<void> | void): void {
    this.own(
      vscode.commands.registerCommand(command, async (...args: unknown[]) => {
        try {
          await run(this, ...args);
        } catch (e) {
          const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
          this.log.error(`Command ${command} failed: ${message}`);
          void vscode.window.showErrorMessage(`ResGraph: ${command} failed; see the ResGraph output for details.`);
        }
      }),
    );
  }
}
