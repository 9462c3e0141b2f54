import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePython } from "../../src/python/parse";
import { exprOf, int, name, parseClean, stmts } from "./parse-helpers";

test("imports: dotted, aliased, relative, parenthesised, star", () => {
  assert.deepEqual(stmts("import a.b as c, d\nfrom . import x\nfrom ..pkg.mod import (a, b as c)\nfrom ... import y\nfrom m import *\n"), [
    { kind: "Import", names: [{ name: "a.b", asname: "c" }, { name: "d" }] },
    { kind: "ImportFrom", module: "", level: 1, names: [{ name: "x" }] },
    { kind: "ImportFrom", module: "pkg.mod", level: 2, names: [{ name: "a" }, { name: "b", asname: "c" }] },
    { kind: "ImportFrom", module: "", level: 3, names: [{ name: "y" }] },
    { kind: "ImportFrom", module: "m", level: 0, names: "*" },
  ]);
  const m = parseClean("import torch.nn as nn");
  const imp = m.body[0];
  assert.equal(imp.kind, "Import");
  if (imp.kind === "Import") assert.deepEqual(imp.names[0].span, { from: 7, to: 21 });
  assert.deepEqual([imp.from, imp.to], [0, 21]);
});

test("def: every parameter kind, annotations, defaults, return type, decorators, async", () => {
  const [f] = stmts("@dec(1, a=2)\n@a.b\nasync def f(a, b: int = 1, /, c=2, *args, d, e=3, **kw) -> int:\n    return a\n");
  assert.deepEqual(f, {
    kind: "FunctionDef",
    name: "f",
    params: [
      { name: "a", kind: "posonly" },
      { name: "b", kind: "posonly", annotation: name("int"), default: int(1) },
      { name: "c", kind: "normal", default: int(2) },
      { name: "args", kind: "vararg" },
      { name: "d", kind: "kwonly" },
      { name: "e", kind: "kwonly", default: int(3) },
      { name: "kw", kind: "kwarg" },
    ],
    body: [{ kind: "Return", value: name("a") }],
    decorators: [
      { kind: "Call", func: name("dec"), args: [{ kind: "pos", value: int(1) }, { kind: "kw", name: "a", value: int(2) }] },
      { kind: "Attribute", value: name("a"), attr: "b" },
    ],
    isAsync: true,
    isGenerator: false,
    returns: name("int"),
  });
});

test("def: bare * marker, trailing /, spans of name and params", () => {
  const m = parseClean("def g(self, x, *, k=1): pass\ndef h(a, /): pass\n");
  const g = m.body[0];
  assert.equal(g.kind, "FunctionDef");
  if (g.kind !== "FunctionDef") return;
  assert.deepEqual(g.params.map((p) => [p.name, p.kind]), [["self", "normal"], ["x", "normal"], ["k", "kwonly"]]);
  assert.deepEqual(g.nameSpan, { from: 4, to: 5 });
  assert.deepEqual(g.params[2].span, { from: 18, to: 21 });
  assert.deepEqual([g.from, g.to], [0, 28]);
  const h = m.body[1];
  if (h.kind === "FunctionDef") assert.deepEqual(h.params.map((p) => p.kind), ["posonly"]);
});

test("isGenerator counts yields in the function itself, not nested functions or lambdas", () => {
  const body = stmts("def a():\n    yield 1\ndef b():\n    def c():\n        yield\n    f = lambda: (yield)\n    return 1\ndef d():\n    x = yield from g()\n");
  assert.deepEqual(body.map((s) => s.kind === "FunctionDef" && s.isGenerator), [true, false, true]);
  const inner = body[1].kind === "FunctionDef" ? body[1].body[0] : null;
  assert.equal(inner?.kind === "FunctionDef" && inner.isGenerator, true);
  assert.deepEqual(body[2].kind === "FunctionDef" && body[2].body[0], {
    kind: "Assign",
    targets: [name("x")],
    value: { kind: "Yield", value: { kind: "Call", func: name("g"), args: [] }, isFrom: true },
  });
  assert.deepEqual(exprOf("def z():\n    yield\n".replace(/.*/s, "(yield a, b)")), {
    kind: "Yield",
    value: { kind: "Tuple", elts: [name("a"), name("b")] },
  });
});

