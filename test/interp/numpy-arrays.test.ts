import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";

test("numpy 1-D arrays: timm regnet's width arithmetic gives numpy's widths and stages", () => {
  // Values as real numpy 2 prints them (its float rounding included).
  const r = runPython(`
import numpy as np
def generate_regnet(width_slope, width_initial, width_mult, depth, q=8):
    widths_cont = np.arange(depth) * width_slope + width_initial
    width_exps = np.round(np.log(widths_cont / width_initial) / np.log(width_mult))
    widths = width_initial * np.power(width_mult, width_exps)
    widths = np.round(np.divide(widths, q)) * q
    return widths.astype(int).tolist(), int(width_exps.max() + 1)
widths, max_stage = generate_regnet(36.44, 24, 2.49, 13)
stage_widths, stage_depths = np.unique(widths, return_counts=True)
dpr = [x.tolist() for x in np.split(np.linspace(0, 0.3, sum(stage_depths)), np.cumsum(stage_depths[:-1]))]
out = (stage_widths.tolist(), stage_depths.tolist(), len(stage_depths), int(stage_widths[-1]), max_stage)
`);
  assert.equal(r.get("widths"), "[24, 56, 152, 152, 152, 152, 368, 368, 368, 368, 368, 368, 368]");
  assert.equal(r.get("out"), "([24, 56, 152, 368], [1, 1, 4, 7], 4, 368, 4)");
  assert.equal(r.get("dpr"), "[[0.0], [0.024999999999999998], [0.049999999999999996, 0.075, 0.09999999999999999, 0.12499999999999999], [0.15, 0.175, 0.19999999999999998, 0.22499999999999998, 0.24999999999999997, 0.27499999999999997, 0.3]]");
  assert.deepEqual(r.diagnostics, []);
});

test("numpy arrays do elementwise arithmetic with scalars, arrays and lists; ints stay ints, / makes floats", () => {
  const r = runPython(`
import numpy as np
a = np.arange(4)
b = np.array([1.0, 2.0, 4.0, 8.0])
out = ((a + 1).tolist(), (2 * a).tolist(), (a - [1, 1, 1, 1]).tolist(), (10 - a).tolist(), (a / 2).tolist(),
       (1 / b).tolist(), (a // 2).tolist(), (a ** 2).tolist(), (2 ** a).tolist(), (a * b).tolist(), (a % 3).tolist())
funcs = (np.add(a, 1).tolist(), np.subtract(5, a).tolist(), np.multiply([1, 2], 3).tolist(), np.sqrt(np.array([4, 9])).tolist(),
         np.exp(np.array([0])).tolist(), np.floor(b / 3).tolist(), np.ceil(b / 3).tolist(), np.clip(a, 1, 2).tolist())
`);
  assert.equal(r.get("out"), "([1, 2, 3, 4], [0, 2, 4, 6], [-1, 0, 1, 2], [10, 9, 8, 7], [0.0, 0.5, 1.0, 1.5], [1.0, 0.5, 0.25, 0.125], [0, 0, 1, 1], [0, 1, 4, 9], [1, 2, 4, 8], [0.0, 2.0, 8.0, 24.0], [0, 1, 2, 0])");
  assert.equal(r.get("funcs"), "([1, 2, 3, 4], [5, 4, 3, 2], [3, 6], [2.0, 3.0], [1.0], [0.0, 0.0, 1.0, 2.0], [1.0, 1.0, 2.0, 3.0], [1, 1, 2, 2])");
  assert.deepEqual(r.diagnostics, []);
});

test("numpy arrays go where lists go: len, sum, list, iteration, indexing, slicing, reductions", () => {
  const r = runPython(`
import numpy as np
x = np.linspace(0.0, 1.0, 5)
n = np.arange(1, 5)
out = (len(x), sum(n), list(np.arange(3)), [int(v) for v in n], x[-1], x[1:3].tolist(), n[::2].tolist(),
       n.sum(), n.max(), n.min(), n.mean(), n.argmax(), np.prod(n), np.sum(x), np.max(n), np.mean(n), np.cumsum(n).tolist())
rounded = (np.round(np.array([0.5, 1.5, 2.5, 2.675]), 2).tolist(), np.around(np.array([0.5, 1.5])).tolist(), n.astype(float).tolist(), x.astype("int32").tolist())
parts = ([p.tolist() for p in np.array_split(np.arange(5), 2)], np.unique([3, 1, 3, 2]).tolist())
`);
  assert.equal(r.get("out"), "(5, 10, [0, 1, 2], [1, 2, 3, 4], 1.0, [0.25, 0.5], [1, 3], 10, 4, 1, 2.5, 3, 24, 2.5, 4, 2.5, [1, 3, 6, 10])");
  assert.equal(r.get("rounded"), "([0.5, 1.5, 2.5, 2.68], [0.0, 2.0], [1.0, 2.0, 3.0, 4.0], [0, 0, 0, 0, 1])");
  assert.equal(r.get("parts"), "([[0, 1, 2], [3, 4]], [1, 2, 3])");
  assert.deepEqual(r.diagnostics, []);
});

test("numpy arrays print as numpy does, and mismatched lengths raise numpy's broadcast error", () => {
  const r = runPython(`
import numpy as np
texts = (np.arange(3).__repr__(), np.cumsum([3, 4, 6, 3]).__repr__(), np.linspace(0, 1, 3).__repr__(), np.arange(1, 2, 0.25).__repr__())
bad = np.arange(3) + np.arange(4)
`);
  assert.equal(r.get("texts"), "('array([0, 1, 2])', 'array([ 3,  7, 13, 16])', 'array([0. , 0.5, 1. ])', 'array([1.  , 1.25, 1.5 , 1.75])')");
  assert.deepEqual(r.diagnostics.map((d) => d.message), ["Operands could not be broadcast together with shapes (3,) (4,) (line 4). The statement was skipped."]);
});

test("repr() and unary minus reach a native class's own __repr__ and __neg__ (numpy arrays, enum members)", () => {
  const r = runPython(`
import numpy as np
from enum import Enum
class C(Enum):
    A = 1
out = (repr(np.arange(3)), list(-np.arange(3)), repr(C.A), str(C.A))
`);
  assert.equal(r.get("out"), "('array([0, 1, 2])', [0, -1, -2], '<C.A: 1>', 'C.A')");
});
