// The HTML page that hosts the graph view, shared by the VS Code panel (extension/model/webview-html.ts)
// and the standalone report (src/cli/report-html.ts). The two differ only in where their scripts,
// styles, images and fonts come from and in the elements they add; the shell and the policy's fixed
// part are written once here. Pure string building.

/** The sources each page allows; the policy's fixed directives are added by `pageContentSecurityPolicy`. */
export interface PageSources {
  /** `'nonce-…'` (panel) or `'unsafe-inline'` (report). */
  script: string;
  style: string;
  /** Image sources besides `blob:`, which every page allows. */
  img: string;
  font: string;
}

/**
 * default-src 'none', then each page's own sources. Every page allows `blob:` images (Export PNG
 * rasterises the SVG through a blob URL) and `blob:` workers (the layout worker's code is a string
 * inside the webview bundle, started from a blob URL).
 */
export function pageContentSecurityPolicy(sources: PageSources): string {
  return [
    "default-src 'none'",
    `script-src ${sources.script}`,
    `style-src ${sources.style}`,
    `img-src ${sources.img} blob:`,
    `font-src ${sources.font}`,
    "worker-src blob:",
  ].join("; ");
}

export interface GraphPageInput {
  sources: PageSources;
  title: string;
  /** Elements after the title, already HTML: the stylesheet (a link or inline) and meta tags the page reads. */
  head: string[];
  bodyClass?: string;
  /** Elements after the root element the view draws into, already HTML: the scripts, in order. */
  body: string[];
}

export function graphPageHtml(input: GraphPageInput): string {
  // Only `&` and `"` can break out of a double-quoted attribute; the policy's quotes stay readable.
  const csp = pageContentSecurityPolicy(input.sources).replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    ...input.head,
    "</head>",
    input.bodyClass === undefined ? "<body>" : `<body class="${escapeHtml(input.bodyClass)}">`,
    '<div id="root"></div>',
    ...input.body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Escapes text for an HTML attribute or text node. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
