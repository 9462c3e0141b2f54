import { test } from "node:test";
import assert from "node:assert/strict";
import type { Diagnostic } from "../../src/ir/types";
import { errorCount, problemsByFile } from "../../extension/model/diagnostic-map";
import { decideInbox, primarySite } from "../../extension/model/webview-inbox";
import { FILE, node, site } from "./ir-samples";

const range = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });

test("diagnostics keep exact ranges, group per file, drop exact duplicates and map severities", () => {
  const diags: Diagnostic[] = [
    { severity: "error", message: "Conv2d expects 64 input channels, got 128.", file: FILE, range: range(40, 14, 27), code: "shape-mismatch" },
    { severity: "error", message: "Conv2d expects 64 input channels, got 128.", file: FILE, range: range(40, 14, 27), code: "shape-mismatch" },
    { severity: "warning", message: "Dropout is ignored.", file: "/ws/blocks.py", range: range(3, 0, 5), code: "unsupported" },
    { severity: "info", message: "No input shape given.", file: "", range: range(0, 0, 0), code: "input-inferred" },
  ];
  const byFile = problemsByFile(diags, FILE);
  assert.deepEqual([...byFile.keys()], [FILE, "/ws/blocks.py"]);
  assert.deepEqual(byFile.get(FILE), [
    { range: range(40, 14, 27), severity: 0, message: "Conv2d expects 64 input channels, got 128.", code: "shape-mismatch" },
    { range: range(0, 0, 0), severity: 2, message: "No input shape given.", code: "input-inferred" },
  ]);
  assert.equal(byFile.get("/ws/blocks.py")?.[0].severity, 1);
  assert.equal(errorCount(diags), 2);
  assert.equal(problemsByFile([], FILE).size, 0);
});

const conv = node("conv1", { created: site(5, 8, 30), applied: site(12, 4, 20) });
const foreign = node("evil", { created: site(1, 0, 5, [], "/etc/passwd") });
const applyOnly = node("relu", { op: "relu", applied: site(13, 4, 10) });
const model = { nodes: new Map([conv, foreign, applyOnly].map((n) => [n.id, n])), files: new Set([FILE]) };

test("webview messages are validated before the host acts", () => {
  assert.deepEqual(decideInbox({ type: "ready", id: 1, protocolVersion: 1 }, null), { kind: "ready", requestId: 1 });
  assert.equal(decideInbox({ type: "ready", id: 1, protocolVersion: 99 }, null).kind, "reject");
  assert.equal(decideInbox({ type: "revealSource", id: 2, nodeId: "conv1", extra: true }, model).kind, "reject");
  assert.equal(decideInbox({ type: "openFile", id: 2, path: "/etc/passwd" }, model).kind, "reject");
  assert.equal(decideInbox("revealSource", model).kind, "reject");
  assert.deepEqual(decideInbox({ type: "revealSource", id: 3, nodeId: "conv1" }, model), { kind: "reveal", nodeId: "conv1", site: conv.created, node: conv });
  assert.deepEqual(decideInbox({ type: "revealSource", id: 4, nodeId: "nope" }, model), {
    kind: "reject",
    reason: "Cannot reveal node nope: it is not in the current analysis.",
  });
  assert.deepEqual(decideInbox({ type: "revealSource", id: 5, nodeId: "evil" }, model), {
    kind: "reject",
    reason: "Node evil points into /etc/passwd, which was not analysed.",
  });
  assert.equal(decideInbox({ type: "revealSource", id: 6, nodeId: "conv1" }, null).kind, "reject");
  assert.deepEqual(decideInbox({ type: "selectNode", id: 7, nodeId: "relu" }, model), { kind: "select", nodeId: "relu", site: applyOnly.applied });
  // A group (stage/block) or a node pointing outside the analysed files: selected, nothing revealed.
  assert.deepEqual(decideInbox({ type: "selectNode", id: 8, nodeId: "stage:conv2_x" }, model), { kind: "select", nodeId: "stage:conv2_x", site: null });
  assert.deepEqual(decideInbox({ type: "selectNode", id: 9, nodeId: "evil" }, model), { kind: "select", nodeId: "evil", site: null });
  assert.deepEqual(decideInbox({ type: "selectNode", id: 10, nodeId: null }, model), { kind: "select", nodeId: null, site: null });
  assert.deepEqual(decideInbox({ type: "error", id: 11, message: "layout failed" }, model), { kind: "webviewError", message: "layout failed" });
  assert.equal(primarySite(applyOnly), applyOnly.applied);
  assert.equal(primarySite(node("x")), null);
});

test("export and profiling messages become host actions", () => {
  assert.deepEqual(decideInbox({ type: "saveFile", id: 12, fileName: "ResNet.svg", mimeType: "image/svg+xml", text: "<svg/>" }, model), {
    kind: "saveFile",
    fileName: "ResNet.svg",
    data: { text: "<svg/>" },
  });
  assert.equal(decideInbox({ type: "saveFile", id: 13, fileName: "../../x.svg", mimeType: "image/svg+xml", text: "" }, model).kind, "reject");
  assert.deepEqual(decideInbox({ type: "requestProfile", id: 14 }, model), { kind: "requestProfile", backend: null });
  assert.deepEqual(decideInbox({ type: "requestProfile", id: 15, backend: "webgl" }, model), { kind: "requestProfile", backend: "webgl" });
  assert.equal(decideInbox({ type: "requestProfile", id: 16, backend: "cuda-magic" }, model).kind, "reject");
});

test("a layer built in bundled zoo code reveals the user's call that built it", () => {
  const at = (file: string, line: number) => ({ file, range: { start: { line, character: 4 }, end: { line, character: 20 } } });
  const userCall = { kind: "call" as const, label: "resnet50", ...at("/w/train.py", 9) };
  const zooCall = { kind: "call" as const, label: "_resnet", ...at("<resgraph>/torchvision/models/resnet.py", 300) };
  const conv = {
    ...node("layer1/0/conv1"),
    created: { ...at("<resgraph>/torchvision/models/resnet.py", 60), stack: [userCall, zooCall] },
    applied: { ...at("<resgraph>/torchvision/models/resnet.py", 80), stack: [] },
  };
  const files = new Set(["/w/train.py"]);
  assert.deepEqual(primarySite(conv, files), { file: "/w/train.py", range: userCall.range, stack: [] });
  // Without the file list, or when the site is in an analysed file, the site itself.
  assert.equal(primarySite(conv), conv.created);
  assert.equal(primarySite(conv, new Set(["<resgraph>/torchvision/models/resnet.py"])), conv.created);
});
