// Named tuples as config code uses them: collections.namedtuple and typing.NamedTuple, with
// _replace, _fields, _asdict, _make, defaults (also set later through __new__.__defaults__) and the
// tuple behaviour underneath (indexing, unpacking, len, equality, isinstance(..., tuple)).

import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";
import { analyze } from "../../src/analyze";

test("collections.namedtuple: fields, _replace, _asdict, _make, defaults and tuple behaviour", () => {
  const r = runPython(`
import collections
BlockArgs = collections.namedtuple('BlockArgs', ['cin', 'cout', 'repeat'])
BlockArgs.__new__.__defaults__ = (None,) * len(BlockArgs._fields)
a = BlockArgs(cin=3, cout=16)
b = a._replace(cout=32, repeat=2)
P = collections.namedtuple('P', 'x, y z', defaults=[5, 6])
p = P(1)
cin, cout, rep = b
q = P._make([7, 8, 9])
r1 = (repr(a), repr(b), BlockArgs._fields, b._fields, len(a), b[1], b[-1], b[:2], cin, cout, rep)
r2 = (repr(p), p._asdict(), P._field_defaults, repr(q), q == (7, 8, 9), q == P(7, 8, 9), q != P(7, 8, 0), 8 in q)
r3 = (isinstance(p, tuple), isinstance(p, P), tuple(p), list(q) + [0], p + (0,), q.index(8), q.count(1), repr(p))
try:
    a.cin = 4
except AttributeError:
    r4 = 'read-only'
try:
    a._replace(width=4)
except ValueError as e:
    r5 = str(e)
`);
  assert.equal(r.get("r1"), "('BlockArgs(cin=3, cout=16, repeat=None)', 'BlockArgs(cin=3, cout=32, repeat=2)', ('cin', 'cout', 'repeat'), ('cin', 'cout', 'repeat'), 3, 32, 2, (3, 32), 3, 32, 2)");
  assert.equal(r.get("r2"), "('P(x=1, y=5, z=6)', {'x': 1, 'y': 5, 'z': 6}, {'y': 5, 'z': 6}, 'P(x=7, y=8, z=9)', True, True, True, True)");
  assert.equal(r.get("r3"), "(True, True, (1, 5, 6), [7, 8, 9, 0], (1, 5, 6, 0), 1, 0, 'P(x=1, y=5, z=6)')");
  assert.equal(r.get("r4"), "'read-only'");
  assert.equal(r.get("r5"), "\"Got unexpected field names: ['width']\"");
  assert.deepEqual(r.diagnostics, []);
});

test("typing.NamedTuple classes: annotated fields, defaults, own methods, the functional form", () => {
  const r = runPython(`
from typing import NamedTuple
class Stage(NamedTuple):
    depth: int
    width: int = 64
    name: str = 'stage'
    def doubled(self):
        return self._replace(width=self.width * 2)
s = Stage(3)
Pair = NamedTuple('Pair', [('a', int), ('b', int)])
r1 = (repr(s), repr(s.doubled()), Stage._fields, Stage._field_defaults, isinstance(s, tuple), repr(Pair(1, 2)), Pair(1, 2).b)
try:
    Stage()
except TypeError as e:
    r2 = str(e)
`);
  assert.equal(r.get("r1"), `("Stage(depth=3, width=64, name='stage')", "Stage(depth=3, width=128, name='stage')", ('depth', 'width', 'name'), {'width': 64, 'name': 'stage'}, True, 'Pair(a=1, b=2)', 2)`);
  assert.equal(r.get("r2"), "\"Stage() is missing the required argument 'depth'\"");
  assert.deepEqual(r.diagnostics, []);
});

test("a model configured by a namedtuple's _replace builds (lukemelas EfficientNet's BlockArgs)", () => {
  const text = `import collections
import torch.nn as nn

BlockArgs = collections.namedtuple('BlockArgs', ['cin', 'cout', 'repeat'])
BlockArgs.__new__.__defaults__ = (None,) * len(BlockArgs._fields)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        args = BlockArgs(cin=3, cout=16, repeat=2)
        args = args._replace(cout=32)
        self.blocks = nn.ModuleList()
        for _ in range(args.repeat):
            self.blocks.append(nn.Conv2d(args.cin, args.cout, 3, padding=1))
            args = args._replace(cin=args.cout)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return x
`;
  const r = analyze({ file: "model.py", text, entry: "Net()", input: [[1, 3, 32, 32]] });
  // Conv 3->32: 864 + 32; conv 32->32: 9,216 + 32.
  assert.equal(r.ir!.paramTotals.params, 10_144);
  assert.deepEqual(r.ir!.nodes.find((n) => n.id === r.ir!.outputs[0])!.shape, [1, 32, 32, 32]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
});

test("a named-tuple subclass's own __new__ decides the items, and a class's __new__ may return a kept instance", () => {
  const r = runPython(`
from collections import namedtuple

class StageSpec(namedtuple("StageSpec", "depth width stride")):
    def __new__(cls, depth, width, stride=2):
        return super().__new__(cls, depth, width * 2, stride)

class Point(namedtuple("Point", "x y")):
    def __init__(self, x, y):
        self.norm = abs(x) + abs(y)

class Once:
    made = None
    def __new__(cls, *args):
        if cls.made is None:
            cls.made = super().__new__(cls)
        return cls.made
    def __init__(self, n):
        self.n = n

s = StageSpec(3, 32)
stage = (s.depth, s.width, s.stride, tuple(s), repr(s), isinstance(s, StageSpec), s._replace(depth=4).width, StageSpec(1, 8, stride=1).stride)
p = Point(3, -4)
point = (tuple(p), p.norm)
first = Once(1)
kept = (Once(2) is first, first.n)
try:
    StageSpec(1)
except TypeError as e:
    missing = str(e)
`);
  assert.equal(r.get("stage"), "(3, 64, 2, (3, 64, 2), 'StageSpec(depth=3, width=64, stride=2)', True, 64, 1)");
  assert.equal(r.get("point"), "((3, -4), 7)");
  assert.equal(r.get("kept"), "(True, 2)");
  assert.equal(r.get("missing"), "\"StageSpec.__new__() is missing the required argument 'width'\"");
  assert.deepEqual(r.diagnostics, []);
});
