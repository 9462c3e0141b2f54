// nn.Unfold / nn.Fold, F.unfold / F.fold and Tensor.unfold: exact shapes from PyTorch's formulas,
// no parameters, no MACs; what does not fit is a located shape error.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeSource, lines } from "./analyze-source";

const run = (text: string, entry: string, input: number[][]) =>
  analyzeSource(text, entry, input, (n) => [n.op, n.shape, n.params ?? 0, n.macs ?? 0]);

test("nn.Unfold cuts T2T-ViT's soft split: [1, 3, 224, 224] -> [1, 147, 3136], then tokens", () => {
  const r = run(
    lines(
      "import torch.nn as nn",
      "from einops.layers.torch import Rearrange",
      "",
      "class Net(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.unfold = nn.Unfold(kernel_size=7, stride=4, padding=2)",
      "        self.split = nn.Sequential(nn.Unfold(kernel_size=3, stride=2, padding=1), Rearrange('b c n -> b n c'))",
      "        self.fc = nn.Linear(3 * 7 * 7, 64)",
      "        assert (self.unfold.kernel_size, self.unfold.stride, self.unfold.padding, self.unfold.dilation) == (7, 4, 2, 1)",
      "",
      "    def forward(self, x):",
      "        t = self.fc(self.unfold(x).transpose(1, 2))",
      "        return t, self.split(x)",
    ),
    "Net()",
    [[1, 3, 224, 224]],
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.ops, [
    ["Unfold", [1, 147, 3136], 0, 0],
    ["transpose", [1, 3136, 147], 0, 0],
    ["Linear", [1, 3136, 64], 9_472, 3136 * 147 * 64],
    ["Unfold", [1, 27, 12_544], 0, 0],
    ["Rearrange", [1, 12_544, 27], 0, 0],
  ]);
  assert.deepEqual(r.ir.nodes.find((n) => n.op === "Unfold")!.attrs, { kernel_size: [7, 7], dilation: [1, 1], padding: [2, 2], stride: [4, 4] });
  assert.equal(r.ir.paramTotals.params, 9_472);
});

test("F.unfold and F.fold invert each other's shapes; dilation, unbatched input and nn.Fold too", () => {
  const r = run(
    lines(
      "import torch.nn as nn",
      "import torch.nn.functional as F",
      "",
      "class Net(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.fold = nn.Fold(output_size=(8, 8), kernel_size=2, stride=2)",
      "",
      "    def forward(self, x):",
      "        cols = F.unfold(x, kernel_size=2, stride=2)",
      "        back = F.fold(cols, output_size=(8, 8), kernel_size=2, stride=2)",
      "        dilated = F.unfold(x, 3, dilation=2, padding=1)",
      "        single = F.unfold(x[0], (2, 4), stride=(2, 4))",
      "        return back, dilated, single, self.fold(cols), self.fold(cols[0])",
    ),
    "Net()",
    [[1, 3, 8, 8]],
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.output, [[1, 3, 8, 8], [1, 27, 36], [24, 8], [1, 3, 8, 8], [3, 8, 8]]);
  assert.deepEqual(r.ir.nodes.find((n) => n.op === "fold")!.attrs, { output_size: [8, 8], kernel_size: [2, 2], dilation: [1, 1], padding: [0, 0], stride: [2, 2] });
});

test("blocks that do not fit the fold's output_size, or a wrong rank, are located shape errors", () => {
  const r = run(
    lines(
      "import torch.nn as nn",
      "import torch.nn.functional as F",
      "",
      "class Net(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.unfold = nn.Unfold(2)",
      "",
      "    def forward(self, x):",
      "        cols = F.unfold(x, kernel_size=2, stride=2)",
      "        wrong = F.fold(cols, output_size=(10, 10), kernel_size=2, stride=2)",
      "        odd = F.fold(cols, output_size=(8, 8), kernel_size=(1, 5), stride=2)",
      "        return wrong, odd, self.unfold(x.unsqueeze(0))",
    ),
    "Net()",
    [[1, 3, 8, 8]],
  );
  assert.deepEqual(r.problems, [
    [11, "fold: output_size [10, 10] makes 5 * 5 = 25 sliding blocks, but the input's dimension 2 is 16 (line 11)."],
    [12, "fold: the input's dimension 1 (12) is not divisible by the product of kernel_size [1, 5] (5) (line 12)."],
    [13, "Unfold 'unfold': expects a 3-D or 4-D input, got a 5-D tensor of shape [1, 1, 3, 8, 8] (line 13)."],
  ]);
  assert.deepEqual(r.output, [[1, 3, 10, 10], [1, null, 8, 8], null]);
});

test("Tensor.unfold(dimension, size, step) makes windows along one dimension", () => {
  const r = run(
    lines(
      "import torch.nn as nn",
      "",
      "class Net(nn.Module):",
      "    def forward(self, x):",
      "        patches = x.unfold(2, 4, 4).unfold(3, 4, 4)",
      "        frames = x.flatten(1).unfold(-1, 64, 32)",
      "        return patches, frames",
    ),
    "Net()",
    [[1, 3, 8, 8]],
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.output, [[1, 3, 2, 2, 4, 4], [1, 5, 64]]);
  assert.deepEqual(r.ir.nodes.find((n) => n.op === "unfold")!.attrs, { dimension: 2, size: 4, step: 4 });
});
