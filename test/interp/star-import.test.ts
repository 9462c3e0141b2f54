// `from m import *` binds what CPython binds: a module's `__all__` when it has one, else its public
// names; for a stub module, also the public names it answers only through its `__getattr__`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { runPython } from "./run-python";

test("__all__ decides what a star import binds, each name read as an attribute", () => {
  const files = { "lib.py": "__all__ = ['a', 'lazy']\na = 1\nb = 2\n_c = 3\n\ndef __getattr__(name):\n    return name + '!'\n" };
  const r = runPython("from lib import *\nx = a\ny = lazy\n", { files });
  assert.equal(r.get("x"), "1");
  assert.equal(r.get("y"), "'lazy!'");
  assert.equal(r.get("b"), "<undefined>");
  const plain = runPython("from lib2 import *\n", { files: { "lib2.py": "a = 1\n_b = 2\n" } });
  assert.equal(plain.get("a"), "1");
  assert.equal(plain.get("_b"), "<undefined>");
});

// zhixuhao/unet's model.py idiom (/tmp/corpus9 repro 06).
const UNET = `from keras.models import *
from keras.layers import *
from keras.optimizers import *
from keras.losses import *
from keras.callbacks import *


def build():
    inputs = Input((16, 16, 1))
    x = Conv2D(32, 3, padding="same")(inputs)
    out = Conv2D(1, 1, activation="sigmoid")(x)
    model = Model(inputs=inputs, outputs=out)
    model.compile(optimizer=Adam(lr=1e-4), loss=BinaryCrossentropy())
    stop = EarlyStopping(patience=3)
    return model
`;

test("a star import of keras.optimizers (or tensorflow.keras's) binds Adam and the other public names", () => {
  for (const text of [UNET, UNET.replace(/from keras\./g, "from tensorflow.keras.")]) {
    const r = analyze({ file: "model.py", text, entry: "build()" });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.ir?.paramTotals.params, 353);
  }
});

test("a star import of torch.nn binds the layers the stub serves lazily: the Transformer family and unmodelled classes", () => {
  const text = `from torch.nn import *

class Net(Module):
    def __init__(self):
        super().__init__()
        self.enc = TransformerEncoderLayer(16, 2, 32)
        self.fc = Linear(16, 4)
        self.other = ChannelShuffle

    def forward(self, x):
        return self.fc(self.enc(x))
`;
  const r = analyze({ file: "net.py", text, entry: "Net()", input: [[1, 5, 16]] });
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  assert.equal(r.ir?.paramTotals.params, 2292);
});
