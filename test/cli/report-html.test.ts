// The report's page head: the exact Content-Security-Policy (no network at all, inline code and styles,
// blob: for PNG export and the layout worker) and the shell it shares with the VS Code panel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildReportHtml } from "../../src/cli/report-html";
import { initialViewState, type Snapshot } from "../../src/protocol";

const snapshot: Snapshot = { file: "m.py", documentVersion: 0, ir: null, summary: null, diagnostics: [], entries: [], entry: null, view: initialViewState() };

test("the report's head allows only inline code and styles, data: images and fonts, and blob: images and workers", () => {
  const html = buildReportHtml({ snapshot, bundle: "run();\n", css: "body { margin: 0; }" });
  const head = html.slice(0, html.indexOf("</head>"));
  assert.equal(head.match(/Content-Security-Policy/g)?.length, 1);
  assert.equal(
    head.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1],
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; worker-src blob:",
  );
  // The report's own head elements follow the shared shell's title.
  assert.ok(head.endsWith("<title>ResGraph: no model (m.py)</title>\n<style>\nbody { margin: 0; }\n</style>\n"), head);
  assert.ok(html.includes('</head>\n<body class="resgraph-standalone">\n<div id="root"></div>\n<script type="application/json"'));
  assert.ok(html.endsWith("<script>\nrun();\n\n</script>\n</body>\n</html>\n"), html.slice(-60));
});
