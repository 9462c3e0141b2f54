import { test } from "node:test";
import assert from "node:assert/strict";
import { exprOf, name, parseClean } from "./parse-helpers";
import { parseIncremental } from "../../src/python/incremental";

const num = (src: string) => exprOf(src);

test("numbers: ints, underscores, hex/octal/binary, floats, exponents, complex", () => {
  assert.deepEqual(num("1_000"), { kind: "Constant", value: 1000 });
  assert.deepEqual(num("0x1F"), { kind: "Constant", value: 31 });
  assert.deepEqual(num("0o17"), { kind: "Constant", value: 15 });
  assert.deepEqual(num("0b101"), { kind: "Constant", value: 5 });
  assert.deepEqual(num("1e-5"), { kind: "Constant", value: 0.00001, isFloat: true });
  assert.deepEqual(num("1.0"), { kind: "Constant", value: 1, isFloat: true });
  assert.deepEqual(num("3."), { kind: "Constant", value: 3, isFloat: true });
  assert.deepEqual(num(".5"), { kind: "Constant", value: 0.5, isFloat: true });
  assert.deepEqual(num("1.e3"), { kind: "Constant", value: 1000, isFloat: true });
  assert.deepEqual(num("2j"), { kind: "Constant", value: 2, isFloat: true, isComplex: true });
  assert.deepEqual(num("True"), { kind: "Constant", value: true });
  assert.deepEqual(num("False"), { kind: "Constant", value: false });
  assert.deepEqual(num("None"), { kind: "Constant", value: null });
  assert.deepEqual(num("..."), { kind: "Constant", value: "..." });
  assert.deepEqual(num("3. * 2"), { kind: "BinOp", op: "*", left: { kind: "Constant", value: 3, isFloat: true }, right: { kind: "Constant", value: 2 } });
  const m = parseClean("x = 3.\n");
  const s = m.body[0];
  assert.deepEqual(s.kind === "Assign" && [s.value.from, s.value.to], [4, 6]);
});

test("trailing-dot floats before a keyword, a sign or an edit: Python's reading, not member access", () => {
  // lezer alone reads `0. else` as the member `else` of 0 and loses the conditional's else branch.
  assert.deepEqual(num("a if p > 0. else b"), {
    kind: "IfExp",
    body: name("a"),
    test: { kind: "Compare", left: name("p"), ops: [">"], comparators: [{ kind: "Constant", value: 0, isFloat: true }] },
    orelse: name("b"),
  });
  assert.deepEqual(num("[x for x in y if x > 1. and x < 2.]"), num("[x for x in y if x > 1.0 and x < 2.0]"));
  assert.deepEqual(num("1.e-5"), { kind: "Constant", value: 0.00001, isFloat: true });
  assert.deepEqual(num("1_000.E+2"), { kind: "Constant", value: 100000, isFloat: true });
  assert.deepEqual(num("'v1. of 2.'"), { kind: "Str", value: "v1. of 2." });
  assert.deepEqual(num("x.attr1.y"), { kind: "Attribute", value: { kind: "Attribute", value: name("x"), attr: "attr1" }, attr: "y" });
  const m = parseClean("y = 1. if z else 2.\nw = 3.");
  const [a, b] = m.body;
  assert.deepEqual(a.kind === "Assign" && a.value.kind === "IfExp" && [a.value.body.from, a.value.body.to, a.value.orelse.to], [4, 6, 19]);
  assert.deepEqual(b.kind === "Assign" && [b.value.from, b.value.to], [24, 26]);
});

test("an edit that adds or removes a trailing dot changes the number's type", () => {
  const key = "trailing-dot-edit.py";
  const first = parseIncremental(key, "y = 2\nx = 1");
  const dotted = parseIncremental(key, "y = 2\nx = 1.");
  const undotted = parseIncremental(key, "y = 3\nx = 1");
  const value = (m: typeof first) => {
    const s = m.body[1];
    return s.kind === "Assign" ? s.value : undefined;
  };
  assert.deepEqual(value(first), { kind: "Constant", value: 1, from: 10, to: 11 });
  assert.deepEqual(value(dotted), { kind: "Constant", value: 1, isFloat: true, from: 10, to: 12 });
  assert.deepEqual(value(undotted), { kind: "Constant", value: 1, from: 10, to: 11 });
});

