// Python's rich comparison: `a < b` is whatever `a.__lt__(b)` returns (or the right operand's reflected
// method), so numpy's `mask = labels == 0` is a bool array of the broadcast shape, and a user class's
// ordering methods are honoured.

import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";

test("numpy comparisons give bool arrays of the broadcast shape, with either operand first", () => {
  const r = runPython(`
import numpy as np
labels = np.zeros((4, 6), dtype=np.int64)
mask = labels == 0
shapes = (mask.shape, mask.dtype, (labels < 1).shape, (labels != 0).dtype, (labels >= np.zeros(6)).shape, (labels[:, :1] > np.zeros(6)).shape)
values = ((np.arange(5) > 2).sum(), (2 <= np.arange(5)).tolist(), (np.arange(3) != 1).tolist(), (np.arange(4) >= np.arange(4)[::-1]).tolist(),
          (np.arange(3) == np.array([0, 5, 2])).tolist(), mask.sum(), (np.arange(3) < 1.5)[0], repr(np.arange(3) < 1.5))
`);
  assert.equal(r.get("shapes"), "((4, 6), 'bool', (4, 6), 'bool', (4, 6), (4, 6))");
  assert.equal(r.get("values"), "(2, [False, False, True, True, True], [True, False, True], [False, False, True, True], [True, False, True], 24, True, 'array([ True,  True, False])')");
  assert.deepEqual(r.diagnostics, []);
});

test("a class's own comparison methods answer, reflected when the left operand has none, else a TypeError as in Python", () => {
  const r = runPython(`
class V:
    def __init__(self, x):
        self.x = x
    def __lt__(self, other):
        return self.x < other.x
    def __eq__(self, other):
        return isinstance(other, V) and self.x == other.x
answers = (V(1) < V(2), V(3) > V(2), V(1) == V(1), V(1) != V(2), V(1) == 1, 1 == V(1), 1 < 2 < 3, 3 > 2 > 2)
try:
    V(1) <= V(2)
    error = None
except TypeError as e:
    error = str(e)
`);
  assert.equal(r.get("answers"), "(True, True, True, True, False, False, True, False)");
  assert.equal(r.get("error"), "\"'<=' not supported between instances of 'V' and 'V'\"");
  assert.deepEqual(r.diagnostics, []);
});

test("sorted(), list.sort(), min() and max() order objects by their class's __lt__, with key= and reverse= too", () => {
  const r = runPython(`
class P:
    def __init__(self, x):
        self.x = x
    def __lt__(self, other):
        return self.x < other.x
xs = lambda ps: [p.x for p in ps]
ps = [P(3), P(1), P(2)]
items = [(1, "b"), (0, "z"), (1, "a")]
items.sort()
ordered = (xs(sorted(ps)), xs(sorted(ps, reverse=True)), min(ps).x, max(ps).x, max(P(2), P(5), P(1)).x, min(ps, key=lambda p: -p.x).x, items)
ps.sort()
ps = xs(ps)
try:
    sorted([object(), object()])
    error = None
except TypeError as e:
    error = str(e)
`);
  assert.equal(r.get("ordered"), "([1, 2, 3], [3, 2, 1], 1, 3, 5, 3, [(0, 'z'), (1, 'a'), (1, 'b')])");
  assert.equal(r.get("ps"), "[1, 2, 3]");
  assert.equal(r.get("error"), "\"'<' not supported between instances of 'object' and 'object'\"");
  assert.deepEqual(r.diagnostics, []);
});
