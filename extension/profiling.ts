// "Profile on GPU" end to end. The profile runs in the graph panel's page (TensorFlow.js reaches the
// user's GPU through WebGPU or WebGL there; wasm and cpu run on the page's CPU), so the host opens or
// reuses the panel, waits until it shows the model, and sends runProfile for each backend of the
// user's order until one starts (a page answers profileFailed "unavailable" for one it cannot start).
// A cancellable progress notification follows profileProgress; Cancel sends cancelProfile. The result
// is saved per model (ProfileStore), compared with the one before it in the log, and rides on every
// later snapshot so a reloaded panel shows latency again.

import * as vscode from "vscode";
import { basename } from "node:path";
import { compareProfiles } from "../src/profile/export";
import type { ProfileResult } from "../src/profile/result";
import type { ProfileFailedMessage, ProfilePhase, WebviewBackend } from "../src/protocol";
import type { AnalysisService } from "./analysis-service";
import type { ResGraphContext } from "./context";
import type { GraphPanel } from "./graph-panel";
import type { GraphPanels } from "./graph-panels";
import {
  allBackendsFailedMessage,
  comparisonSummary,
  progressFraction,
  progressMessage,
  profiledMessage,
  webviewBackendOrder,
  type FailedAttempt,
} from "./model/profile-plan";
import type { ProfileStore } from "./model/profile-store";
import type { ResGraphSettings } from "./model/settings";

/** How long a new panel may take to load and show its model before profiling gives up. */
const PAGE_READY_TIMEOUT_MS = 60_000;
/** After Cancel, how long to wait for the page's "cancelled" before closing the notification anyway. */
const CANCEL_GRACE_MS = 5_000;

type RunOutcome = { kind: "result"; result: ProfileResult } | { kind: "failed"; code: ProfileFailedMessage["code"]; message: string };

export class ProfileRunner {
  private readonly running = new Set<GraphPanel>();

  constructor(
    private readonly ctx: ResGraphContext,
    private readonly service: AnalysisService,
    private readonly panels: GraphPanels,
    private readonly store: ProfileStore,
    private readonly settings: () => ResGraphSettings,
  ) {}

  /** Profiles a document's model in its graph panel (opened if needed); `backend` null: the settings' order. */
  async profileDocument(document: vscode.TextDocument, backend: WebviewBackend | null): Promise<void> {
    return this.profileUri(document.uri, backend);
  }

  /** Same for any Uri: a Python file or a saved model file. */
  async profileUri(uri: vscode.Uri, backend: WebviewBackend | null): Promise<void> {
    const analysis = await this.service.ensureUri(uri);
    if (!analysis?.response.ir) {
      void vscode.window.showWarningMessage(`ResGraph: ${basename(uri.path)} has no analysable model to profile; see the Problems panel.`);
      return;
    }
    const panel = await this.panels.openUri(uri);
    await this.profilePanel(panel, backend);
  }

