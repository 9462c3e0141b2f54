// Entry of the webview bundle (dist/webview.js). Picks the host: VS Code's webview API when present,
// else the standalone host reading the snapshot embedded in the report page. Exposes the app as
// `window.resgraph` for the browser tests and the render benchmark.

import { App } from "./app";
import { createStandaloneHost, createVsCodeHost, inVsCode, readEmbeddedSnapshot, type ViewHost } from "./host";

declare global {
  interface Window {
    resgraph?: App;
  }
}

function main(): void {
  const root = document.getElementById("root") ?? document.body;
  let app: App | null = null;
  const host: ViewHost = inVsCode()
    ? createVsCodeHost()
    : createStandaloneHost(readEmbeddedSnapshot(document), (text) => app?.setStatus(text));
  app = new App(root, host);
  window.resgraph = app;
  app.start();
}

main();