test("string literals: quotes, prefixes, raw, bytes, triple, escapes", () => {
  const str = (src: string) => exprOf(src);
  assert.deepEqual(str(`'a'`), { kind: "Str", value: "a" });
  assert.deepEqual(str(`"b"`), { kind: "Str", value: "b" });
  assert.deepEqual(str(`''`), { kind: "Str", value: "" });
  assert.deepEqual(str(`"""tri\nple"""`), { kind: "Str", value: "tri\nple" });
  assert.deepEqual(str(`'''x'y'''`), { kind: "Str", value: "x'y" });
  assert.deepEqual(str(`r"\\d\\n"`), { kind: "Str", value: "\\d\\n" });
  assert.deepEqual(str(`Rb"\\q"`), { kind: "Str", value: "\\q" });
  assert.deepEqual(str(`b"by\\x41"`), { kind: "Str", value: "byA" });
  assert.deepEqual(str(`u"x"`), { kind: "Str", value: "x" });
  assert.deepEqual(str(`"\\n\\t\\\\\\'\\x41\\u00e9\\101\\q"`), { kind: "Str", value: "\n\t\\'A\u00e9A\\q" });
  assert.deepEqual(str(`"\\N{DASH}"`), { kind: "Str", value: "\\N{DASH}" });
  assert.deepEqual(str(`"a\\\nb"`), { kind: "Str", value: "ab" });
  assert.deepEqual(str(`"é\\U0001F600"`), { kind: "Str", value: "é\u{1F600}" });
});

test("adjacent string literals are concatenated, spanning all parts", () => {
  assert.deepEqual(exprOf(`("conv" 'olution'\n  r"\\s")`), { kind: "Str", value: "convolution\\s" });
  const m = parseClean(`x = "a" "b"`);
  const s = m.body[0];
  assert.deepEqual(s.kind === "Assign" && [s.value.from, s.value.to], [4, 11]);
});

test("f-strings: fields, conversions, nested specs, self-documenting fields, doubled braces", () => {
  assert.deepEqual(exprOf(`f"{x!r:>{width}} and {y=} {{lit}} {z:.2f}"`), {
    kind: "FString",
    parts: [
      { expr: name("x"), conversion: "r", spec: { kind: "FString", parts: [">", { expr: name("width") }] } },
      " and ",
      { expr: name("y"), selfDoc: "y=" },
      " {lit} ",
      { expr: name("z"), spec: { kind: "FString", parts: [".2f"] } },
    ],
  });
  assert.deepEqual(exprOf(`f"{a + 1 = !s}"`), {
    kind: "FString",
    parts: [{ expr: { kind: "BinOp", op: "+", left: name("a"), right: { kind: "Constant", value: 1 } }, selfDoc: "a + 1 = ", conversion: "s" }],
  });
  assert.deepEqual(exprOf(`f"\\n{a, b}"`), { kind: "FString", parts: ["\n", { expr: { kind: "Tuple", elts: [name("a"), name("b")] } }] });
  assert.deepEqual(exprOf(`rf"\\d{x}"`), { kind: "FString", parts: ["\\d", { expr: name("x") }] });
  assert.deepEqual(exprOf(`f'{x:{w}.{p}f}'`), {
    kind: "FString",
    parts: [{ expr: name("x"), spec: { kind: "FString", parts: [{ expr: name("w") }, ".", { expr: name("p") }, "f"] } }],
  });
  assert.deepEqual(exprOf(`f"plain"`), { kind: "FString", parts: ["plain"] });
});

test("f-strings concatenate with plain strings, merging text", () => {
  assert.deepEqual(exprOf(`("a " f"{n} b" " c")`), { kind: "FString", parts: ["a ", { expr: name("n") }, " b c"] });
});
