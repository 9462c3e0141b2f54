// The one handle on VS Code's webview API. acquireVsCodeApi() may be called only once per page,
// so everything else goes through `postToHost` here, typed by the shared protocol.

import type { WebviewToHost } from "../src/protocol";

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// Outside VS Code (a plain browser, tests) there is no host: fall back to a logger so the
// page still renders.
const api: VsCodeApi =
  typeof acquireVsCodeApi === "function"
    ? acquireVsCodeApi()
    : {
        postMessage: (m) => console.log("[resgraph webview] ->host", m),
        getState: () => undefined,
        setState: () => undefined,
      };

export function postToHost(message: WebviewToHost): void {
  api.postMessage(message);
}