test("lambda parameters", () => {
  assert.deepEqual(exprOf("lambda x, *a, y=1, **k: x"), {
    kind: "Lambda",
    params: [
      { name: "x", kind: "normal" },
      { name: "a", kind: "vararg" },
      { name: "y", kind: "kwonly", default: int(1) },
      { name: "k", kind: "kwarg" },
    ],
    body: name("x"),
  });
  assert.deepEqual(exprOf("lambda: 0"), { kind: "Lambda", params: [], body: int(0) });
});

test("class with bases, keywords and decorators", () => {
  assert.deepEqual(stmts("@register\nclass A(B, nn.Module, metaclass=M):\n    x: int = 1\n    y: int\n"), [
    {
      kind: "ClassDef",
      name: "A",
      bases: [
        { kind: "pos", value: name("B") },
        { kind: "pos", value: { kind: "Attribute", value: name("nn"), attr: "Module" } },
        { kind: "kw", name: "metaclass", value: name("M") },
      ],
      body: [
        { kind: "AnnAssign", target: name("x"), annotation: name("int"), value: int(1) },
        { kind: "AnnAssign", target: name("y"), annotation: name("int") },
      ],
      decorators: [name("register")],
    },
  ]);
  assert.deepEqual(stmts("class E: pass"), [{ kind: "ClassDef", name: "E", bases: [], body: [{ kind: "Pass" }], decorators: [] }]);
});

test("elif chains nest in orelse; spans start at each elif", () => {
  const code = "if a:\n    x = 1\nelif b:\n    pass\nelif c: pass\nelse:\n    y = 2\n";
  assert.deepEqual(stmts(code), [
    {
      kind: "If",
      test: name("a"),
      body: [{ kind: "Assign", targets: [name("x")], value: int(1) }],
      orelse: [
        {
          kind: "If",
          test: name("b"),
          body: [{ kind: "Pass" }],
          orelse: [
            {
              kind: "If",
              test: name("c"),
              body: [{ kind: "Pass" }],
              orelse: [{ kind: "Assign", targets: [name("y")], value: int(2) }],
            },
          ],
        },
      ],
    },
  ]);
  const top = parseClean(code).body[0];
  assert.deepEqual([top.from, top.to], [0, code.length - 1]);
  if (top.kind === "If") assert.deepEqual([top.orelse[0].from, top.orelse[0].to], [code.indexOf("elif b"), code.length - 1]);
});

test("for/while with else, break, continue, starred targets", () => {
  assert.deepEqual(stmts("for i, *j in range(3), b:\n    break\nelse:\n    continue\nwhile x: pass\nelse: pass\nasync def f():\n    async for q in z: pass\n"), [
    {
      kind: "For",
      target: { kind: "Tuple", elts: [name("i"), { kind: "Starred", value: name("j") }] },
      iter: { kind: "Tuple", elts: [{ kind: "Call", func: name("range"), args: [{ kind: "pos", value: int(3) }] }, name("b")] },
      body: [{ kind: "Break" }],
      orelse: [{ kind: "Continue" }],
    },
    { kind: "While", test: name("x"), body: [{ kind: "Pass" }], orelse: [{ kind: "Pass" }] },
    {
      kind: "FunctionDef", name: "f", params: [], decorators: [], isAsync: true, isGenerator: false,
      body: [{ kind: "For", target: name("q"), iter: name("z"), body: [{ kind: "Pass" }], orelse: [] }],
    },
  ]);
});

test("try/except/else/finally with tuples and names", () => {
  assert.deepEqual(stmts("try:\n    pass\nexcept (A, B) as e:\n    x\nexcept C:\n    pass\nexcept:\n    raise\nelse:\n    pass\nfinally:\n    pass\n"), [
    {
      kind: "Try",
      body: [{ kind: "Pass" }],
      handlers: [
        { type: { kind: "Tuple", elts: [name("A"), name("B")] }, name: "e", body: [{ kind: "ExprStmt", value: name("x") }] },
        { type: name("C"), body: [{ kind: "Pass" }] },
        { body: [{ kind: "Raise" }] },
      ],
      orelse: [{ kind: "Pass" }],
      finalbody: [{ kind: "Pass" }],
    },
  ]);
});

test("with: several items, as targets, parenthesised items", () => {
  const expected = [
    {
      kind: "With",
      items: [{ context: name("a"), vars: name("b") }, { context: { kind: "Call", func: name("c"), args: [] } }],
      body: [{ kind: "Pass" }],
    },
  ];
  assert.deepEqual(stmts("with a as b, c(): pass\n"), expected);
  assert.deepEqual(stmts("with (a as b, c()):\n    pass\n"), expected);
});

