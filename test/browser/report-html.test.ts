// The standalone report's HTML (pure string building, no browser) and the `report` CLI command.

import { test } from "node:test";
import assert from "node:assert/strict";
import { buildReportHtml, embedJson, REPORT_DATA_ID } from "../../src/cli/report-html";
import { parseArgs } from "../../src/cli/args";
import { runCli, type CliIO } from "../../src/cli/run";
import type { AnalyzerResult } from "../../src/cli/analyzer";
import { initialViewState, type Snapshot } from "../../src/protocol";
import { tinyResNet } from "../analysis/ir-fixtures";

function snapshot(file = "model.py"): Snapshot {
  return { file, documentVersion: 0, ir: null, summary: null, diagnostics: [], entries: [], entry: null, view: initialViewState() };
}

test("embedded JSON cannot end its script element and reads back unchanged", () => {
  const value = { s: "</script><script>alert(1)</script> <!-- \u2028 \u2029" };
  const text = embedJson(value);
  assert.ok(!text.includes("<"), text);
  assert.ok(!text.includes("\u2028") && !text.includes("\u2029"));
  assert.deepEqual(JSON.parse(text), value);
});

test("the page inlines bundle, CSS and data, names no outside resource, and escapes closing tags", () => {
  const html = buildReportHtml({
    snapshot: snapshot("evil</script>.py"),
    bundle: 'console.log("</script>");\n//# sourceMappingURL=webview.js.map\n',
    css: "body { color: red; } /* </style> */",
  });
  assert.equal(html.match(/<\/script>/g)!.length, 2, "exactly the two script elements end");
  assert.equal(html.match(/<\/style>/g)!.length, 1);
  assert.ok(html.includes(`<script type="application/json" id="${REPORT_DATA_ID}">`));
  assert.ok(html.includes('console.log("<\\/script>");'));
  assert.ok(!html.includes("sourceMappingURL"), "no reference to a file next to the bundle");
  assert.ok(!/\b(src|href)=/.test(html), "no src/href attribute at all");
  assert.ok(html.includes("default-src 'none'"), "a CSP forbids every network request");
  assert.ok(html.includes("<title>ResGraph: no model (evil&lt;/script&gt;.py)</title>"));
  const json = html.slice(html.indexOf(`id="${REPORT_DATA_ID}">`) + `id="${REPORT_DATA_ID}">`.length, html.indexOf("</script>"));
  assert.equal((JSON.parse(json) as Snapshot).file, "evil</script>.py");
});

test("`report` parses its arguments and needs -o", () => {
  assert.deepEqual(parseArgs(["report", "m.py", "--entry", "resnet50()", "--input", "1,3,224,224", "-o", "out.html"]), {
    kind: "ok",
    command: { kind: "report", file: "m.py", output: "out.html", entry: "resnet50()", input: [[1, 3, 224, 224]] },
  });
  assert.deepEqual(parseArgs(["report", "m.py", "--output=o.html"]), { kind: "ok", command: { kind: "report", file: "m.py", output: "o.html" } });
  const missing = parseArgs(["report", "m.py"]);
  assert.equal(missing.kind, "error");
  assert.match((missing as { message: string }).message, /needs the HTML file to write; add e\.g\. -o model\.html/);
  assert.equal(parseArgs(["summary", "m.py", "-o", "x.html"]).kind, "error");
  assert.equal(parseArgs(["report", "m.py", "--json", "-o", "x.html"]).kind, "error");
});

function io(result: AnalyzerResult, assets = true): { io: CliIO; written: Map<string, string>; err: () => string } {
  const written = new Map<string, string>();
  let err = "";
  const value: CliIO = {
    stdout: () => undefined,
    stderr: (t) => void (err += t),
    readFile: (p) => {
      if (p === "model.py") return "class M: ...\n";
      throw new Error("ENOENT");
    },
    analyze: () => result,
    version: "0.0.0",
    writeFile: (p, t) => void written.set(p, t),
  };
  if (assets) value.webviewAssets = () => ({ bundle: "/*bundle*/", css: "/*css*/" });
  return { io: value, written, err: () => err };
}

test("`resgraph report` writes one self-contained page with the IR and summary embedded", () => {
  const ir = tinyResNet();
  const run = io({ ir, diagnostics: [], entries: [] });
  assert.equal(runCli(["report", "model.py", "-o", "out.html"], run.io), 0);
  const html = run.written.get("out.html")!;
  assert.ok(html.includes("/*bundle*/") && html.includes("/*css*/"));
  const json = html.slice(html.indexOf(`id="${REPORT_DATA_ID}">`) + `id="${REPORT_DATA_ID}">`.length, html.indexOf("</script>"));
  const snap = JSON.parse(json) as Snapshot;
  assert.equal(snap.ir!.nodes.length, ir.nodes.length);
  assert.equal(snap.summary!.residualBlocks.length, 2);
  assert.equal(snap.file, "model.py");
  assert.match(run.err(), /^Wrote out\.html: /);
});

test("`resgraph report` without a built bundle says to build, and writes nothing", () => {
  const run = io({ ir: tinyResNet(), diagnostics: [], entries: [] }, false);
  assert.equal(runCli(["report", "model.py", "-o", "out.html"], run.io), 1);
  assert.equal(run.written.size, 0);
  assert.match(run.err(), /run `npm run build` first/);
});
