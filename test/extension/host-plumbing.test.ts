import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { KeyedDebouncer, type Timers } from "../../extension/model/debounce";
import { PendingRequests } from "../../extension/model/pending-requests";
import { parseInputShape, readSettings, formatInputShape, DEFAULT_BACKEND_ORDER } from "../../extension/model/settings";
import { isInside, makeWorkspaceReader, normalise } from "../../extension/model/workspace-reader";
import { defines, guessFramework } from "../../extension/model/entry-choice";
import { runAnalysis } from "../../extension/model/analysis-job";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");

/** Manual timers: `tick(ms)` fires everything due. */
function fakeTimers(): Timers & { tick(ms: number): void; live(): number } {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    set: (fn, ms) => (due.set(next, { at: now + ms, fn }), next++),
    clear: (h) => void due.delete(h as number),
    tick(ms) {
      now += ms;
      for (const [h, t] of [...due].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now && due.delete(h)) t.fn();
      }
    },
    live: () => due.size,
  };
}

test("edits are debounced per document: only the last one runs, after the quiet period", () => {
  const timers = fakeTimers();
  const d = new KeyedDebouncer<string>(() => 300, timers);
  const ran: string[] = [];
  const seen = (): string[] => [...ran];
  d.schedule("a", () => ran.push("a1"));
  timers.tick(200);
  d.schedule("a", () => ran.push("a2"));
  d.schedule("b", () => ran.push("b1"));
  timers.tick(299);
  assert.deepEqual(seen(), []);
  timers.tick(1);
  assert.deepEqual(seen(), ["a2", "b1"]);
  d.schedule("a", () => ran.push("a3"));
  d.dispose();
  timers.tick(1000);
  assert.deepEqual(seen(), ["a2", "b1"]);
  assert.equal(timers.live(), 0);
});

test("pending requests settle once: reply, timeout or dispose", async () => {
  const timers = fakeTimers();
  const p = new PendingRequests<string>("analysis worker", timers);
  const a = p.add(1, 1000);
  const b = p.add(2, 1000);
  const c = p.add(3, 50);
  assert.equal(p.resolve(1, "done"), true);
  assert.equal(p.resolve(1, "again"), false);
  assert.equal(await a, "done");
  timers.tick(50);
  await assert.rejects(c, { message: "The analysis worker did not answer request 3 within 50 ms." });
  p.dispose();
  await assert.rejects(b, { message: "The analysis worker was closed." });
  await assert.rejects(p.add(4, 10), { message: "The analysis worker is closed." });
  assert.equal(p.size, 0);
  assert.equal(timers.live(), 0);
});

test("settings are parsed defensively", () => {
  assert.deepEqual(parseInputShape("1,3,224,224"), [[1, 3, 224, 224]]);
  assert.deepEqual(parseInputShape(" [1, 3, 32, 32]; 1x10 "), [[1, 3, 32, 32], [1, 10]]);
  assert.equal(parseInputShape("  "), null);
  assert.deepEqual(parseInputShape("1,3,-2"), { error: "The input shape '1,3,-2' must list positive whole numbers, e.g. 1,3,224,224." });
  assert.equal(formatInputShape([[1, 3, 224, 224], [1, 10]]), "1,3,224,224; 1,10");
  const warnings: string[] = [];
  const values: Record<string, unknown> = { "inputShape.pytorch": "1,3,64,64", "inputShape.keras": "oops", heatMetric: "latency", "profiling.repetitions": 0, "profiling.warmup": -1, followCursor: false };
  const s = readSettings((k) => values[k], (m) => warnings.push(m));
  assert.deepEqual(DEFAULT_BACKEND_ORDER, ["webgpu", "webgl", "wasm", "cpu"]);
  assert.deepEqual(s, {
    inputShape: { pytorch: [[1, 3, 64, 64]], keras: null },
    defaultEntry: null,
    backendOrder: DEFAULT_BACKEND_ORDER,
    repetitions: 20,
    warmup: 2,
    heatMetric: "latency",
    followCursor: false,
    codeLens: true,
    debounceMs: 300,
  });
  const profiling = readSettings((k) => ({ "profiling.backendOrder": ["cpu"], "profiling.repetitions": 2, "profiling.warmup": 1 })[k]);
  assert.deepEqual([profiling.backendOrder, profiling.repetitions, profiling.warmup], [["cpu"], 2, 1]);
  assert.deepEqual(warnings, ["Setting resgraph.inputShape.keras: The input shape 'oops' must list positive whole numbers, e.g. 1,3,224,224."]);
});