test("raise from, assert, global, nonlocal, del, return, pass", () => {
  assert.deepEqual(stmts("raise X from Y\nassert a, 'm'\nassert b\nglobal a, b\nnonlocal c\ndel a[0], b\ndef f():\n    return\n"), [
    { kind: "Raise", exc: name("X"), cause: name("Y") },
    { kind: "Assert", test: name("a"), msg: { kind: "Str", value: "m" } },
    { kind: "Assert", test: name("b") },
    { kind: "Global", names: ["a", "b"] },
    { kind: "Nonlocal", names: ["c"] },
    { kind: "Delete", targets: [{ kind: "Subscript", value: name("a"), index: int(0) }, name("b")] },
    { kind: "FunctionDef", name: "f", params: [], body: [{ kind: "Return" }], decorators: [], isAsync: false, isGenerator: false },
  ]);
});

test("assignments: chained, tuple unpacking with starred, augmented (every operator), annotated, walrus", () => {
  assert.deepEqual(stmts("a = b = 1\nx, *y = t\n[p, q] = 1, 2\nself.w: int = 3\n"), [
    { kind: "Assign", targets: [name("a"), name("b")], value: int(1) },
    { kind: "Assign", targets: [{ kind: "Tuple", elts: [name("x"), { kind: "Starred", value: name("y") }] }], value: name("t") },
    { kind: "Assign", targets: [{ kind: "List", elts: [name("p"), name("q")] }], value: { kind: "Tuple", elts: [int(1), int(2)] } },
    { kind: "AnnAssign", target: { kind: "Attribute", value: name("self"), attr: "w" }, annotation: name("int"), value: int(3) },
  ]);
  const ops = ["+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^"];
  const aug = stmts(ops.map((op) => `x ${op}= 2`).join("\n"));
  assert.deepEqual(aug.map((s) => s.kind === "AugAssign" && s.op), ops);
  assert.deepEqual(aug[0], { kind: "AugAssign", target: name("x"), op: "+", value: int(2) });
  assert.deepEqual(exprOf("(y := f(x))"), {
    kind: "NamedExpr",
    target: name("y"),
    value: { kind: "Call", func: name("f"), args: [{ kind: "pos", value: name("x") }] },
  });
  assert.deepEqual(stmts("if (n := len(a)) > 3: pass")[0].kind, "If");
});

test("semicolons, comments, backslash continuation", () => {
  const m = parseClean("x = 1; y = 2  # two\n# only a comment\nz = 1 + \\\n    2\n");
  assert.deepEqual(shape2(m.body), [
    { kind: "Assign", targets: [name("x")], value: int(1) },
    { kind: "Assign", targets: [name("y")], value: int(2) },
    { kind: "Assign", targets: [name("z")], value: { kind: "BinOp", op: "+", left: int(1), right: int(2) } },
  ]);
  assert.deepEqual(m.body.map((s) => [s.from, s.to]), [[0, 5], [7, 12], [37, 52]]);
});

function shape2<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === "from" || k === "to" ? undefined : x)));
}

test("calls with positional, keyword, *args and **kwargs; generator argument", () => {
  assert.deepEqual(exprOf("f(a, *b, c=1, **d)"), {
    kind: "Call",
    func: name("f"),
    args: [
      { kind: "pos", value: name("a") },
      { kind: "star", value: name("b") },
      { kind: "kw", name: "c", value: int(1) },
      { kind: "dstar", value: name("d") },
    ],
  });
  assert.deepEqual(exprOf("sum(x for x in y)"), {
    kind: "Call",
    func: name("sum"),
    args: [{ kind: "pos", value: { kind: "Comprehension", form: "generator", elt: name("x"), generators: [{ target: name("x"), iter: name("y"), ifs: [] }] } }],
  });
  assert.deepEqual(exprOf("print('hi', end='')"), {
    kind: "Call",
    func: name("print"),
    args: [{ kind: "pos", value: { kind: "Str", value: "hi" } }, { kind: "kw", name: "end", value: { kind: "Str", value: "" } }],
  });
});

