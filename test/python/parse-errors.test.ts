import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parsePython } from "../../src/python/parse";
import type { Stmt } from "../../src/python/ast";
import { shape } from "./parse-helpers";

const fixture = (file: string) => readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8");

test("a half-typed last line keeps every earlier statement and reports the open bracket", () => {
  const code = "import torch\nx = 1\ny = conv(";
  const m = parsePython(code);
  assert.deepEqual(m.body.map((s) => s.kind), ["Import", "Assign", "Assign"]);
  const last = m.body[2];
  assert.deepEqual(last.kind === "Assign" && shape(last.value), { kind: "BadExpr", text: "conv(" });
  assert.deepEqual(m.problems, [{ message: "Syntax error: '(' was never closed.", from: 27, to: 28 }]);
});

test("an assignment with nothing after '=' is dropped, neighbours kept", () => {
  const m = parsePython("a = 1\nw = \nb = 2\n");
  assert.deepEqual(shape(m.body), [
    { kind: "Assign", targets: [{ kind: "Name", id: "a" }], value: { kind: "Constant", value: 1 } },
    { kind: "Assign", targets: [{ kind: "Name", id: "b" }], value: { kind: "Constant", value: 2 } },
  ]);
  assert.deepEqual(m.problems, [{ message: "Syntax error: the line ends unexpectedly after '='.", from: 8, to: 9 }]);
});

test("a stray closing bracket is reported as unexpected", () => {
  const m = parsePython("x = (1, 2))\ny = 3\n");
  assert.deepEqual(m.problems, [{ message: "Syntax error: unexpected ')'.", from: 10, to: 11 }]);
  assert.deepEqual(m.body.map((s) => s.kind), ["Assign", "Assign"]);
  const y = m.body[1];
  assert.equal(y.kind === "Assign" && y.targets[0].kind === "Name" && y.targets[0].id, "y");
});

test("broken code inside a method keeps the class and the other methods' statements", () => {
  const code = "class A:\n    def f(self):\n        return )\n    def g(self):\n        return 1\n";
  const m = parsePython(code);
  assert.equal(m.problems.length, 1);
  assert.equal(m.problems[0].message, "Syntax error: unexpected ')'.");
  const cls = m.body[0];
  assert.ok(cls.kind === "ClassDef");
  if (cls.kind === "ClassDef") assert.deepEqual(cls.body.map((s) => s.kind === "FunctionDef" && s.name), ["f", "g"]);
});

test("unfinished def at end of file still defines the function", () => {
  const m = parsePython("x = 1\ndef f(a, b");
  assert.deepEqual(m.body.map((s) => s.kind), ["Assign", "FunctionDef"]);
  const f = m.body[1] as Stmt & { kind: "FunctionDef" };
  assert.deepEqual(f.params.map((p) => p.name), ["a", "b"]);
  assert.deepEqual(f.body, []);
  assert.equal(m.problems[0].message, "Syntax error: '(' was never closed.");
});

test("unexpected end of file inside a block header", () => {
  const m = parsePython("if x");
  assert.deepEqual(m.problems.map((p) => p.message), ["Syntax error: unexpected end of file."]);
});

test("the example torchvision-style ResNet parses without problems", () => {
  const m = parsePython(readFileSync("examples/torch_resnet.py", "utf8"));
  assert.deepEqual(m.problems, []);
  assert.deepEqual(
    m.body.filter((s) => s.kind === "ClassDef" || s.kind === "FunctionDef").map((s) => (s as { name: string }).name),
    ["conv3x3", "conv1x1", "BasicBlock", "Bottleneck", "ResNet", "_resnet", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152"],
  );
});

test("every prefix of a model file parses without throwing, keeping complete statements", () => {
  const code = fixture("small_model.py");
  const full = parsePython(code);
  assert.deepEqual(full.problems, []);
  assert.equal(full.body.length, 6);
  for (let cut = 0; cut <= code.length; cut++) {
    const m = parsePython(code.slice(0, cut));
    // Top-level statements that end before the cut (and the next line) must all be there.
    const complete = full.body.filter((s) => code.indexOf("\n\n", s.to) + 1 <= cut && code.indexOf("\n\n", s.to) >= 0);
    assert.ok(m.body.length >= complete.length, `cut at ${cut}: ${m.body.length} < ${complete.length}`);
    for (const p of m.problems) assert.ok(p.from >= 0 && p.to <= cut && p.from <= p.to && p.message.length > 0);
  }
});

test("pathological input: random garbage never throws", () => {
  const alphabet = "()[]{}:=,.*+-'\"\\\n #fdefclassifelse 0x1.e5 lambda yield not and or";
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % alphabet.length);
  for (let i = 0; i < 300; i++) {
    let s = "";
    for (let k = 0; k < 80; k++) s += alphabet[rand()];
    const m = parsePython(s);
    assert.ok(Array.isArray(m.body) && Array.isArray(m.problems));
  }
});

test("deep nesting does not overflow the stack", () => {
  const cases = [
    "x = " + "(".repeat(5000) + "1" + ")".repeat(5000) + "\ny = 2\n",
    "x = " + "[".repeat(5000) + "1" + "]".repeat(5000) + "\ny = 2\n",
    "x = " + "-".repeat(5000) + "1\ny = 2\n",
    "x = " + "not ".repeat(5000) + "a\ny = 2\n",
    "x = " + "a + ".repeat(20000) + "1\ny = 2\n",
    "x = " + "2 ** ".repeat(3000) + "1\ny = 2\n",
    "x = f" + "(1)".repeat(3000) + "\ny = 2\n",
  ];
  for (const code of cases) {
    const m = parsePython(code);
    const last = m.body[m.body.length - 1];
    assert.ok(last && last.kind === "Assign", code.slice(0, 12));
    assert.equal(last.kind === "Assign" && last.targets[0].kind === "Name" && last.targets[0].id, "y");
  }
  // Never closed: the rest of the file is inside the bracket, as Python would see it too.
  const open = parsePython("x = " + "(".repeat(5000) + "\ny = 2\n");
  assert.deepEqual(shape(open.body), [{ kind: "Assign", targets: [{ kind: "Name", id: "x" }], value: { kind: "BadExpr", text: "(".repeat(5000) + "\ny = 2\n" } }]);
  assert.equal(open.problems[0].message, "Syntax error: '(' was never closed.");
  const deepUnary = parsePython("x = " + "-".repeat(3000) + "1\n");
  assert.ok(deepUnary.problems.some((p) => p.message === "Code is nested more than 1500 levels deep; the innermost part was not read."));
});

test("a long flat file converts every statement", () => {
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) lines.push(`y${i} = x[${i}]`);
  const m = parsePython(lines.join("\n"));
  assert.equal(m.body.length, 20000);
  assert.deepEqual(m.problems, []);
});
