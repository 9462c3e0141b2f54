// locals(), vars() and globals(): dict snapshots of the running code's names, as model code reads
// them (vit-pytorch's CvT: `kwargs = dict(locals())`, then groups the arguments by prefix).

import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";
import { analyze } from "../../src/analyze";

test("locals(), vars() and globals() give the names of the function, class body or module running", () => {
  const r = runPython(`
G = 1
def f(a, *, b=2, **kw):
    c = a + b
    d = locals()
    d.pop('a')
    return d
class K:
    x = 1
    ns = dict(vars())
r1 = f(1, e=3)
r2 = sorted(k for k in globals() if not k.startswith('__'))
r3 = K.ns
class O:
    def __init__(self):
        self.q = 1
r4 = (vars(O()), 'x' in vars(K))
try:
    vars(3)
except TypeError as e:
    r5 = str(e)
`);
  assert.equal(r.get("r1"), "{'b': 2, 'kw': {'e': 3}, 'c': 3}");
  assert.equal(r.get("r2"), "['G', 'K', 'f', 'r1']");
  assert.equal(r.get("r3"), "{'x': 1}");
  assert.equal(r.get("r4"), "({'q': 1}, True)");
  assert.equal(r.get("r5"), "'vars() argument must have __dict__ attribute'");
  assert.deepEqual(r.diagnostics, []);
});

test("a model that reads its constructor arguments through locals() builds (vit-pytorch CvT)", () => {
  const text = `import torch.nn as nn


class Net(nn.Module):
    def __init__(self, *, s1_dim=16, s2_dim=32, channels=3):
        super().__init__()
        kwargs = dict(locals())
        dim = channels
        layers = []
        for prefix in ('s1', 's2'):
            out = kwargs[f'{prefix}_dim']
            layers.append(nn.Conv2d(dim, out, 3, padding=1))
            dim = out
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)
`;
  const r = analyze({ file: "model.py", text, entry: "Net()", input: [[1, 3, 32, 32]] });
  // Conv 3->16: 432 + 16; conv 16->32: 4,608 + 32.
  assert.equal(r.ir!.paramTotals.params, 5_088);
  assert.deepEqual(r.ir!.nodes.find((n) => n.id === r.ir!.outputs[0])!.shape, [1, 32, 32, 32]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
});
