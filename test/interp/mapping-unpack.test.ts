// `f(**m)`, `{**m}` and `dict(m)` accept any mapping, not only a dict: as CPython's dict merge does,
// they read `m.keys()` and then `m[key]` (Lightning's AttributeDict, a collections.abc.Mapping
// subclass, any class with keys() and __getitem__), and a dict subclass's own items.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { runPython } from "./run-python";

test("a class with keys() and __getitem__ spreads into keywords, a dict display and dict()", () => {
  const r = runPython(`def f(**kw):
    return sorted(kw.items())

class K:
    def keys(self):
        return ["p", "q"]
    def __getitem__(self, k):
        return k + "!"

a = f(**K())
b = {"z": 0, **K()}
c = dict(K(), r=1)
`);
  assert.equal(r.get("a"), "[('p', 'p!'), ('q', 'q!')]");
  assert.equal(r.get("b"), "{'z': 0, 'p': 'p!', 'q': 'q!'}");
  assert.equal(r.get("c"), "{'p': 'p!', 'q': 'q!', 'r': 1}");
  assert.deepEqual(r.diagnostics, []);
});

test("a collections.abc.Mapping subclass gets keys(), items(), values(), get() and `in` from its three methods", () => {
  const r = runPython(`from collections.abc import Mapping

class M(Mapping):
    def __init__(self):
        self._d = {"x": 1, "y": 2}
    def __getitem__(self, k):
        return self._d[k] * 10
    def __iter__(self):
        return iter(self._d)
    def __len__(self):
        return len(self._d)

def f(x, y):
    return (x, y)

m = M()
a = f(**m)
b = (list(m.keys()), m.items(), m.values(), m.get("x"), m.get("w", -1), "y" in m, "w" in m)
`);
  assert.equal(r.get("a"), "(10, 20)");
  assert.equal(r.get("b"), "(['x', 'y'], [('x', 10), ('y', 20)], [10, 20], 10, -1, True, False)");
  assert.deepEqual(r.diagnostics, []);
});

test("keys that are not strings cannot be keywords, and an object without keys() is no mapping", () => {
  const r = runPython(`class K:
    def keys(self):
        return [1]
    def __getitem__(self, k):
        return k

def f(**kw):
    return kw

try:
    f(**K())
    a = "no error"
except TypeError as e:
    a = str(e)
try:
    f(**[("a", 1)])
    b = "no error"
except TypeError as e:
    b = str(e)
`);
  assert.equal(r.get("a"), "'keywords must be strings, not int'");
  assert.equal(r.get("b"), "'argument after ** must be a mapping, not list'");
});

test("a dict subclass holds items like a dict, spreads its items, and asks __missing__", () => {
  const r = runPython(`class AttrDict(dict):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
    def __getattr__(self, k):
        return self[k]

class Dflt(dict):
    def __missing__(self, k):
        return k * 2

def f(**kw):
    return sorted(kw.items())

cfg = AttrDict({"width": 8}, depth=2)
cfg["act"] = "relu"
a = (cfg.width, cfg["depth"], len(cfg), "act" in cfg, isinstance(cfg, dict), cfg.get("z", 5), list(cfg.keys()))
b = (f(**cfg), dict(cfg), {**cfg}, repr(cfg), [k for k in cfg])
c = Dflt()["ab"]
`);
  assert.equal(r.get("a"), "(8, 2, 3, True, True, 5, ['width', 'depth', 'act'])");
  assert.equal(
    r.get("b"),
    "([('act', 'relu'), ('depth', 2), ('width', 8)], {'width': 8, 'depth': 2, 'act': 'relu'}, {'width': 8, 'depth': 2, 'act': 'relu'}, \"{'width': 8, 'depth': 2, 'act': 'relu'}\", ['width', 'depth', 'act'])",
  );
  assert.equal(r.get("c"), "'abab'");
  assert.deepEqual(r.diagnostics, []);
});

test("Lightning's self.hparams spreads into a builder's keywords", () => {
  const text = `import lightning as L
import torch.nn as nn


def make(width, depth):
    return nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])


class Net(L.LightningModule):
    def __init__(self, width=8, depth=2):
        super().__init__()
        self.save_hyperparameters()
        self.body = make(**self.hparams)

    def forward(self, x):
        return self.body(x)
`;
  const r = analyze({ file: "net.py", text, entry: "Net()", input: [[1, 8]] });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ir?.paramTotals.params, 144);
});
