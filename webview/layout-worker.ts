// Entry of the layout Web Worker (bundled by scripts/build.mjs into a string inside dist/webview.js,
// started from a blob: URL by layout-client.ts). All the work is layout-job.ts.

import { createLayoutJobState, handleLayoutMessage, type FromLayoutWorker, type ToLayoutWorker } from "./layout-job";

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToLayoutWorker>) => void) | null;
  postMessage(msg: FromLayoutWorker, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const state = createLayoutJobState();
scope.onmessage = (e) => {
  const reply = handleLayoutMessage(state, e.data);
  // The packed layout's buffer moves to the page instead of being copied.
  if (reply) scope.postMessage(reply, reply.type === "layout" ? [reply.packed.data.buffer] : []);
};
