import { test } from "node:test";
import assert from "node:assert/strict";
import {
  allBackendsFailedMessage,
  comparisonSummary,
  progressFraction,
  progressMessage,
  profiledMessage,
  webviewBackendOrder,
} from "../../extension/model/profile-plan";
import { ProfileStore, profileFileStem, type TextFiles } from "../../extension/model/profile-store";
import { compareProfiles } from "../../src/profile/export";
import { serializeResult } from "../../src/profile/serialize";
import { sampleResult } from "../profile/result-fixture";

test("the backend order maps to webview backends: cuda means the GPU through webgl, repeats and unknowns dropped", () => {
  // package.json's default order.
  assert.deepEqual(webviewBackendOrder(["webgpu", "cuda", "wasm", "cpu"]), {
    backends: ["webgpu", "webgl", "wasm", "cpu"],
    notes: ["The cuda backend runs only in `resgraph profile` (Node); in the editor the GPU is reached through webgl."],
  });
  assert.deepEqual(webviewBackendOrder(["cpu", "webgl", "cuda", "tpu", "cpu"]), {
    backends: ["cpu", "webgl"],
    notes: [
      "The cuda backend runs only in `resgraph profile` (Node); in the editor the GPU is reached through webgl.",
      "The profiling backend 'tpu' is unknown; expected one of webgpu, webgl, wasm, cpu.",
    ],
  });
  assert.deepEqual(webviewBackendOrder([]), { backends: [], notes: [] });
});

test("progress is one fraction over the phases, dominated by the timed runs", () => {
  assert.equal(progressFraction("load", 0, 1), 0);
  assert.equal(progressFraction("build", 5, 10), 0.125);
  assert.equal(progressFraction("run", 1, 2), 0.675);
  assert.equal(progressFraction("run", 2, 2), 0.95);
  assert.equal(progressFraction("peak", 1, 1), 1);
  assert.equal(progressFraction("warmup", 0, 0), 0.25);
  assert.equal(progressFraction("check", 9, 3), 0.25, "done beyond total is clamped");
  assert.equal(progressMessage("cpu", "run", 1, 2), "cpu: timing runs (1/2)");
});

test("the messages name the backend that ran and why the earlier ones did not", () => {
  const result = sampleResult({ backend: "cpu", device: "CPU, plain JavaScript in the webview (tfjs-backend-cpu)" });
  assert.equal(
    profiledMessage(result, []),
    "ResGraph: profiled ResNet on cpu (CPU, plain JavaScript in the webview (tfjs-backend-cpu)): 4.000 ms per run (median of 2).",
  );
  assert.equal(
    profiledMessage(result, [
      { backend: "webgpu", message: "WebGPU is not available in this webview (navigator.gpu is missing); use webgl." },
      { backend: "webgl", message: "The webgl backend did not start in this webview" },
    ]),
    "ResGraph: profiled ResNet on cpu (CPU, plain JavaScript in the webview (tfjs-backend-cpu)): 4.000 ms per run (median of 2). " +
      "Not used: webgpu: WebGPU is not available in this webview (navigator.gpu is missing); use webgl. webgl: The webgl backend did not start in this webview.",
  );
  assert.equal(
    allBackendsFailedMessage("ResNet", [
      { backend: "webgl", message: "The webgl backend did not start in this webview." },
      { backend: "wasm", message: "The wasm backend needs its .wasm files" },
    ]),
    "ResGraph: could not profile ResNet: no backend started. webgl: The webgl backend did not start in this webview. wasm: The wasm backend needs its .wasm files.",
  );
  assert.equal(
    allBackendsFailedMessage("ResNet", []),
    "ResGraph: no profiling backend is configured for ResNet; set resgraph.profiling.backendOrder (webgpu, webgl, wasm, cpu).",
  );
});

test("this run vs the last one: whole-model milliseconds before and after, with caveats", () => {
  const base = sampleResult();
  const next = sampleResult({ backend: "cpu", device: "CPU", wholeModel: { medianMs: 3, p10Ms: 2.9, p90Ms: 3.1 }, timestamp: "2025-01-02T00:00:00.000Z" });
  assert.equal(
    comparisonSummary(compareProfiles(base, next)),
    "This run vs the last one: whole model 4.000 ms (webgl, 2025-01-01T00:00:00.000Z) -> 3.000 ms (cpu) (-25.0%); 2 layers compared. " +
      "The runs used different backends (WebGL 2 on ANGLE (SwiftShader) (GPU timer queries) vs CPU).",
  );
  const fewer = sampleResult({ nodes: sampleResult().nodes.slice(0, 1), wholeModel: { medianMs: 5, p10Ms: 5, p90Ms: 5 } });
  assert.equal(
    comparisonSummary(compareProfiles(base, fewer)),
    "This run vs the last one: whole model 4.000 ms (webgl, 2025-01-01T00:00:00.000Z) -> 5.000 ms (webgl) (+25.0%); 1 layers compared, 1 only in one run.",
  );
});

function memoryFiles(): TextFiles & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return { files, read: async (name) => files.get(name), write: async (name, text) => void files.set(name, text) };
}

test("the store keeps the last two results per model and reads them back after a restart", async () => {
  const io = memoryFiles();
  const store = new ProfileStore(io);
  const first = sampleResult();
  const second = sampleResult({ wholeModel: { medianMs: 3, p10Ms: 3, p90Ms: 3 }, timestamp: "2025-01-02T00:00:00.000Z" });
  assert.equal(await store.latest(first.file, first.entry), null);
  assert.equal(await store.save(first), null);
  assert.deepEqual(await store.save(second), first);
  const stem = profileFileStem("examples/torch_resnet.py", "resnet18()");
  assert.match(stem, /^profile-[0-9a-f]{32}$/);
  assert.deepEqual([...io.files.keys()].sort(), [`${stem}.json`, `${stem}.previous.json`]);
  assert.equal(io.files.get(`${stem}.json`), serializeResult(second));
  // Another model has its own slot.
  assert.notEqual(profileFileStem("examples/torch_resnet.py", "resnet50()"), stem);
  const reloaded = new ProfileStore(io);
  assert.deepEqual(await reloaded.latest(first.file, first.entry), second);
  assert.deepEqual(await reloaded.previous(first.file, first.entry), first);
  assert.equal(await reloaded.latest(first.file, "resnet50()"), null);
});

test("a saved file from another version, of another model, or unreadable is ignored with a sentence", async () => {
  const io = memoryFiles();
  const stem = profileFileStem("a.py", "net()");
  io.files.set(`${stem}.json`, JSON.stringify({ ...sampleResult({ file: "a.py", entry: "net()" }), resultVersion: 99 }));
  io.files.set(`${stem}.previous.json`, serializeResult(sampleResult()));
  const warnings: string[] = [];
  const store = new ProfileStore(io, (m) => warnings.push(m));
  assert.equal(await store.latest("a.py", "net()"), null);
  assert.equal(await store.previous("a.py", "net()"), null);
  assert.deepEqual(warnings, [
    `The saved profile ${stem}.json has result version 99; this ResGraph reads version 1. Profile the model again.`,
    `The saved profile ${stem}.previous.json is of resnet18() in examples/torch_resnet.py, not net() in a.py; ignored.`,
  ]);
  const broken = new ProfileStore({ read: async () => Promise.reject(new Error("EACCES")), write: async () => {} }, (m) => warnings.push(m));
  assert.equal(await broken.latest("b.py", "m()"), null);
  assert.equal(warnings.at(-1), `The saved profile ${profileFileStem("b.py", "m()")}.previous.json could not be read: EACCES`);
});