  /** Profiles the model a panel shows (also the page's own Profile button). */
  async profilePanel(panel: GraphPanel, backend: WebviewBackend | null): Promise<void> {
    if (this.running.has(panel)) {
      void vscode.window.showInformationMessage("ResGraph: this model is being profiled already; cancel that run from its notification first.");
      return;
    }
    const ir = (await this.service.ensureUri(panel.uri))?.response.ir;
    if (!ir) {
      void vscode.window.showWarningMessage(`ResGraph: ${basename(panel.uri.path)} has no analysable model to profile; see the Problems panel.`);
      return;
    }
    const settings = this.settings();
    const plan = backend ? { backends: [backend], notes: [] } : webviewBackendOrder(settings.backendOrder);
    for (const note of plan.notes) this.ctx.log.info(note);
    this.running.add(panel);
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ResGraph: profiling ${ir.modelName}`, cancellable: true },
        async (progress, token) => {
          let shownFraction = 0;
          const report = (message: string, fraction: number): void => {
            // The bar only moves forward, also when a later backend starts over.
            const increment = Math.max(0, fraction - shownFraction) * 100;
            shownFraction = Math.max(shownFraction, fraction);
            progress.report({ message, increment });
          };
          report("opening the graph", 0);
          if (!(await panel.whenShowingModel(PAGE_READY_TIMEOUT_MS))) {
            const message = `ResGraph: the graph panel of ${basename(panel.uri.path)} did not show the model within ${PAGE_READY_TIMEOUT_MS / 1000} s, so nothing was profiled.`;
            this.ctx.log.warn(message);
            void vscode.window.showWarningMessage(message);
            return;
          }
          const skipped: FailedAttempt[] = [];
          for (const b of plan.backends) {
            if (token.isCancellationRequested) break;
            this.ctx.log.info(`Profiling ${ir.modelName} on ${b} (warmup ${settings.warmup}, ${settings.repetitions} runs, batch 1)…`);
            const outcome = await this.runOne(panel, b, settings, token, (phase, done, total) =>
              report(progressMessage(b, phase, done, total), progressFraction(phase, done, total)),
            );
            if (outcome.kind === "result") return this.finished(outcome.result, ir.file, ir.entry, skipped);
            if (outcome.code === "unavailable") {
              this.ctx.log.info(`The ${b} backend is unavailable here: ${outcome.message}`);
              skipped.push({ backend: b, message: outcome.message });
              continue;
            }
            if (outcome.code === "cancelled") {
              this.ctx.log.info(`Profiling ${ir.modelName} on ${b} was cancelled.`);
              return;
            }
            const message = `ResGraph: profiling ${ir.modelName} on ${b} failed: ${outcome.message}`;
            this.ctx.log.warn(message);
            void vscode.window.showErrorMessage(message);
            return;
          }
          if (token.isCancellationRequested) return;
          const message = allBackendsFailedMessage(ir.modelName, skipped);
          this.ctx.log.warn(message);
          void vscode.window.showWarningMessage(message);
        },
      );
    } finally {
      this.running.delete(panel);
    }
  }

  /** One runProfile on one backend, settled by the page's final reply, a reload, the panel closing, or Cancel. */
  private runOne(
    panel: GraphPanel,
    backend: WebviewBackend,
    settings: ResGraphSettings,
    token: vscode.CancellationToken,
    onProgress: (phase: ProfilePhase, done: number, total: number) => void,
  ): Promise<RunOutcome> {
    return new Promise((resolve) => {
      const subscriptions: vscode.Disposable[] = [];
      let cancelTimer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      let id = -1;
      const finish = (outcome: RunOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(cancelTimer);
        for (const d of subscriptions) d.dispose();
        resolve(outcome);
      };
      subscriptions.push(
        panel.onProfileEvent((event) => {
          if (event.kind === "closed") return finish({ kind: "failed", code: "cancelled", message: "The graph panel was closed while profiling." });
          if (event.kind === "reloaded") {
            return finish({
              kind: "failed",
              code: "failed",
              message: "the graph panel reloaded during the run (VS Code rebuilds a hidden panel's page); keep the graph visible and profile again.",
            });
          }
          const m = event.message;
          if (m.inReplyTo !== id) return;
          if (m.type === "profileProgress") onProgress(m.phase, m.done, m.total);
          else if (m.type === "profileResult") finish({ kind: "result", result: m.result });
          else finish({ kind: "failed", code: m.code, message: m.message });
        }),
        token.onCancellationRequested(() => {
          panel.cancelProfile();
          // The page answers "cancelled"; one that no longer answers must not keep the notification up.
          cancelTimer = setTimeout(() => finish({ kind: "failed", code: "cancelled", message: "The profile was cancelled." }), CANCEL_GRACE_MS);
        }),
      );
      id = panel.runProfile({ backend, warmup: settings.warmup, runs: settings.repetitions, batch: 1 });
      if (id < 0) finish({ kind: "failed", code: "cancelled", message: "The graph panel was closed before profiling started." });
    });
  }

  /** Saves the result, logs it against the previous one, and says which backend ran it and why. */
  private async finished(result: ProfileResult, file: string, entry: string, skipped: FailedAttempt[]): Promise<void> {
    // The page is untrusted: a result must be of the model this panel was sent.
    if (result.file !== file || result.entry !== entry) {
      this.ctx.log.warn(`Ignored a profile result of ${result.entry} in ${result.file}: the panel shows ${entry} in ${file}.`);
      return;
    }
    const message = profiledMessage(result, skipped);
    this.ctx.log.info(message.replace(/^ResGraph: /, ""));
    try {
      const previous = await this.store.save(result);
      this.ctx.log.info(previous ? comparisonSummary(compareProfiles(previous, result)) : `First profile of ${entry} in ${basename(file)}; the next run will be compared with it.`);
    } catch (e) {
      this.ctx.log.warn(`The profile of ${result.modelName} could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    }
    void vscode.window.showInformationMessage(message);
  }
}