test("a call knows how many positional arguments it has, unless one is starred", () => {
  const fixed = (code: string) => ((parseClean(code).body[0] as { value: { fixedArgs?: number } }).value).fixedArgs;
  assert.equal(fixed("f()"), 0);
  assert.equal(fixed("f(a, b, c=1, **d)"), 2);
  assert.equal(fixed("obj.m(a)"), 1);
  assert.equal(fixed("f(a, *b)"), undefined);
});

test("subscripts and slices", () => {
  const none = { kind: "Constant", value: null };
  assert.deepEqual(exprOf("x[:, 1:2, ::2]"), {
    kind: "Subscript",
    value: name("x"),
    index: {
      kind: "Tuple",
      elts: [{ kind: "Slice" }, { kind: "Slice", lower: int(1), upper: int(2) }, { kind: "Slice", step: int(2) }],
    },
  });
  assert.deepEqual(exprOf("x[..., None]"), {
    kind: "Subscript",
    value: name("x"),
    index: { kind: "Tuple", elts: [{ kind: "Constant", value: "..." }, none] },
  });
  assert.deepEqual(exprOf("x[-1]"), { kind: "Subscript", value: name("x"), index: { kind: "UnaryOp", op: "-", operand: int(1) } });
  assert.deepEqual(exprOf("x[1,]"), { kind: "Subscript", value: name("x"), index: { kind: "Tuple", elts: [int(1)] } });
  assert.deepEqual(exprOf("x[a:]"), { kind: "Subscript", value: name("x"), index: { kind: "Slice", lower: name("a") } });
  const m = parseClean("x[1:2]");
  const s = m.body[0].kind === "ExprStmt" ? m.body[0].value : null;
  assert.deepEqual(s?.kind === "Subscript" && [s.index.from, s.index.to], [2, 5]);
});

test("binary, unary and boolean operators with Python precedence", () => {
  assert.deepEqual(exprOf("-x + ~y ** 2 * z"), {
    kind: "BinOp",
    op: "+",
    left: { kind: "UnaryOp", op: "-", operand: name("x") },
    right: {
      kind: "BinOp",
      op: "*",
      left: { kind: "UnaryOp", op: "~", operand: { kind: "BinOp", op: "**", left: name("y"), right: int(2) } },
      right: name("z"),
    },
  });
  const ops = ["+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^"];
  for (const op of ops) assert.deepEqual(exprOf(`a ${op} b`), { kind: "BinOp", op, left: name("a"), right: name("b") });
  assert.deepEqual(exprOf("not a and b and c or d"), {
    kind: "BoolOp",
    op: "or",
    values: [{ kind: "BoolOp", op: "and", values: [{ kind: "UnaryOp", op: "not", operand: name("a") }, name("b"), name("c")] }, name("d")],
  });
  assert.deepEqual(exprOf("+a"), { kind: "UnaryOp", op: "+", operand: name("a") });
});

test("not binds tighter than and/or (lezer nests it the other way)", () => {
  const not = (operand: unknown) => ({ kind: "UnaryOp", op: "not", operand });
  assert.deepEqual(exprOf("x and not a or b"), {
    kind: "BoolOp",
    op: "or",
    values: [{ kind: "BoolOp", op: "and", values: [name("x"), not(name("a"))] }, name("b")],
  });
  assert.deepEqual(exprOf("not not a or not b and c"), {
    kind: "BoolOp",
    op: "or",
    values: [not(not(name("a"))), { kind: "BoolOp", op: "and", values: [not(name("b")), name("c")] }],
  });
  assert.deepEqual(exprOf("not a == b"), not({ kind: "Compare", left: name("a"), ops: ["=="], comparators: [name("b")] }));
  assert.deepEqual(exprOf("not (a or b)"), not({ kind: "BoolOp", op: "or", values: [name("a"), name("b")] }));
  const m = parseClean("x and not a or b");
  const e = m.body[0].kind === "ExprStmt" ? m.body[0].value : null;
  assert.deepEqual(e?.kind === "BoolOp" && e.values.map((v) => [v.from, v.to]), [[0, 11], [15, 16]]);
});

test("chained comparisons flatten; parenthesised ones do not", () => {
  assert.deepEqual(exprOf("a < b <= c is not d not in e in f is g != h == i > j >= k"), {
    kind: "Compare",
    left: name("a"),
    ops: ["<", "<=", "is not", "not in", "in", "is", "!=", "==", ">", ">="],
    comparators: ["b", "c", "d", "e", "f", "g", "h", "i", "j", "k"].map(name),
  });
  assert.deepEqual(exprOf("(a < b) < c"), {
    kind: "Compare",
    left: { kind: "Compare", left: name("a"), ops: ["<"], comparators: [name("b")] },
    ops: ["<"],
    comparators: [name("c")],
  });
});

