// types.SimpleNamespace: hyperparameters kept in one (Lightning tutorials) read back as given, so the
// layers sized from them build.

import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";
import { analyze } from "../../src/analyze";

test("SimpleNamespace keeps its keyword arguments as attributes, with setattr, vars(), repr and == as in Python", () => {
  const r = runPython(`
from types import SimpleNamespace
import types
ns = SimpleNamespace(a=1, b='x')
ns.c = [1]
setattr(ns, 'd', 2.5)
r1 = (ns.a, ns.b, getattr(ns, 'c'), ns.d, vars(ns), repr(ns), ns == SimpleNamespace(a=1, b='x', c=[1], d=2.5), ns == SimpleNamespace(a=1), hasattr(ns, 'zz'), isinstance(ns, types.SimpleNamespace))
r2 = repr(SimpleNamespace({'k': 3}, j=4))
class H(SimpleNamespace):
    pass
r3 = repr(H(x=1))
`);
  // Checked against CPython 3.11 (r1, r3) and the 3.13 documentation (r2: a mapping before the keywords).
  assert.equal(r.get("r1"), `(1, 'x', [1], 2.5, {'a': 1, 'b': 'x', 'c': [1], 'd': 2.5}, "namespace(a=1, b='x', c=[1], d=2.5)", True, False, False, True)`);
  assert.equal(r.get("r2"), `'namespace(k=3, j=4)'`);
  assert.equal(r.get("r3"), `'H(x=1)'`);
  assert.deepEqual(r.diagnostics, []);
});

test("a model sized from SimpleNamespace hyperparameters builds (Lightning UvA tutorial idiom)", () => {
  const text = `from types import SimpleNamespace
import torch.nn as nn

class Net(nn.Module):
    def __init__(self, num_classes=10, c_hidden=[16, 32]):
        super().__init__()
        self.hparams = SimpleNamespace(num_classes=num_classes, c_hidden=c_hidden, act_fn=nn.ReLU)
        self.body = nn.Sequential(
            nn.Conv2d(3, self.hparams.c_hidden[0], 3, padding=1), self.hparams.act_fn(),
            nn.Conv2d(self.hparams.c_hidden[0], self.hparams.c_hidden[1], 3, padding=1),
        )
        self.head = nn.Linear(self.hparams.c_hidden[-1], self.hparams.num_classes)

    def forward(self, x):
        return self.head(self.body(x).mean((2, 3)))
`;
  const res = analyze({ file: "net.py", text, entry: "Net()", input: [[1, 3, 32, 32]] });
  // 3*16*9+16 + 16*32*9+32 + 32*10+10
  assert.equal(res.ir?.paramTotals.params, 5418);
  assert.deepEqual(res.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
});