test("imports are served from unsaved text first, from disk next, never outside the workspace", () => {
  const disk: Record<string, string> = { "/ws/blocks.py": "disk", "/ws/pkg/__init__.py": "", "/etc/passwd": "secret" };
  const reader = makeWorkspaceReader({ root: "/ws", overlays: { "/ws/blocks.py": "unsaved" } }, (p) => disk[p]);
  assert.equal(reader.readFile("/ws/sub/../blocks.py"), "unsaved");
  assert.equal(reader.readFile("/ws/pkg/__init__.py"), "");
  assert.equal(reader.readFile("/ws/../etc/passwd"), undefined);
  assert.equal(reader.readFile("/ws/missing.py"), undefined);
  assert.deepEqual(reader.served(), ["/ws/blocks.py", "/ws/pkg/__init__.py"]);
  assert.equal(normalise("/a/./b/../c"), "/a/c");
  assert.equal(isInside("/ws/", "/ws"), true);
  assert.equal(isInside("/ws", "/wsx/a.py"), false);
});

test("framework guess and default-entry check read the text only", () => {
  assert.equal(guessFramework("import torch.nn as nn\n"), "pytorch");
  assert.equal(guessFramework("from tensorflow import keras\n"), "keras");
  assert.equal(guessFramework("x = 1\n"), null);
  assert.equal(defines("def resnet50(num_classes=10):\n", "resnet50()"), true);
  assert.equal(defines("class Net(nn.Module):\n", "Net()"), true);
  assert.equal(defines("model: Model = build()\n", "model"), true);
  assert.equal(defines("def resnet18():\n", "resnet50()"), false);
});

test("an analysis job reports the entry, totals and the imported files it read", () => {
  const file = join(ROOT, "examples", "torch_resnet.py");
  const r = runAnalysis({ file, text: readFileSync(file, "utf8"), version: 7, entry: "resnet50()", reader: { root: join(ROOT, "examples"), overlays: {} } });
  assert.deepEqual([r.version, r.entry, r.summary?.totals.params, r.summary?.totals.macs, r.summary?.totals.depth], [7, "resnet50()", 25_557_032, 4_089_184_256, 50]);
  assert.deepEqual(r.imports, []);
});

const bundle = join(ROOT, "dist", "extension.js");
test("the built extension bundle runs as the analysis worker without VS Code", { skip: existsSync(bundle) ? false : "dist/extension.js is not built (npm run build)" }, async () => {
  const source = [
    "const Module = require('module'); const load = Module._load;",
    "Module._load = function (r, ...rest) { return r === 'vscode' ? {} : load.call(this, r, ...rest); };",
    `require(${JSON.stringify(bundle)}).runAnalysisWorker();`,
  ].join("\n");
  const worker = new Worker(source, { eval: true });
  try {
    const file = join(ROOT, "examples", "torch_resnet.py");
    const reply = await new Promise<{ id: number; response?: { entry: string; summary: { totals: { params: number } } }; error?: string }>((ok, fail) => {
      worker.once("message", ok);
      worker.once("error", fail);
      worker.postMessage({ id: 9, request: { file, text: readFileSync(file, "utf8"), version: 1, entry: "resnet18()" } });
    });
    assert.equal(reply.error, undefined);
    assert.deepEqual([reply.id, reply.response?.entry, reply.response?.summary.totals.params], [9, "resnet18()", 11_689_512]);
  } finally {
    await worker.terminate();
  }
});
