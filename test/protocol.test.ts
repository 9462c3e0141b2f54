import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createIdSource,
  isRunProfile,
  MAX_PROFILE_BATCH,
  MAX_PROFILE_RUNS,
  initialViewState,
  isHostToWebview,
  isWebviewToHost,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_NODE_ID_LENGTH,
  PROTOCOL_VERSION,
  type HostToWebview,
  type Snapshot,
  type WebviewToHost,
} from "../src/protocol";
import { sampleResult } from "./profile/result-fixture";

test("isWebviewToHost accepts every well-formed webview message", () => {
  const valid: WebviewToHost[] = [
    { type: "ready", id: 1, protocolVersion: PROTOCOL_VERSION },
    { type: "revealSource", id: 2, nodeId: "layer1/0/conv1#0" },
    { type: "selectNode", id: 3, nodeId: "n7" },
    { type: "selectNode", id: 4, nodeId: null },
    { type: "error", id: 5, message: "Rendering failed." },
    { type: "error", id: 6, inReplyTo: 2, message: "" },
  ];
  for (const m of valid) assert.equal(isWebviewToHost(m), true, JSON.stringify(m));
});

test("isWebviewToHost rejects non-objects, unknown types and host-only messages", () => {
  const invalid: unknown[] = [
    null,
    undefined,
    42,
    "ready",
    [],
    { type: "ready" }, // no id, no version
    { type: "launchMissiles", id: 1 },
    { type: "snapshot", id: 1, snapshot: {} }, // host -> webview only
    { id: 1, protocolVersion: 1 }, // no type
  ];
  for (const m of invalid) assert.equal(isWebviewToHost(m), false, JSON.stringify(m));
});

test("isWebviewToHost checks the envelope: integer, non-negative ids", () => {
  assert.equal(isWebviewToHost({ type: "selectNode", id: "1", nodeId: null }), false);
  assert.equal(isWebviewToHost({ type: "selectNode", id: -1, nodeId: null }), false);
  assert.equal(isWebviewToHost({ type: "selectNode", id: 1.5, nodeId: null }), false);
  assert.equal(isWebviewToHost({ type: "selectNode", id: Number.NaN, nodeId: null }), false);
  assert.equal(isWebviewToHost({ type: "selectNode", id: 1, inReplyTo: "2", nodeId: null }), false);
  assert.equal(isWebviewToHost({ type: "selectNode", id: 1, inReplyTo: 2, nodeId: null }), true);
});

test("isWebviewToHost checks each message's fields", () => {
  assert.equal(isWebviewToHost({ type: "ready", id: 1, protocolVersion: "1" }), false);
  assert.equal(isWebviewToHost({ type: "revealSource", id: 1 }), false);
  assert.equal(isWebviewToHost({ type: "revealSource", id: 1, nodeId: null }), false);
  assert.equal(isWebviewToHost({ type: "revealSource", id: 1, nodeId: "" }), false);
  assert.equal(isWebviewToHost({ type: "revealSource", id: 1, nodeId: 7 }), false);
  assert.equal(isWebviewToHost({ type: "selectNode", id: 1 }), false);
  assert.equal(isWebviewToHost({ type: "error", id: 1, message: { text: "x" } }), false);
});

test("isWebviewToHost rejects unknown extra fields (a protocol mismatch)", () => {
  assert.equal(isWebviewToHost({ type: "selectNode", id: 1, nodeId: "a", extra: true }), false);
  assert.equal(isWebviewToHost({ type: "ready", id: 1, protocolVersion: 1, nodeId: "a" }), false);
});

test("isWebviewToHost bounds string lengths", () => {
  const longId = "n".repeat(MAX_NODE_ID_LENGTH + 1);
  assert.equal(isWebviewToHost({ type: "revealSource", id: 1, nodeId: longId }), false);
  assert.equal(isWebviewToHost({ type: "revealSource", id: 1, nodeId: longId.slice(1) }), true);
  const longMessage = "x".repeat(MAX_ERROR_MESSAGE_LENGTH + 1);
  assert.equal(isWebviewToHost({ type: "error", id: 1, message: longMessage }), false);
});

