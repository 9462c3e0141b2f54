import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createIdSource,
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