test("conditional expressions, await, parentheses", () => {
  assert.deepEqual(exprOf("a if b else c"), { kind: "IfExp", test: name("b"), body: name("a"), orelse: name("c") });
  assert.deepEqual(exprOf("((a))"), name("a"));
  assert.deepEqual(stmts("async def f():\n    await z\n")[0].kind === "FunctionDef" && (stmts("async def f():\n    await z\n")[0] as { body: unknown[] }).body[0], {
    kind: "ExprStmt",
    value: { kind: "Await", value: name("z") },
  });
});

test("collection literals with starred elements and dict spreads", () => {
  assert.deepEqual(exprOf("[*a, 1]"), { kind: "List", elts: [{ kind: "Starred", value: name("a") }, int(1)] });
  assert.deepEqual(exprOf("(*a, 1)"), { kind: "Tuple", elts: [{ kind: "Starred", value: name("a") }, int(1)] });
  assert.deepEqual(exprOf("(1,)"), { kind: "Tuple", elts: [int(1)] });
  assert.deepEqual(exprOf("()"), { kind: "Tuple", elts: [] });
  assert.deepEqual(exprOf("[]"), { kind: "List", elts: [] });
  assert.deepEqual(exprOf("{1, *b}"), { kind: "Set", elts: [int(1), { kind: "Starred", value: name("b") }] });
  assert.deepEqual(exprOf("{**a, 'b': 1}"), { kind: "Dict", entries: [{ spread: name("a") }, { key: { kind: "Str", value: "b" }, value: int(1) }] });
  assert.deepEqual(exprOf("{}"), { kind: "Dict", entries: [] });
});

test("comprehensions with several for and if clauses", () => {
  assert.deepEqual(exprOf("[x for x in y if x if z for w in x]"), {
    kind: "Comprehension",
    form: "list",
    elt: name("x"),
    generators: [
      { target: name("x"), iter: name("y"), ifs: [name("x"), name("z")] },
      { target: name("w"), iter: name("x"), ifs: [] },
    ],
  });
  assert.deepEqual(exprOf("{k: v for k, v in d.items()}"), {
    kind: "DictComp",
    key: name("k"),
    value: name("v"),
    generators: [
      {
        target: { kind: "Tuple", elts: [name("k"), name("v")] },
        iter: { kind: "Call", func: { kind: "Attribute", value: name("d"), attr: "items" }, args: [] },
        ifs: [],
      },
    ],
  });
  assert.deepEqual(exprOf("{x for x in y}"), { kind: "Comprehension", form: "set", elt: name("x"), generators: [{ target: name("x"), iter: name("y"), ifs: [] }] });
  assert.deepEqual(exprOf("(x * 2 for x in y if x > 1)"), {
    kind: "Comprehension",
    form: "generator",
    elt: { kind: "BinOp", op: "*", left: name("x"), right: int(2) },
    generators: [{ target: name("x"), iter: name("y"), ifs: [{ kind: "Compare", left: name("x"), ops: [">"], comparators: [int(1)] }] }],
  });
});

test("attribute spans and Python 2 print statement", () => {
  const m = parseClean("self.conv1(x)");
  const call = m.body[0].kind === "ExprStmt" ? m.body[0].value : null;
  assert.ok(call?.kind === "Call" && call.func.kind === "Attribute");
  if (call?.kind === "Call" && call.func.kind === "Attribute") {
    assert.deepEqual(call.func.attrSpan, { from: 5, to: 10 });
    assert.deepEqual([call.func.from, call.func.to, call.from, call.to], [0, 10, 0, 13]);
  }
  const p = parsePython('print "x"\n');
  assert.equal(p.problems.length, 1);
  assert.match(p.problems[0].message, /print is a function/);
});

test("match statements are reported and skipped", () => {
  const m = parsePython("match x:\n    case 1:\n        pass\ny = 1\n");
  assert.deepEqual(m.body.map((s) => s.kind), ["Assign"]);
  assert.deepEqual(m.problems, [{ message: "'match' statements are not supported; this one was skipped.", from: 0, to: 5 }]);
});
