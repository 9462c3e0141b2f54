// The standalone HTML report: one self-contained file (webview bundle, stylesheet and the analysis
// snapshot inlined) that opens from disk with no server and no network. The page runs the same
// bundle as the VS Code webview; the bundle finds the snapshot in the JSON script tag and uses its
// standalone host. Pure string building: the caller supplies the bundle and CSS text.

import type { Snapshot } from "../protocol";
import { graphPageHtml, type PageSources } from "../view/page-html";

export interface ReportHtmlInput {
  snapshot: Snapshot;
  /** Text of the built dist/webview.js. */
  bundle: string;
  /** Text of media/webview.css. */
  css: string;
  /**
   * Text of dist/webview-profiler.js (TensorFlow.js), optional: inlined as inert text and run only
   * when the reader asks for a profile in the page (webview/profiler-loader.ts).
   */
  profiler?: string;
}

/** Must match PROFILER_INLINE_ID in webview/profiler-api.ts. */
export const REPORT_PROFILER_ID = "resgraph-profiler";

/** Must match EMBEDDED_DATA_ID in webview/host.ts (src/ may not import webview/). */
export const REPORT_DATA_ID = "resgraph-data";

/**
 * No network at all: everything is inline; images (besides blob:) and fonts only from data: URLs.
 * Directives every graph page has are added by src/view/page-html.ts.
 */
const REPORT_SOURCES: PageSources = { script: "'unsafe-inline'", style: "'unsafe-inline'", img: "data:", font: "data:" };

export function buildReportHtml(input: ReportHtmlInput): string {
  const name = input.snapshot.ir?.modelName ?? "no model";
  return graphPageHtml({
    sources: REPORT_SOURCES,
    title: `ResGraph: ${name} (${input.snapshot.file})`,
    head: [`<style>\n${escapeClosingTag(input.css, "style")}\n</style>`],
    bodyClass: "resgraph-standalone",
    body: [
      `<script type="application/json" id="${REPORT_DATA_ID}">${embedJson(input.snapshot)}</script>`,
      // Before the main bundle, so the bundle finds it; type text/plain: never parsed at startup.
      ...(input.profiler ? [`<script type="text/plain" id="${REPORT_PROFILER_ID}">${escapeClosingTag(stripSourceMap(input.profiler), "script")}</script>`] : []),
      `<script>\n${escapeClosingTag(stripSourceMap(input.bundle), "script")}\n</script>`,
    ],
  });
}

/**
 * JSON safe inside a <script> element: "<" becomes \u003c (so no "</script>" or "<!--" can end or
 * confuse the element) and the two line separators JavaScript once disallowed are escaped too.
 * JSON.parse reads the result back unchanged.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The bundle's sourceMappingURL points at a file next to it; a report must name no outside file. */
function stripSourceMap(code: string): string {
  return code.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n");
}

/** "</script" inside inline code would end the element early; "<\/script" means the same in JS strings. */
function escapeClosingTag(text: string, tag: "script" | "style"): string {
  return text.replace(new RegExp(`</(${tag})`, "gi"), "<\\/$1");
}
