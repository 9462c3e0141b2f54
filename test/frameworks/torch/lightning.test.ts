// Lightning: a LightningModule is an nn.Module (the model is found and counted), whichever way it is
// imported, and save_hyperparameters() gives `self.hparams` the constructor's arguments.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { runPython } from "../../interp/run-python";

const classifier = (base: string, imports: string) => `${imports}
import torch.nn as nn

class LitClassifier(${base}):
    def __init__(self, hidden=64):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(28 * 28, self.hparams.hidden), nn.ReLU(), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.net(x.view(x.size(0), -1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss
`;

test("a LightningModule subclass is a PyTorch model, found without --entry and counted, however Lightning is imported", () => {
  for (const [base, imports] of [
    ["L.LightningModule", "import lightning as L"],
    ["pl.LightningModule", "import pytorch_lightning as pl"],
    ["LightningModule", "from lightning.pytorch import LightningModule"],
    ["LightningModule", "from pytorch_lightning import LightningModule"],
  ]) {
    const r = analyze({ file: "lit.py", text: classifier(base, imports), input: [[1, 1, 28, 28]] });
    assert.equal(r.entry, "LitClassifier()", imports);
    // 784*64+64 + 64*10+10
    assert.equal(r.ir?.paramTotals.params, 50890, imports);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), [], imports);
  }
});

test("save_hyperparameters() keeps the constructor's arguments (defaults, **kwargs spread, ignore=) in self.hparams", () => {
  const text = `import lightning as L
import torch.nn as nn

class Lit(L.LightningModule):
    def __init__(self, model_name='resnet', model_hparams={'c': 8}, lr=0.1, *args, **kw):
        super().__init__()
        self.save_hyperparameters(ignore=['lr'])
        self.conv = nn.Conv2d(3, self.hparams.model_hparams['c'], 3)

    def forward(self, x):
        return self.conv(x)
`;
  const r = analyze({ file: "lit.py", text, entry: "Lit('vit', {'c': 4}, 0.5, 9, x=3)", input: [[1, 3, 8, 8]] });
  // 3*4*9+4: the channels come from the given model_hparams.
  assert.equal(r.ir?.paramTotals.params, 112);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
});

test("self.hparams reads as attributes and items, as Lightning's AttributeDict does", () => {
  const r = runPython(`import lightning as L

class Lit(L.LightningModule):
    def __init__(self, model_name='resnet', model_hparams={'c': 8}, lr=0.1, *args, **kw):
        super().__init__()
        self.save_hyperparameters(ignore=['lr'])
        self.info = (sorted(self.hparams.keys()), self.hparams['model_name'], 'lr' in self.hparams, self.hparams.get('x', 5), len(self.hparams))

class Picked(L.LightningModule):
    def __init__(self, a=1, b=2):
        super().__init__()
        self.save_hyperparameters('b')
        self.info = dict(self.hparams.items())

r1 = Lit('vit', {'c': 4}, 0.5, 9, x=3).info
r2 = Picked(b=5).info
`);
  assert.equal(r.get("r1"), "(['model_hparams', 'model_name', 'x'], 'vit', False, 3, 3)");
  assert.equal(r.get("r2"), "{'b': 5}");
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
});
