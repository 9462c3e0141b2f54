// Choosing the model without --entry: networks before losses, wholes before their parts, and the
// first candidate that builds a graph (the given input fits) over one that comes first but does not.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";

const GAN = `from tensorflow import keras
from tensorflow.keras import layers

d_in = layers.Input(shape=(28, 28, 1))
d_model = keras.Model(d_in, layers.Dense(1)(layers.Flatten()(d_in)), name="discriminator")

g_in = layers.Input(shape=(128,))
g_model = keras.Model(g_in, layers.Reshape((28, 28, 1))(layers.Dense(784)(g_in)), name="generator")


class WGAN(keras.Model):            # train_step-only wrapper, no call()
    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator

    def train_step(self, real_images):
        return {}


wgan = WGAN(discriminator=d_model, generator=g_model)
wgan.compile()
`;

test("a GAN wrapper without call() is passed over for the last model that builds, and says why", () => {
  const r = analyze({ file: "gan.py", text: GAN });
  assert.equal(r.entry, "g_model");
  assert.equal(r.ir?.paramTotals.params, 101136);
  assert.deepEqual(r.failedEntries, ["wgan"]);
  const info = r.diagnostics.filter((d) => d.code === "entry-fallback");
  assert.deepEqual(info.map((d) => [d.severity, d.range.start.line, d.message]), [
    [
      "info",
      20,
      "The candidate 'wgan' builds no graph, so 'g_model' is analysed instead (choose with --entry). Model 'wgan' is a subclassed model: its input shape is needed, e.g. call model.build((None, 224, 224, 3)) or pass the input shape to the analysis (line 21).",
    ],
  ]);
  // Only the chosen model's own diagnostics remain besides that note.
  assert.deepEqual(r.diagnostics.filter((d) => d.code !== "entry-fallback"), []);
});

test("with --input, the candidate that takes it: the discriminator for an image, over the generator", () => {
  const r = analyze({ file: "gan.py", text: GAN, input: [[1, 28, 28, 1]] });
  assert.equal(r.entry, "d_model");
  assert.equal(r.ir?.paramTotals.params, 785);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.code === "entry-fallback").map((d) => d.message.slice(0, d.message.indexOf(")") + 1)),
    [
      "The candidate 'wgan' builds no graph, so 'd_model' is analysed instead (choose with --entry)",
      "The candidate 'g_model' does not take the given input shape, so 'd_model' is analysed instead (choose with --entry)",
    ],
  );
  assert.ok(!r.diagnostics.some((d) => d.code === "input-mismatch"), "the generator's mismatch went with its run");
});

test("a loss module is never chosen over the network", () => {
  const text = `import torch.nn as nn

class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(3, 8, 4, 2, 1), nn.Sigmoid())
    def forward(self, x):
        return self.main(x)

class Objective(nn.Module):          # a loss by its forward's target, not by its name
    def __init__(self, gamma=2.0):
        super().__init__()
        self.gamma = gamma
    def forward(self, logits, target):
        return logits

netD = D()
criterion = nn.BCELoss()
`;
  const r = analyze({ file: "d.py", text, input: [[1, 3, 64, 64]] });
  assert.equal(r.entry, "netD");
  assert.deepEqual(r.ir?.outputs.map((id) => r.ir!.nodes.find((n) => n.id === id)?.shape), [[1, 8, 32, 32]]);
  assert.deepEqual(r.entries.map((e) => e.expr), ["netD", "D()", "criterion", "Objective()"]);
  assert.deepEqual(r.diagnostics, []);
});

test("a model that never builds reports its failure at the model's line, not at the file's last import", () => {
  const text = `from tensorflow import keras


class Wrapper(keras.Model):        # no call(), never built
    def train_step(self, data):
        return {}


model = Wrapper()
model.compile()

import json
`;
  const r = analyze({ file: "w.py", text });
  assert.equal(r.ir, null);
  assert.deepEqual(r.failedEntries, ["model"]);
  const warning = r.diagnostics.find((d) => d.severity === "warning")!;
  assert.deepEqual(warning.range, { start: { line: 8, character: 0 }, end: { line: 8, character: 17 } });
  assert.equal(
    warning.message,
    "Model 'wrapper' is a subclassed model: its input shape is needed, e.g. call model.build((None, 224, 224, 3)) or pass the input shape to the analysis (line 9). The statement was skipped.",
  );
});

const HELPER_AND_CONFIG_MODEL = `from dataclasses import dataclass
import torch
import torch.nn as nn

class SquaredReLU(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x):
        return torch.pow(torch.relu(x), 2)

@dataclass
class Config:
    n_embd: int = 32
    vocab_size: int = 100
    use_relu: bool = True

class Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.emb = nn.Embedding(config.vocab_size, config.n_embd)
        self.act = nn.ReLU() if config.use_relu else SquaredReLU()
        self.head = nn.Linear(config.n_embd, config.vocab_size)

    def forward(self, idx):
        return self.head(self.act(self.emb(idx)))
`;

test("a helper module that a model class needing arguments uses is no candidate: the file says which arguments the model needs", () => {
  const r = analyze({ file: "gpt.py", text: HELPER_AND_CONFIG_MODEL });
  assert.equal(r.ir, null);
  assert.deepEqual(r.entries, []);
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.range.start.line + 1, d.code, d.message]), [
    [
      "error",
      18,
      "no-model",
      'No model can be built without arguments: the model class Model was found, but it needs constructor arguments (Model: config). Pass the call that builds the model, with values for them, as the entry: --entry "Model(...)" (or a "# resgraph: entry=Model(...)" comment), with config written out.',
    ],
  ]);
  // Named, either builds.
  assert.equal(analyze({ file: "gpt.py", text: HELPER_AND_CONFIG_MODEL, entry: "Model(Config())", input: [[1, 8]] }).ir?.paramTotals.params, 6500);
  assert.equal(analyze({ file: "gpt.py", text: HELPER_AND_CONFIG_MODEL, entry: "SquaredReLU()", input: [[1, 8]] }).ir?.paramTotals.params, 0);
});

test("a class only named (not constructed) by a model needing arguments stays a candidate; a factory that returns no model leaves the arguments message", () => {
  const named = `import torch.nn as nn

class Net(nn.Module):
    """Net model."""
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
    def forward(self, x):
        return self.fc(x)

class Stage(nn.Module):
    """A stage of Net (see Net)."""
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
    def forward(self, x):
        return self.fc(x)
`;
  assert.equal(analyze({ file: "n.py", text: named, input: [[1, 4]] }).entry, "Net()");
  const factory = HELPER_AND_CONFIG_MODEL + `
def test():
    net = Model(Config())
    print(net)
`;
  const r = analyze({ file: "gpt.py", text: factory });
  assert.deepEqual(r.entries.map((e) => e.expr), ["test()"]);
  assert.deepEqual(r.diagnostics.map((d) => [d.range.start.line + 1, d.code]), [[18, "no-model"]]);
});
