// Choosing an input shape for a PyTorch model that names none: the first usual image size that runs,
// except that a CIFAR-looking model (3x3 stride-1 stem, 10- or 100-class head) tries 32x32 first.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";

function net(stem: string, classes: number): string {
  return `
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ${stem}
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, ${classes})
    def forward(self, x):
        return self.fc(self.pool(self.stem(x)).flatten(1))
`;
}

function inferred(text: string) {
  const r = analyze({ file: "net.py", text, entry: "Net()" });
  assert.ok(r.ir);
  assert.equal(r.inputSource, "inferred");
  const note = r.diagnostics.find((d) => d.code === "input-inferred")!;
  return { shape: r.ir!.inputShapes[0], message: note.message };
}

test("a 3x3 stride-1 stem with a 10-class head is taken as CIFAR: 32x32, and the note says why", () => {
  const r = inferred(net("nn.Conv2d(3, 16, kernel_size=3, stride=1, padding=1)", 10));
  assert.deepEqual(r.shape, [1, 3, 32, 32]);
  assert.equal(r.message, "No input shape given: using 1x3x32x32, as its 3x3 stride-1 stem and 10-class head look like a CIFAR model. Set one with --input or a '# resgraph: input=...' comment.");
});

test("an ImageNet-style stem or a 1000-class head keeps 224x224 first, although 32 would run too", () => {
  assert.deepEqual(inferred(net("nn.Conv2d(3, 16, kernel_size=7, stride=2, padding=3)", 10)).shape, [1, 3, 224, 224]);
  assert.deepEqual(inferred(net("nn.Conv2d(3, 16, 3, 1, 1)", 1000)).shape, [1, 3, 224, 224]);
  assert.deepEqual(inferred(net("nn.Conv2d(3, 16, 3, 1, 1)", 100)).shape, [1, 3, 32, 32]);
});
