// The analysis worker thread's loop: requests in, analyses out, so a huge file never blocks the
// extension host's event loop. No vscode import: worker threads have no VS Code API. It runs from
// dist/analysis-worker.js when the build makes one, else from dist/extension.js loaded with a stub
// `vscode` module (see analysis-client.ts), which is why it is re-exported from main.ts.

import { parentPort } from "node:worker_threads";
import { runAnalysis, type AnalysisRequest, type AnalysisResponse } from "./model/analysis-job";

export type WorkerRequest = { id: number; request: AnalysisRequest };
export type WorkerReply = { id: number; response: AnalysisResponse } | { id: number; error: string };

/** Starts answering requests on the worker's parent port; returns false outside a worker. */
export function runAnalysisWorker(): boolean {
  const port = parentPort;
  if (!port) return false;
  port.on("message", (msg: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      reply = { id: msg.id, response: runAnalysis(msg.request) };
    } catch (e) {
      // analyze() never throws on user code; this is a bug in the analyzer, reported as such.
      reply = { id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(reply);
  });
  return true;
}
