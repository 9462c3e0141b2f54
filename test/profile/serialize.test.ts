// Saving and reading back profile results: round trip, version check, and the structural check the
// host runs on results a webview sends (each problem named in a sentence).
import { test } from "node:test";
import assert from "node:assert/strict";
import { isProfileResult, parseResult, profileResultProblem, serializeResult } from "../../src/profile";
import { sampleResult } from "./result-fixture";

test("serializeResult / parseResult round-trip a result unchanged", () => {
  const r = sampleResult();
  const text = serializeResult(r);
  assert.ok(text.endsWith("}\n"));
  assert.deepEqual(parseResult(text), { ok: true, result: r });
  assert.equal(isProfileResult(JSON.parse(text)), true);
});

test("parseResult refuses another result version, saying which and what to do", () => {
  const text = JSON.stringify({ ...sampleResult(), resultVersion: 2 });
  assert.deepEqual(parseResult(text, "The profile \"a.json\""), {
    ok: false,
    message: 'The profile "a.json" has result version 2; this ResGraph reads version 1. Profile the model again.',
  });
  const none = parseResult(JSON.stringify({ nodes: [] }));
  assert.deepEqual(none, { ok: false, message: "The profile result has result version null; this ResGraph reads version 1. Profile the model again." });
});

test("parseResult names non-JSON input", () => {
  const r = parseResult("{ not json", "The profile \"x.json\"");
  assert.equal(r.ok, false);
  assert.match((r as { message: string }).message, /^The profile "x\.json" is not JSON \(/);
});

test("profileResultProblem names the first malformed field", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ backend: 7 }, "backend is not a short string."],
    [{ layout: "NCHW" }, 'layout "NCHW" is unknown.'],
    [{ method: "stopwatch" }, 'method "stopwatch" is unknown.'],
    [{ batch: 0 }, "batch is not a positive integer."],
    [{ runs: 1.5 }, "runs is not a non-negative integer."],
    [{ input: [[1, -3]] }, "input is not a list of shapes."],
    [{ wholeModel: { medianMs: 1 } }, "wholeModel lacks medianMs/p10Ms/p90Ms."],
    [{ ratio: Number.NaN }, "layerSumMs or ratio is not a non-negative number."],
    [{ peakGflops: "fast" }, "peakGflops is neither a number nor null."],
    [{ nodes: [{ id: "a", op: "Conv2d", medianMs: -1, p10Ms: 0, p90Ms: 0, runs: 1, gflopsPerSec: null, macs: 0, percent: 0 }] }, "nodes[0] is malformed."],
    [{ skipped: [{ id: "a" }] }, "skipped[0] is malformed."],
    [{ blocks: [{ ...sampleResult().blocks[0], kind: "bottleneck" }] }, "blocks[0] is malformed."],
    [{ warnings: "none" }, "warnings is not a list."],
  ];
  for (const [patch, message] of cases) assert.equal(profileResultProblem({ ...sampleResult(), ...patch }), message, JSON.stringify(patch));
  assert.equal(profileResultProblem([]), "it is not an object.");
  assert.equal(profileResultProblem(sampleResult()), null);
});

test("a result with extra fields (resgraph profile --json adds backendChoice) is still accepted", () => {
  assert.equal(isProfileResult({ ...sampleResult(), backendChoice: { picked: "wasm" } }), true);
});

test("a result saved with the per-row fused lists of earlier versions loads, holding only the `fused` record", () => {
  const fused = [
    { id: "bn1", op: "BatchNorm2d", into: "conv1" },
    { id: "relu", op: "ReLU", into: "conv1" },
  ];
  const current = sampleResult({ fused, nodes: [sampleResult().nodes[0]] });
  const legacy = { ...current, nodes: [{ ...current.nodes[0], fused: ["bn1", "relu"] }] };
  assert.equal(isProfileResult(legacy), true);
  assert.deepEqual(parseResult(JSON.stringify(legacy)), { ok: true, result: current });
  assert.equal(profileResultProblem({ ...legacy, nodes: [{ ...legacy.nodes[0], fused: [7] }] }), "nodes[0] is malformed.");
});
