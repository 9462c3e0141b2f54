// The page shell shared by the VS Code panel and the report: the policy's fixed directives, the
// shell's elements in order, and escaping of what the pages pass in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, graphPageHtml, pageContentSecurityPolicy } from "../../src/view/page-html";

test("every page's policy denies by default and allows blob: images and workers besides its own sources", () => {
  assert.equal(
    pageContentSecurityPolicy({ script: "'nonce-n'", style: "s.example", img: "i.example", font: "f.example" }),
    "default-src 'none'; script-src 'nonce-n'; style-src s.example; img-src i.example blob:; font-src f.example; worker-src blob:",
  );
});

test("the shell puts the page's own elements after the title and after the root, escaping title, class and policy", () => {
  const html = graphPageHtml({
    sources: { script: "'nonce-n'", style: 'a"&b', img: "i", font: "f" },
    title: "<net> & 'x'",
    head: ["<link rel=stylesheet>"],
    bodyClass: 'c"',
    body: ["<script></script>"],
  });
  assert.deepEqual(html.split("\n"), [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-n'; style-src a&quot;&amp;b; img-src i blob:; font-src f; worker-src blob:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>&lt;net&gt; &amp; &#39;x&#39;</title>",
    "<link rel=stylesheet>",
    "</head>",
    '<body class="c&quot;">',
    '<div id="root"></div>',
    "<script></script>",
    "</body>",
    "</html>",
    "",
  ]);
  assert.match(graphPageHtml({ sources: { script: "s", style: "s", img: "i", font: "f" }, title: "t", head: [], body: [] }), /<\/head>\n<body>\n/);
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});
