// Runs analyses in a worker thread (one at a time, in order) and falls back to the extension host
// itself when no worker can start. Cancelling terminates the worker — the only way to stop a
// synchronous analysis — and the next request starts a fresh one. No vscode import.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { WorkerReply } from "./analysis-worker";
import { runAnalysis, type AnalysisRequest, type AnalysisResponse } from "./model/analysis-job";
import { PendingRequests } from "./model/pending-requests";

/**
 * Worker source when only dist/extension.js exists: load the bundle with `require("vscode")`
 * answered by an empty object (nothing in it touches vscode at load time), then start the loop.
 */
function bootstrapSource(bundle: string): string {
  return [
    "const Module = require('module');",
    "const load = Module._load;",
    "Module._load = function (request, ...rest) { return request === 'vscode' ? {} : load.call(this, request, ...rest); };",
    `require(${JSON.stringify(bundle)}).runAnalysisWorker();`,
  ].join("\n");
}

export interface ClientOptions {
  /** The extension's root folder (holds dist/). */
  extensionPath: string;
  /** A request still running after this long is cancelled. */
  timeoutMs: number;
  log: (level: "info" | "warn" | "error", message: string) => void;
}

export class AnalysisClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending: PendingRequests<AnalysisResponse>;
  private queue: Promise<unknown> = Promise.resolve();
  private workerBroken = false;
  /** Whether any worker ever answered: a worker that fails before that will not start at all. */
  private answered = false;

  constructor(private readonly options: ClientOptions) {
    this.pending = new PendingRequests<AnalysisResponse>("analysis worker");
  }

  /** True while analyses run off the extension host's event loop. */
  get usesWorker(): boolean {
    return !this.workerBroken;
  }

  /** Queues one analysis; `cancelled` (when it fires) stops it and rejects with "cancelled". */
  analyse(request: AnalysisRequest, onCancel?: (cancel: () => void) => void): Promise<AnalysisResponse> {
    const run = this.queue.then(() => this.run(request, onCancel));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private run(request: AnalysisRequest, onCancel?: (cancel: () => void) => void): Promise<AnalysisResponse> {
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(runAnalysis(request));
    const id = this.nextId++;
    const reply = this.pending.add(id, this.options.timeoutMs);
    onCancel?.(() => this.restart(new Error("cancelled")));
    worker.postMessage({ id, request });
    return reply.catch((e: Error) => {
      // A timeout leaves the worker busy with the stale job: replace it.
      if (/did not answer/.test(e.message)) this.restart(e);
      // No worker can run here at all: analyse on this thread rather than not at all.
      if (this.workerBroken) return runAnalysis(request);
      throw e;
    });
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.workerBroken) return this.worker;
    const dist = join(this.options.extensionPath, "dist");
    const dedicated = join(dist, "analysis-worker.js");
    try {
      this.worker = existsSync(dedicated)
        ? new Worker(dedicated)
        : new Worker(bootstrapSource(join(dist, "extension.js")), { eval: true });
    } catch (e) {
      this.workerBroken = true;
      this.options.log("warn", `The analysis worker could not start (${String(e)}); analysing on the main thread.`);
      return undefined;
    }
    const worker = this.worker;
    worker.on("message", (msg: WorkerReply) => {
      this.answered = true;
      if ("error" in msg) this.pending.reject(msg.id, new Error(msg.error));
      else this.pending.resolve(msg.id, msg.response);
    });
    worker.on("error", (e) => {
      this.options.log("error", `The analysis worker failed: ${e.stack ?? e.message}`);
      if (this.worker === worker) this.worker = undefined;
      if (!this.answered) this.workerBroken = true;
      this.pending.rejectAll(e);
    });
    worker.on("exit", (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (code !== 0 && code !== 1) this.options.log("warn", `The analysis worker exited with code ${code}.`);
    });
    worker.unref();
    return worker;
  }

  private restart(reason: Error): void {
    const w = this.worker;
    this.worker = undefined;
    this.pending.rejectAll(reason);
    void w?.terminate();
  }

  dispose(): void {
    this.pending.dispose();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
