// eval(s) of a string holding one expression runs it in the caller's scope (yolov5's parse_model:
// `m = eval(m) if isinstance(m, str) else m`); any other string stays unknown with a warning.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { runPython } from "./run-python";

test("eval of a class name or an expression reads the caller's locals and globals", () => {
  const text = `import torch.nn as nn


class Conv(nn.Module):
    def __init__(self, c1, c2):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


class Model(nn.Module):
    def __init__(self, cfg=(("Conv", [3, 8]), ("nn.ReLU", []), (Conv, [8, "nc"]))):
        super().__init__()
        nc = 4
        layers = []
        for m, args in cfg:
            m = eval(m) if isinstance(m, str) else m
            given = []
            for a in args:
                given.append(eval(a) if isinstance(a, str) else a)
            layers.append(m(*given))
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)
`;
  const r = analyze({ file: "yolo.py", text, entry: "Model()", input: [[1, 3, 16, 16]] });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ir?.paramTotals.params, 516);
  assert.deepEqual(r.ir?.nodes.map((n) => [n.op, n.shape]), [
    ["Input", [1, 3, 16, 16]],
    ["Conv2d", [1, 8, 16, 16]],
    ["ReLU", [1, 8, 16, 16]],
    ["Conv2d", [1, 4, 16, 16]],
  ]);
});

test("a string that is not one expression stays unknown, with a warning at the eval call", () => {
  const r = runPython(`k = 3
a = eval("  [k] * 2")
b = eval("k = 1")
c = eval("k +")
`);
  assert.equal(r.get("a"), "[3, 3]");
  assert.equal(r.get("b"), "<unknown>");
  assert.equal(r.get("k"), "3");
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.code, d.range.start.line + 1, d.message]), [
    ["warning", "unsupported", 3, "eval() of 'k = 1' is not analysed: only a string holding one expression is (line 3). The statement was skipped."],
    ["warning", "unsupported", 4, "eval() of 'k +' is not analysed: only a string holding one expression is (line 4). The statement was skipped."],
  ]);
});
