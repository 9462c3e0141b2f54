// Without --entry, what is not a model is never offered as one: a factory that returns something else
// (a functools.partial of a norm layer), and a loss module beside models that need arguments; the
// message names those models, factories included, and how to pass them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { runCli } from "../../src/cli/run";
import { fakeIO } from "../cli/cli-fixtures";

// CycleGAN's networks.py, shortened (/tmp/corpus9 repro 03).
const CYCLEGAN = `import functools
import torch.nn as nn


def get_norm_layer(norm_type='instance'):
    if norm_type == 'batch':
        return functools.partial(nn.BatchNorm2d, affine=True)
    return functools.partial(nn.InstanceNorm2d, affine=False)


class GANLoss(nn.Module):
    def __init__(self):
        super().__init__()
        self.loss = nn.MSELoss()

    def __call__(self, input, target):
        return self.loss(input, target)


class Gen(nn.Module):
    def __init__(self, input_nc, output_nc, norm_layer=nn.BatchNorm2d):
        super().__init__()
        self.model = nn.Sequential(nn.Conv2d(input_nc, 8, 3, padding=1), norm_layer(8), nn.Conv2d(8, output_nc, 1))

    def forward(self, x):
        return self.model(x)


def define_G(input_nc, output_nc, norm='batch'):
    return Gen(input_nc, output_nc, norm_layer=get_norm_layer(norm))
`;

const CYCLEGAN_MESSAGE =
  "No model can be built without arguments: the model class Gen and the model factory define_G were found, but each needs arguments " +
  "(Gen: input_nc, output_nc; define_G: input_nc, output_nc). " +
  'Pass the call that builds the model, with values for them, as the entry: --entry "define_G(...)" (or a "# resgraph: entry=define_G(...)" comment), ' +
  "with input_nc and output_nc written out.";

test("a norm-layer factory and a loss are not the model: the message names the model class and factory that need arguments", () => {
  const r = analyze({ file: "networks.py", text: CYCLEGAN });
  assert.equal(r.ir, null);
  assert.deepEqual(r.entries.map((e) => e.expr), ["get_norm_layer()"]);
  assert.deepEqual(r.notModelEntries, ["get_norm_layer()"]);
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.range.start.line + 1, d.range.start.character + 1, d.code, d.message]), [
    ["error", 29, 5, "no-model", CYCLEGAN_MESSAGE],
  ]);
  // What the message asks for builds the model.
  assert.equal(analyze({ file: "networks.py", text: CYCLEGAN, entry: "define_G(3, 3)", input: [[1, 3, 32, 32]] }).ir?.paramTotals.params, 267);
});

test("a loss stored as the criterion is a loss, whatever its name", () => {
  const text = CYCLEGAN.replace(/GANLoss/g, "Adversarial") + "\nclass Trainer:\n    def __init__(self):\n        self.criterionGAN = Adversarial()\n";
  const r = analyze({ file: "networks.py", text });
  assert.deepEqual(r.entries.map((e) => e.expr), ["get_norm_layer()"]);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ["no-model"]);
});

test("with no model needing arguments, the CLI never suggests a factory that gave no model", () => {
  const text = CYCLEGAN.slice(0, CYCLEGAN.indexOf("class Gen"));
  const run = fakeIO({ "networks.py": text }, (o) => analyze(o));
  assert.equal(runCli(["summary", "networks.py"], run.io), 1);
  const last = run.err().trimEnd().split("\n").slice(-4);
  assert.deepEqual(last, [
    "Candidate entries:",
    "  get_norm_layer()  get_norm_layer() (factory)",
    "  GANLoss()         GANLoss (class, builds no graph)",
    "None of them builds a graph; the messages above say why. Name another expression that builds the model with --entry.",
  ]);
});
