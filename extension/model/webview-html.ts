// The graph panel's HTML: a shell that loads dist/webview.js by nonce and media/webview.css, under a
// strict Content-Security-Policy. No inline script, no data in the page: the model arrives by
// postMessage after the webview says `ready`. The profiler bundle (TensorFlow.js) is only named in a
// meta tag; webview/profiler-loader.ts adds it with the same nonce when a profile starts. The wasm
// backend is not offered (no .wasm files ship in dist/, so no `resgraph-wasm-base` meta and no
// 'wasm-unsafe-eval'): it answers "unavailable" and the host falls back to cpu.
// Pure so the policy itself is unit-tested.

/** Must equal PROFILER_SRC_META in webview/profiler-api.ts (the extension does not import webview code). */
export const PROFILER_SRC_META = "resgraph-profiler-src";

export interface WebviewHtmlInput {
  /** `webview.cspSource`: the origin VS Code serves local resources from. */
  cspSource: string;
  /** A fresh random nonce per page. */
  nonce: string;
  /** `webview.asWebviewUri(...)` of dist/webview.js and media/webview.css, as strings. */
  scriptUri: string;
  styleUri: string;
  /**
   * `asWebviewUri(dist/webview-profiler.js)`: named in a meta tag, loaded by the page (with our nonce)
   * only when a profile is asked for. Absent: the page cannot profile.
   */
  profilerUri?: string;
  title: string;
}

/**
 * default-src 'none'; scripts only with our nonce; styles, images and fonts only from our own files.
 * `blob:` images let the graph's "Export PNG" rasterise its SVG in the page; `blob:` workers let it
 * lay out big graphs off the UI thread (the worker's code is a string inside dist/webview.js).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} blob:`,
    `font-src ${cspSource}`,
    "worker-src blob:",
  ].join("; ");
}

/** 32 characters from [A-Za-z0-9]; `random` is injectable for tests. */
export function makeNonce(random: () => number = Math.random): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < 32; i++) out += chars[Math.floor(random() * chars.length) % chars.length];
  return out;
}

/** Escapes text for an HTML attribute or text node. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function renderWebviewHtml(input: WebviewHtmlInput): string {
  const csp = contentSecurityPolicy(input.cspSource, input.nonce);
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<link rel="stylesheet" href="${escapeHtml(input.styleUri)}">`,
    ...(input.profilerUri ? [`<meta name="${PROFILER_SRC_META}" content="${escapeHtml(input.profilerUri)}">`] : []),
    `<title>${escapeHtml(input.title)}</title>`,
    "</head>",
    "<body>",
    '<div id="root"></div>',
    `<script nonce="${escapeHtml(input.nonce)}" src="${escapeHtml(input.scriptUri)}"></script>`,
    "</body>",
    "</html>",
  ].join("\n");
}
