// `resgraph report --profile RESULT.json`: the argument, the checks on the file (readable, a result
// of this version, about this graph), the result embedded in the page's snapshot, and the profiler
// bundle inlined as inert text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArgs } from "../../src/cli/args";
import { runCli, type CliIO } from "../../src/cli/run";
import { buildReportHtml, REPORT_DATA_ID, REPORT_PROFILER_ID } from "../../src/cli/report-html";
import { initialViewState, type Snapshot } from "../../src/protocol";
import { tinyResNet } from "../analysis/ir-fixtures";
import { sampleResult } from "../profile/result-fixture";

test("--profile belongs to report and needs a file", () => {
  assert.deepEqual(parseArgs(["report", "m.py", "--profile", "r.json", "-o", "o.html"]), {
    kind: "ok",
    command: { kind: "report", file: "m.py", output: "o.html", profile: "r.json" },
  });
  assert.deepEqual(parseArgs(["report", "m.py", "--profile=r.json", "-o", "o.html"]), {
    kind: "ok",
    command: { kind: "report", file: "m.py", output: "o.html", profile: "r.json" },
  });
  const onSummary = parseArgs(["summary", "m.py", "--profile", "r.json"]);
  assert.equal(onSummary.kind, "error");
  assert.match((onSummary as { message: string }).message, /^--profile belongs to `report`; to measure latency run `resgraph profile`\./);
  const empty = parseArgs(["report", "m.py", "-o", "o.html", "--profile"]);
  assert.deepEqual(empty, { kind: "error", message: "--profile needs a profile result JSON file, e.g. --profile resnet18.profile.json." });
});

function io(files: Record<string, string>): { io: CliIO; written: Map<string, string>; err: () => string } {
  const written = new Map<string, string>();
  let err = "";
  return {
    io: {
      stdout: () => undefined,
      stderr: (t) => void (err += t),
      readFile: (p) => {
        if (p === "model.py") return "class M: ...\n";
        if (p in files) return files[p];
        throw new Error("ENOENT: no such file");
      },
      analyze: () => ({ ir: tinyResNet(), diagnostics: [], entries: [] }),
      version: "0.0.0",
      writeFile: (p, t) => void written.set(p, t),
      webviewAssets: () => ({ bundle: "/*bundle*/", css: "/*css*/", profiler: "/*tfjs*/" }),
    },
    written,
    err: () => err,
  };
}

function embedded(html: string): Snapshot {
  const start = html.indexOf(`id="${REPORT_DATA_ID}">`) + `id="${REPORT_DATA_ID}">`.length;
  return JSON.parse(html.slice(start, html.indexOf("</script>", start))) as Snapshot;
}

/** The sample result renamed onto tinyResNet's node ids. */
function resultForTiny(ids = ["conv1", "layer1.0.conv1"]) {
  const r = sampleResult();
  r.nodes = r.nodes.map((n, i) => ({ ...n, id: ids[i] }));
  return r;
}

test("report --profile embeds the result in the snapshot and inlines the profiler", () => {
  const r = resultForTiny();
  const run = io({ "r.json": JSON.stringify(r) });
  assert.equal(runCli(["report", "model.py", "--profile", "r.json", "-o", "out.html"], run.io), 0);
  const html = run.written.get("out.html")!;
  assert.deepEqual(embedded(html).profile, r);
  assert.ok(html.includes(`<script type="text/plain" id="${REPORT_PROFILER_ID}">/*tfjs*/</script>`));
  assert.equal(run.err().includes("Warning"), false);
});

test("report --profile warns when some profiled layers are not in the graph", () => {
  const run = io({ "r.json": JSON.stringify(resultForTiny(["conv1", "gone"])) });
  assert.equal(runCli(["report", "model.py", "--profile", "r.json", "-o", "out.html"], run.io), 0);
  assert.match(run.err(), /^Warning: 1 of the 2 profiled layers in "r\.json" are not in this graph; the source changed since it was profiled\.\n/);
});

test("report --profile refuses a missing, foreign, old or malformed result and writes nothing", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{}, /^Cannot read the profile "r\.json" \(ENOENT: no such file\); check the path, or write one with `resgraph profile FILE --json > r\.json`\.\n$/],
    [{ "r.json": JSON.stringify(resultForTiny(["features.0", "features.1"])) }, /^The profile "r\.json" is of ResNet \(resnet18\(\)\) and none of its 2 layers are in the graph of /],
    [{ "r.json": JSON.stringify({ ...resultForTiny(), resultVersion: 0 }) }, /^The profile "r\.json" has result version 0; this ResGraph reads version 1\. Profile the model again\.\n$/],
    [{ "r.json": JSON.stringify({ ...resultForTiny(), batch: "one" }) }, /^The profile "r\.json" is not a ResGraph profile result: batch is not a positive integer\.\n$/],
  ];
  for (const [files, message] of cases) {
    const run = io(files);
    assert.equal(runCli(["report", "model.py", "--profile", "r.json", "-o", "out.html"], run.io), 2);
    assert.match(run.err(), message);
    assert.equal(run.written.size, 0);
  }
});

test("the inlined profiler cannot end its script element early and names no file", () => {
  const snapshot: Snapshot = { file: "m.py", documentVersion: 0, ir: null, summary: null, diagnostics: [], entries: [], entry: null, view: initialViewState() };
  const html = buildReportHtml({ snapshot, bundle: "main()", css: "", profiler: 'x("</script>");\n//# sourceMappingURL=webview-profiler.js.map\n' });
  assert.equal(html.match(/<\/script>/g)!.length, 3, "data, profiler and bundle elements end, nothing else");
  assert.ok(html.includes('x("<\\/script>");'));
  assert.ok(!html.includes("sourceMappingURL"));
  assert.ok(html.indexOf(REPORT_PROFILER_ID) < html.indexOf("main()"), "the profiler text comes before the bundle that looks for it");
  const without = buildReportHtml({ snapshot, bundle: "main()", css: "" });
  assert.ok(!without.includes(REPORT_PROFILER_ID));
});