test("messages survive a JSON round trip unchanged (postMessage serialises them)", () => {
  const snapshot: Snapshot = {
    file: "examples/torch_resnet.py",
    documentVersion: 3,
    ir: null,
    summary: null,
    diagnostics: [],
    entries: [{ expr: "resnet50()", label: "resnet50" }],
    entry: "resnet50()",
    view: initialViewState(),
  };
  const reply: HostToWebview = { type: "snapshot", id: 1, inReplyTo: 1, snapshot };
  const copy: unknown = JSON.parse(JSON.stringify(reply));
  assert.deepEqual(copy, reply);
  assert.equal(isHostToWebview(copy), true);
});

test("isHostToWebview accepts host messages and rejects webview-only ones", () => {
  assert.equal(isHostToWebview({ type: "selectNode", id: 1, nodeId: "n1" }), true);
  assert.equal(isHostToWebview({ type: "error", id: 2, message: "Analysis failed." }), true);
  assert.equal(isHostToWebview({ type: "snapshot", id: 3 }), false);
  assert.equal(isHostToWebview({ type: "ready", id: 4, protocolVersion: 1 }), false);
  assert.equal(isHostToWebview({ type: "revealSource", id: 5, nodeId: "n1" }), false);
});

test("createIdSource hands out increasing ids per sender", () => {
  const a = createIdSource();
  const b = createIdSource(10);
  assert.deepEqual([a(), a(), b(), a(), b()], [1, 2, 10, 3, 11]);
});

test("isWebviewToHost accepts a saveFile with text or base64 content and a bare file name", () => {
  assert.equal(isWebviewToHost({ type: "saveFile", id: 7, fileName: "ResNet.svg", mimeType: "image/svg+xml", text: "<svg/>" }), true);
  assert.equal(isWebviewToHost({ type: "saveFile", id: 8, fileName: "ResNet.png", mimeType: "image/png", base64: "iVBORw0KGgo=" }), true);
  assert.equal(isWebviewToHost({ type: "saveFile", id: 9, fileName: "empty.svg", mimeType: "image/svg+xml", text: "" }), true);
  const roundTrip = JSON.parse(JSON.stringify({ type: "saveFile", id: 10, fileName: "a.png", mimeType: "image/png", base64: "AAAA" }));
  assert.equal(isWebviewToHost(roundTrip), true);
});

test("isWebviewToHost rejects a saveFile with a path, both or neither contents, or bad base64", () => {
  const ok = { type: "saveFile", id: 1, fileName: "m.svg", mimeType: "image/svg+xml", text: "<svg/>" };
  assert.equal(isWebviewToHost({ ...ok, fileName: "../m.svg" }), false);
  assert.equal(isWebviewToHost({ ...ok, fileName: "dir\\m.svg" }), false);
  assert.equal(isWebviewToHost({ ...ok, fileName: "" }), false);
  assert.equal(isWebviewToHost({ ...ok, fileName: ".." }), false);
  assert.equal(isWebviewToHost({ ...ok, fileName: "a\nb.svg" }), false);
  assert.equal(isWebviewToHost({ ...ok, fileName: "x".repeat(256) }), false);
  assert.equal(isWebviewToHost({ ...ok, mimeType: "svg" }), false);
  assert.equal(isWebviewToHost({ ...ok, base64: "AAAA" }), false);
  assert.equal(isWebviewToHost({ type: "saveFile", id: 1, fileName: "m.svg", mimeType: "image/svg+xml" }), false);
  assert.equal(isWebviewToHost({ type: "saveFile", id: 1, fileName: "m.png", mimeType: "image/png", base64: "not base64!" }), false);
  assert.equal(isWebviewToHost({ type: "saveFile", id: 1, fileName: "m.png", mimeType: "image/png", base64: "AAA" }), false);
  assert.equal(isWebviewToHost({ ...ok, text: 42 }), false);
  assert.equal(isWebviewToHost({ ...ok, path: "/etc/passwd" }), false);
  assert.equal(isHostToWebview({ ...ok }), false);
});

// ---- Profiling messages ------------------------------------------------------------------------

test("isWebviewToHost accepts the profiling messages a webview sends", () => {
  const valid: WebviewToHost[] = [
    { type: "profileProgress", id: 1, inReplyTo: 7, done: 0, total: 1, phase: "load" },
    { type: "profileProgress", id: 2, inReplyTo: 7, done: 20, total: 20, phase: "run" },
    { type: "profileResult", id: 3, inReplyTo: 7, result: sampleResult() },
    { type: "profileFailed", id: 4, inReplyTo: 7, code: "cancelled", message: "The profile was cancelled." },
    { type: "profileFailed", id: 5, code: "unavailable", message: "WebGPU is not available in this webview (navigator.gpu is missing); use webgl." },
    { type: "requestProfile", id: 6 },
    { type: "requestProfile", id: 7, backend: "webgpu" },
  ];
  for (const m of valid) assert.equal(isWebviewToHost(JSON.parse(JSON.stringify(m))), true, JSON.stringify(m).slice(0, 120));
});

