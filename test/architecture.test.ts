// Enforces ARCHITECTURE.md's import rules by scanning the sources (no build needed):
//   src/ never imports vscode, the DOM or a tfjs backend, nor extension/ or webview/;
//   extension/ and webview/ import src/, never each other; webview/ never imports vscode.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");

function sourceFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out; // a folder that does not exist yet has nothing to violate
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Drops comments so prose like "the document." never counts as code. */
export function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** Every module specifier a file imports: static, dynamic, re-export and require(). */
export function importSpecifiers(code: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;
  return [...stripComments(code).matchAll(re)].map((m) => m[1]);
}

const DOM_GLOBALS = /(?<![\w$.])(?:document|window|navigator|localStorage|sessionStorage)\s*\.|\bacquireVsCodeApi\b|\bHTMLElement\b/;

/** Top-level folder ("src", "extension", ...) a relative import from `file` lands in, or null for packages. */
function targetFolder(file: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  return relative(root, resolve(dirname(file), specifier)).split(sep)[0];
}

/** Violations of the rules for one file, as sentences naming the file and the import. */
export function violations(file: string, code: string): string[] {
  const rel = relative(root, file);
  const area = rel.split(sep)[0];
  const found: string[] = [];
  for (const spec of importSpecifiers(code)) {
    const target = targetFolder(file, spec);
    if (area === "src") {
      if (spec === "vscode") found.push(`${rel} imports vscode; src/ must stay editor-independent.`);
      if (spec.startsWith("@tensorflow/")) found.push(`${rel} imports ${spec}; src/ must not depend on tfjs.`);
      if (target === "extension" || target === "webview")
        found.push(`${rel} imports ${spec}; src/ must not depend on ${target}/.`);
    }
    if (area === "extension" && target === "webview") found.push(`${rel} imports ${spec}; extension/ must not import webview/.`);
    if (area === "webview" && target === "extension") found.push(`${rel} imports ${spec}; webview/ must not import extension/.`);
    if (area === "webview" && spec === "vscode") found.push(`${rel} imports vscode; the webview runs in a browser.`);
  }
  if (area === "src") {
    const stripped = stripComments(code);
    if (DOM_GLOBALS.test(stripped)) found.push(`${rel} uses a DOM global; src/ must run in plain Node.`);
    if (stripped.includes("@tensorflow/")) found.push(`${rel} mentions @tensorflow/; src/ must not depend on tfjs.`);
  }
  return found;
}

test("the checker itself flags each kind of violation (so a clean run means something)", () => {
  const at = (p: string) => join(root, p);
  assert.equal(violations(at("src/a.ts"), `import * as vscode from "vscode";`).length, 1);
  assert.equal(violations(at("src/a.ts"), `const v = require("vscode");`).length, 1);
  assert.equal(violations(at("src/a.ts"), `const el = document.createElement("div");`).length, 1);
  assert.equal(violations(at("src/a.ts"), `window.postMessage(1);`).length, 1);
  assert.equal(violations(at("src/x/a.ts"), `import { x } from "../../webview/main";`).length, 1);
  // "@tensorflow/" both as an import and in the text: two sentences, one violation each rule.
  assert.equal(violations(at("src/a.ts"), `import * as tf from "@tensorflow/tfjs-node";`).length, 2);
  assert.equal(violations(at("extension/a.ts"), `import { render } from "../webview/main";`).length, 1);
  assert.equal(violations(at("webview/a.ts"), `export { x } from "../extension/context";`).length, 1);
  assert.equal(violations(at("webview/a.ts"), `import("vscode")`).length, 1);
  // Allowed: comments, member access on other objects, src/ imports from both sides.
  assert.deepEqual(violations(at("src/a.ts"), `// see the document.\nthis.window.size = 3; /* window.x */`), []);
  assert.deepEqual(violations(at("extension/a.ts"), `import * as vscode from "vscode";\nimport { analyze } from "../src/analyze";`), []);
  assert.deepEqual(violations(at("webview/a.ts"), `import type { HostToWebview } from "../src/protocol";`), []);
});

test("src/, extension/ and webview/ follow the import rules", () => {
  const files = ["src", "extension", "webview"].flatMap((d) => sourceFiles(join(root, d)));
  assert.ok(files.length > 0, "no source files found; is the test running from the repository?");
  const problems = files.flatMap((f) => violations(f, readFileSync(f, "utf8")));
  assert.deepEqual(problems, []);
});
