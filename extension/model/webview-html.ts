// The graph panel's HTML: a shell that loads dist/webview.js by nonce and media/webview.css, under a
// strict Content-Security-Policy. No inline script, no data in the page: the model arrives by
// postMessage after the webview says `ready`. The profiler bundle (TensorFlow.js) is only named in a
// meta tag; webview/profiler-loader.ts adds it with the same nonce when a profile starts. The wasm
// backend is not offered (no .wasm files ship in dist/, so no `resgraph-wasm-base` meta and no
// 'wasm-unsafe-eval'): it answers "unavailable" and the host falls back to cpu.
// The page shell and the policy's fixed part are shared with the CLI report (src/view/page-html.ts).
// Pure so the policy itself is unit-tested.

import { escapeHtml, graphPageHtml, pageContentSecurityPolicy, type PageSources } from "../../src/view/page-html";

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

/** Scripts only with our nonce; styles, images and fonts only from our own files. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return pageContentSecurityPolicy(panelSources(cspSource, nonce));
}

function panelSources(cspSource: string, nonce: string): PageSources {
  return { script: `'nonce-${nonce}'`, style: cspSource, img: cspSource, font: cspSource };
}

/** 32 characters from [A-Za-z0-9]; `random` is injectable for tests. */
export function makeNonce(random: () => number = Math.random): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < 32; i++) out += chars[Math.floor(random() * chars.length) % chars.length];
  return out;
}

export function renderWebviewHtml(input: WebviewHtmlInput): string {
  return graphPageHtml({
    sources: panelSources(input.cspSource, input.nonce),
    title: input.title,
    head: [
      `<link rel="stylesheet" href="${escapeHtml(input.styleUri)}">`,
      ...(input.profilerUri ? [`<meta name="${PROFILER_SRC_META}" content="${escapeHtml(input.profilerUri)}">`] : []),
    ],
    body: [`<script nonce="${escapeHtml(input.nonce)}" src="${escapeHtml(input.scriptUri)}"></script>`],
  });
}