test("isWebviewToHost rejects malformed profiling messages", () => {
  const invalid: unknown[] = [
    { type: "profileProgress", id: 1, done: 3, total: 2, phase: "run" }, // done beyond total
    { type: "profileProgress", id: 1, done: -1, total: 2, phase: "run" },
    { type: "profileProgress", id: 1, done: 1, total: 2, phase: "sleep" },
    { type: "profileProgress", id: 1, done: 1, total: 2, phase: "run", nodeId: "x" }, // extra field
    { type: "profileResult", id: 1 },
    { type: "profileResult", id: 1, result: { ...sampleResult(), resultVersion: 99 } },
    { type: "profileResult", id: 1, result: { ...sampleResult(), nodes: [{ id: "a" }] } },
    { type: "profileResult", id: 1, result: { ...sampleResult(), device: "x".repeat(1_001) } },
    { type: "profileFailed", id: 1, code: "oops", message: "m" },
    { type: "profileFailed", id: 1, code: "failed", message: "x".repeat(MAX_ERROR_MESSAGE_LENGTH + 1) },
    { type: "requestProfile", id: 1, backend: "cuda" },
    { type: "runProfile", id: 1, backend: "webgl", warmup: 1, runs: 2, batch: 1 }, // host -> webview only
    { type: "cancelProfile", id: 1 }, // host -> webview only
  ];
  for (const m of invalid) assert.equal(isWebviewToHost(m), false, JSON.stringify(m).slice(0, 160));
});

test("isRunProfile bounds backend, warmup, runs and batch", () => {
  const ok = { type: "runProfile", id: 1, backend: "webgl", warmup: 1, runs: 2, batch: 1 };
  assert.equal(isRunProfile(ok), true);
  assert.equal(isRunProfile({ ...ok, warmup: 0, runs: MAX_PROFILE_RUNS, batch: MAX_PROFILE_BATCH }), true);
  for (const backend of ["webgpu", "wasm", "cpu"]) assert.equal(isRunProfile({ ...ok, backend }), true, backend);
  const bad: Record<string, unknown>[] = [
    { backend: "cuda" },
    { warmup: -1 },
    { runs: 0 },
    { runs: MAX_PROFILE_RUNS + 1 },
    { batch: 0 },
    { batch: MAX_PROFILE_BATCH + 1 },
    { batch: 1.5 },
    { runs: "2" },
    { extra: true },
    { type: "cancelProfile" },
  ];
  for (const patch of bad) assert.equal(isRunProfile({ ...ok, ...patch }), false, JSON.stringify(patch));
});

test("isHostToWebview accepts runProfile, cancelProfile and profileResult from the host", () => {
  const messages: HostToWebview[] = [
    { type: "runProfile", id: 1, backend: "webgpu", warmup: 2, runs: 20, batch: 1 },
    { type: "cancelProfile", id: 2 },
    { type: "profileResult", id: 3, result: sampleResult() },
  ];
  for (const m of messages) assert.equal(isHostToWebview(JSON.parse(JSON.stringify(m))), true, m.type);
  assert.equal(isHostToWebview({ type: "runProfile", id: 4, backend: "webgl", warmup: 1, runs: 0, batch: 1 }), false);
  assert.equal(isHostToWebview({ type: "profileResult", id: 5, result: null }), false);
  assert.equal(isHostToWebview({ type: "profileProgress", id: 6, done: 0, total: 1, phase: "load" }), false);
});

test("a snapshot may carry the last profile result and survives a JSON round trip", () => {
  const snapshot: Snapshot = {
    file: "examples/torch_resnet.py",
    documentVersion: 1,
    ir: null,
    summary: null,
    diagnostics: [],
    entries: [],
    entry: "resnet18()",
    view: initialViewState(),
    profile: sampleResult(),
  };
  const msg: HostToWebview = { type: "snapshot", id: 1, snapshot };
  assert.deepEqual(JSON.parse(JSON.stringify(msg)), msg);
  assert.equal(isHostToWebview(JSON.parse(JSON.stringify(msg))), true);
});
