// Placeholder webview: renders the title, says hello to the host with `ready`, and shows which
// model the latest snapshot describes. The real graph UI replaces the body of `render` later.

import { createIdSource, isHostToWebview, PROTOCOL_VERSION, type HostToWebview } from "../src/protocol";
import { postToHost } from "./vscode-api";

const nextId = createIdSource();

function render(root: HTMLElement, status: string): void {
  root.replaceChildren();
  const title = document.createElement("h1");
  title.textContent = "ResGraph";
  const line = document.createElement("p");
  line.className = "resgraph-status";
  line.textContent = status;
  root.append(title, line);
}

function describe(message: HostToWebview): string | undefined {
  switch (message.type) {
    case "snapshot": {
      const { ir, diagnostics } = message.snapshot;
      if (!ir) return `No model analysed (${diagnostics.length} diagnostic(s)).`;
      return `${ir.modelName} (${ir.framework}): ${ir.nodes.length} nodes.`;
    }
    case "error":
      return `Error: ${message.message}`;
    case "selectNode":
      return undefined;
  }
}

function main(): void {
  const root = document.getElementById("root") ?? document.body;
  render(root, "Waiting for the analysis...");
  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    if (!isHostToWebview(event.data)) return;
    const status = describe(event.data);
    if (status !== undefined) render(root, status);
  });
  postToHost({ type: "ready", id: nextId(), protocolVersion: PROTOCOL_VERSION });
}

main();
