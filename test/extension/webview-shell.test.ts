import { test } from "node:test";
import assert from "node:assert/strict";
import { PROFILER_SRC_META, contentSecurityPolicy, makeNonce, renderWebviewHtml } from "../../extension/model/webview-html";
import { PROFILER_SRC_META as WEBVIEW_PROFILER_SRC_META } from "../../webview/profiler-api";
import { parsePanelState } from "../../extension/model/panel-state";

test("the panel's HTML is a shell under a strict CSP: nonce script, no inline code, no data", () => {
  const html = renderWebviewHtml({
    cspSource: "https://x.vscode-cdn.net",
    nonce: "abc123",
    scriptUri: "https://x.vscode-cdn.net/ext/dist/webview.js",
    styleUri: "https://x.vscode-cdn.net/ext/media/webview.css",
    title: "Graph: <net>.py",
  });
  assert.equal(
    contentSecurityPolicy("https://x.vscode-cdn.net", "abc123"),
    "default-src 'none'; script-src 'nonce-abc123'; style-src https://x.vscode-cdn.net; img-src https://x.vscode-cdn.net blob:; font-src https://x.vscode-cdn.net; worker-src blob:",
  );
  // The head carries exactly that policy: nothing else may load, the layout worker may start from blob:.
  assert.equal(
    html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1],
    "default-src 'none'; script-src 'nonce-abc123'; style-src https://x.vscode-cdn.net; img-src https://x.vscode-cdn.net blob:; font-src https://x.vscode-cdn.net; worker-src blob:",
  );
  assert.equal(html.split("</head>")[0].match(/Content-Security-Policy/g)?.length, 1);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, /<script nonce="abc123" src="https:\/\/x.vscode-cdn.net\/ext\/dist\/webview.js"><\/script>/);
  assert.match(html, /<title>Graph: &lt;net&gt;.py<\/title>/);
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|<style/);
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9]{32}$/);
  assert.notEqual(nonce, makeNonce());
  assert.equal(makeNonce(() => 0), "A".repeat(32));
});

test("the panel names the profiler bundle in a meta tag the page's loader reads; it adds no script of its own", () => {
  const html = renderWebviewHtml({
    cspSource: "https://x.vscode-cdn.net",
    nonce: "abc123",
    scriptUri: "https://x.vscode-cdn.net/ext/dist/webview.js",
    styleUri: "https://x.vscode-cdn.net/ext/media/webview.css",
    profilerUri: "https://x.vscode-cdn.net/ext/dist/webview-profiler.js?a=1&b=2",
    title: "Graph",
  });
  assert.equal(PROFILER_SRC_META, WEBVIEW_PROFILER_SRC_META);
  assert.match(html, /<meta name="resgraph-profiler-src" content="https:\/\/x.vscode-cdn.net\/ext\/dist\/webview-profiler.js\?a=1&amp;b=2">/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  // The policy is unchanged: the loader's script carries our nonce; no wasm, no eval.
  assert.match(html, /script-src 'nonce-abc123'; style-src/);
  assert.doesNotMatch(html, /wasm|unsafe/);
  assert.doesNotMatch(renderWebviewHtml({ cspSource: "c", nonce: "n", scriptUri: "s", styleUri: "t", title: "x" }), /resgraph-profiler-src/);
});

test("a restored panel keeps identity only, from our state or the graph view's own", () => {
  const toUri = (p: string) => `file://${p}`;
  assert.deepEqual(
    parsePanelState({ modelKey: "/ws/net.py::ResNet::resnet50()", expanded: ["stage:conv2_x", 3], selected: "conv1", heat: "macs", transform: { x: 1, y: 2, k: 0.5 } }, toUri),
    { documentUri: "file:///ws/net.py", entry: "resnet50()", selectedNodeId: "conv1", zoom: { x: 1, y: 2, k: 0.5 }, expandedGroups: ["stage:conv2_x"] },
  );
  assert.deepEqual(parsePanelState({ documentUri: "untitled:Untitled-1", entry: null }, toUri), {
    documentUri: "untitled:Untitled-1",
    entry: null,
    selectedNodeId: null,
    zoom: null,
    expandedGroups: [],
  });
  assert.equal(parsePanelState({ modelKey: "/ws/net.py::ResNet::" }, toUri)?.entry, null);
  assert.equal(parsePanelState({ modelKey: "no separators" }, toUri), null);
  assert.equal(parsePanelState({ transform: { x: 0, y: 0, k: 1 } }, toUri), null);
  assert.equal(parsePanelState(null, toUri), null);
  assert.equal(parsePanelState({ documentUri: "file:///a.py", zoom: { x: 0, y: 0, k: -1 } }, toUri)?.zoom, null);
});
