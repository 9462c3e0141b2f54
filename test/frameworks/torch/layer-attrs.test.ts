// Config attributes of stub layers (conv.in_channels...) are kept out of the instance dict until Python
// code needs them there (lazy-attrs.ts): reads, writes, deletes, vars(), __dict__, dir() and copies must
// see what they would see had the constructor set them with setattr.

import { test } from "node:test";
import assert from "node:assert/strict";
import { registerTorch } from "../../../src/frameworks/torch/index";
import { runPython } from "../../interp/run-python";

registerTorch();

const run = (body: string) =>
  runPython(`import copy\nimport torch\nimport torch.nn as nn\n${body}`);

test("a layer's config attributes read, and list in vars() in constructor order", () => {
  const r = run(`
c = nn.Conv2d(3, 8, 3, stride=2, bias=False)
k = c.kernel_size
has = (hasattr(c, 'padding'), hasattr(c, 'nope'))
keys = list(vars(c).keys())
dkeys = list(c.__dict__.keys())
names = [n for n in dir(c) if n in ('groups', 'weight', 'forward')]
`);
  assert.equal(r.get("k"), "(3, 3)");
  assert.equal(r.get("has"), "(True, False)");
  const expected = "['training', 'weight', 'bias', 'in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'padding_mode', 'transposed', 'output_padding']";
  assert.equal(r.get("keys"), expected);
  assert.equal(r.get("dkeys"), expected);
  assert.equal(r.get("names"), "['forward', 'groups', 'weight']");
});

test("writing a config attribute keeps its place; new attributes come after the config ones", () => {
  const r = run(`
c = nn.Linear(4, 2)
c.tag = 'x'
c.out_features = 3
keys = list(vars(c).keys())
vals = (c.out_features, c.in_features, c.tag)
`);
  assert.equal(r.get("keys"), "['training', 'weight', 'bias', 'in_features', 'out_features', 'tag']");
  assert.equal(r.get("vals"), "(3, 4, 'x')");
});

test("a deleted config attribute is gone, in the layer and not in its copies made before", () => {
  const r = run(`
c = nn.BatchNorm2d(4)
d = copy.copy(c)
e = copy.deepcopy(c)
del c.eps
gone = hasattr(c, 'eps')
kept = (d.momentum, e.momentum, hasattr(d, 'eps'))
keys = list(vars(d).keys())
`);
  assert.equal(r.get("gone"), "False");
  assert.equal(r.get("kept"), "(0.1, 0.1, True)");
  assert.equal(r.get("keys"), "['training', 'weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked', 'num_features', 'eps', 'momentum', 'affine', 'track_running_stats']");
});

test("a subclass that sets a config attribute's name before super().__init__() gets the constructor's value in place", () => {
  const r = run(`
class MyConv(nn.Conv2d):
    def __init__(self):
        self.stride = 5
        self.extra = 1
        super().__init__(3, 8, 3)
        self.after = 2
m = MyConv()
keys = list(vars(m).keys())
s = m.stride
`);
  assert.equal(r.get("s"), "(1, 1)");
  assert.equal(
    r.get("keys"),
    "['stride', 'extra', 'training', 'weight', 'bias', 'in_channels', 'out_channels', 'kernel_size', 'padding', 'dilation', 'groups', 'padding_mode', 'transposed', 'output_padding', 'after']",
  );
});

test("a subclass's own __getattr__ does not hide the config attributes", () => {
  const r = run(`
class Wrapped(nn.Linear):
    def __getattr__(self, name):
        return 'fallback'
m = Wrapped(4, 2)
vals = (m.in_features, m.other)
`);
  assert.equal(r.get("vals"), "(4, 'fallback')");
});
