// The ONE interface between the view and whatever hosts it. The view only ever talks to a ViewHost:
// inside VS Code that is the webview API (messages to the extension), in a standalone report page it
// is a small in-page host that answers from the snapshot embedded in the HTML. The view never calls
// VS Code directly, so the same bundle runs in both.

import { download } from "./export";
import {
  createIdSource,
  initialViewState,
  isHostToWebview,
  type HostToWebview,
  type Snapshot,
  type WebviewToHost,
} from "../src/protocol";

export interface ViewHost {
  post(msg: WebviewToHost): void;
  onMessage(cb: (msg: HostToWebview) => void): void;
  /** UI state persisted across reloads of the view (zoom, open groups, ...); undefined when none. */
  getState(): unknown;
  setState(state: unknown): void;
  /** Saves an exported file: a download in a page, the host's save dialog inside VS Code. */
  saveFile(id: number, fileName: string, blob: Blob): Promise<void>;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** True inside a VS Code webview (the API is injected before our script runs). */
export function inVsCode(): boolean {
  return typeof acquireVsCodeApi === "function";
}

/** The VS Code webview host. acquireVsCodeApi() may be called only once per page. */
export function createVsCodeHost(): ViewHost {
  const api = acquireVsCodeApi();
  return {
    post: (msg) => api.postMessage(msg),
    onMessage: (cb) =>
      window.addEventListener("message", (event: MessageEvent<unknown>) => {
        if (isHostToWebview(event.data)) cb(event.data);
      }),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
    // A webview cannot download through <a download>: the extension saves it (protocol saveFile).
    saveFile: async (id, fileName, blob) => api.postMessage(await saveFileMessage(id, fileName, blob)),
  };
}

/** The saveFile message for a blob: SVG and other text as text, anything else (PNG) as base64. */
export async function saveFileMessage(id: number, fileName: string, blob: Blob): Promise<WebviewToHost> {
  const mimeType = blob.type || "application/octet-stream";
  if (mimeType.startsWith("text/") || mimeType === "image/svg+xml") return { type: "saveFile", id, fileName, mimeType, text: await blob.text() };
  return { type: "saveFile", id, fileName, mimeType, base64: toBase64(new Uint8Array(await blob.arrayBuffer())) };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const CHUNK = 0x8000; // String.fromCharCode with a spread argument list has a size limit
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** The id of the JSON script tag a standalone report embeds its snapshot in. */
export const EMBEDDED_DATA_ID = "resgraph-data";

/** Reads the snapshot embedded in the page, or null when there is none or it is not JSON. */
export function readEmbeddedSnapshot(doc: Document): Snapshot | null {
  const el = doc.getElementById(EMBEDDED_DATA_ID);
  if (!el?.textContent) return null;
  try {
    return JSON.parse(el.textContent) as Snapshot;
  } catch {
    return null;
  }
}

/**
 * The standalone host: answers `ready` with the embedded snapshot, and, having no editor to jump to,
 * shows "file:line" of a revealed node through `showStatus`. State lives in memory only (a report
 * opened from disk has nowhere durable to keep it).
 */
export function createStandaloneHost(snapshot: Snapshot | null, showStatus: (text: string) => void): ViewHost {
  const listeners: ((msg: HostToWebview) => void)[] = [];
  const nextId = createIdSource();
  let state: unknown;
  const deliver = (msg: HostToWebview): void => {
    // Asynchronous like a real host, so the view never re-enters itself from inside post().
    queueMicrotask(() => listeners.forEach((cb) => cb(msg)));
  };
  return {
    post(msg) {
      switch (msg.type) {
        case "ready":
          if (snapshot) deliver({ type: "snapshot", id: nextId(), inReplyTo: msg.id, snapshot: { ...snapshot, view: snapshot.view ?? initialViewState() } });
          else deliver({ type: "error", id: nextId(), message: "This page has no embedded model data; regenerate it with `resgraph report FILE -o model.html`." });
          break;
        case "revealSource":
          showStatus(sourceLocation(snapshot, msg.nodeId));
          break;
        case "requestProfile":
          // Like the extension would: run it in this page (the report has no other backend).
          deliver({ type: "runProfile", id: nextId(), inReplyTo: msg.id, backend: msg.backend ?? "webgl", ...STANDALONE_PROFILE });
          break;
        case "selectNode":
        case "error":
        case "saveFile":
        case "profileProgress":
        case "profileResult":
        case "profileFailed":
          break;
      }
    },
    onMessage: (cb) => void listeners.push(cb),
    getState: () => state,
    setState: (s) => void (state = s),
    saveFile: async (_id, fileName, blob) => download(fileName, blob),
  };
}

/** Runs of a profile started from a standalone report's Profile menu: enough for a stable median. */
export const STANDALONE_PROFILE = { warmup: 2, runs: 10, batch: 1 } as const;

/** "examples/torch_resnet.py:123 (layer1.0.conv1)" for a node, from the snapshot's summary. */
export function sourceLocation(snapshot: Snapshot | null, nodeId: string): string {
  const node = snapshot?.summary?.nodes.find((n) => n.id === nodeId);
  if (!snapshot || !node) return `No source location is known for node ${nodeId}.`;
  return node.line === null ? `${snapshot.file}: no line is known for ${node.label}.` : `${snapshot.file}:${node.line} (${node.label})`;
}
