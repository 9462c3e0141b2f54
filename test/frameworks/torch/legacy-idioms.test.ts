// Idioms of older and script-style PyTorch code (pytorch/examples, Pytorch-UNet, vit-pytorch):
// Tensor.type, the legacy tensor type names, nn.parallel, one-element tensors as pad amounts,
// deprecated nn.init names, and optimizers, schedulers and checkpoints around the model.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeSource, lines } from "./analyze-source";

const run = analyzeSource;

test("Tensor.type(dtype) converts and .type() names the legacy type (SimpleViT's posemb)", () => {
  const r = run(
    lines(
      "import torch",
      "from torch import nn",
      "",
      "def posemb(n, dim, dtype=torch.float32):",
      "    pe = torch.zeros(n, dim)",
      "    return pe.type(dtype)",
      "",
      "class Net(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.fc = nn.Linear(16, 16)",
      "        self.pos = posemb(8, 16)",
      "        self.names = [torch.zeros(2).type(), torch.arange(3).type(), torch.arange(3).type(torch.float64).type()]",
      "        self.half = torch.arange(3).type('torch.cuda.FloatTensor').type()",
      "        self.steps = torch.tensor([1.5, 2.5]).type(torch.LongTensor).tolist()",
      "",
      "    def forward(self, x):",
      "        assert self.names == ['torch.FloatTensor', 'torch.LongTensor', 'torch.DoubleTensor'], self.names",
      "        assert self.half == 'torch.FloatTensor' and self.steps == [1, 2]",
      "        return self.fc(x + self.pos)",
    ),
    "Net()",
    [[1, 8, 16]],
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.output, [[1, 8, 16]]);
  assert.equal(r.ir.paramTotals.params, 272);
  assert.equal(r.ir.nodes.find((n) => n.op === "Linear")!.macs, 2_048);
});

test("Tensor.type with something that is not a type is a located TypeError", () => {
  const r = run(lines("import torch", "import torch.nn as nn", "", "class M(nn.Module):", "    def forward(self, x):", "        y = x.type(3)", "        return x"), "M()", [[2, 3]]);
  assert.deepEqual(r.problems, [[6, "type() expects a dtype or a tensor type such as torch.FloatTensor, got 3 (line 6). The statement was skipped."]]);
});

test("old dcgan: torch.cuda.FloatTensor exists, a CPU tensor is not one, and data_parallel applies the module", () => {
  const r = run(
    lines(
      "import torch",
      "import torch.nn as nn",
      "import torch.nn.parallel",
      "",
      "class G(nn.Module):",
      "    def __init__(self, ngpu):",
      "        super().__init__()",
      "        self.ngpu = ngpu",
      "        self.main = nn.Sequential(nn.ConvTranspose2d(100, 64, 4, 1, 0, bias=False), nn.Tanh())",
      "",
      "    def forward(self, input):",
      "        gpu_ids = None",
      "        assert not isinstance(input.data, torch.cuda.FloatTensor)",
      "        assert isinstance(input, torch.FloatTensor) and isinstance(input, torch.Tensor)",
      "        if isinstance(input.data, torch.cuda.FloatTensor) and self.ngpu > 1:",
      "            gpu_ids = range(self.ngpu)",
      "        return nn.parallel.data_parallel(self.main, input, gpu_ids)",
    ),
    "G(1)",
    [[1, 100, 1, 1]],
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.ops, [["ConvTranspose2d", [1, 64, 4, 4]], ["Tanh", [1, 64, 4, 4]]]);
  assert.equal(r.ir.paramTotals.params, 102_400);
  assert.equal(r.ir.nodes.find((n) => n.op === "ConvTranspose2d")!.macs, 102_400);
});

test("legacy tensor types construct tensors; torch.cuda types hold none of the analyzer's tensors", () => {
  const r = run(
    lines(
      "import torch",
      "import torch.nn as nn",
      "",
      "Tensor = torch.cuda.FloatTensor if torch.cuda.is_available() else torch.FloatTensor",
      "",
      "class M(nn.Module):",
      "    def forward(self, x):",
      "        valid = Tensor(x.size(0), 1).fill_(1.0)",
      "        ones = torch.cuda.LongTensor(3)",
      "        assert isinstance(ones, torch.cuda.LongTensor) and isinstance(ones, torch.Tensor)",
      "        assert not isinstance(x, torch.cuda.LongTensor) and not isinstance(x, torch.LongTensor)",
      "        assert repr(torch.cuda.HalfTensor) == \"<class 'torch.cuda.HalfTensor'>\"",
      "        assert torch.FloatTensor([[1, 2, 3]]).shape == (1, 3) and torch.Tensor().shape == (0,) and torch.Tensor(x).shape == (2, 5)",
      "        assert torch.cuda.ByteTensor(2, 3).shape == (2, 3)",
      "        noise = torch.Tensor(x.mean().item())",
      "        return x * valid",
    ),
    "M()",
    [[2, 5]],
  );
  assert.deepEqual(r.problems, [[15, "'size[0]' could not be determined: a tensor's value (the analyzer tracks shapes, not values) (line 15). The statement was skipped."]]);
  assert.deepEqual(r.output, [[2, 5]]);
});

test("nn.DataParallel and DistributedDataParallel wrap the model as `module`, with its parameters and nodes", () => {
  const r = run(
    lines(
      "import torch.nn as nn",
      "from torch.nn.parallel import DistributedDataParallel",
      "",
      "class Net(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.fc = nn.Linear(4, 2)",
      "    def forward(self, x, scale=1.0):",
      "        return self.fc(x) * scale",
      "",
      "def build():",
      "    m = nn.DataParallel(Net(), device_ids=[0, 1])",
      "    assert isinstance(m.module, Net)",
      "    return DistributedDataParallel(m)",
    ),
    "build()",
    [[3, 4]],
  );
  assert.deepEqual(r.problems, []);
  assert.equal(r.ir.paramTotals.params, 10);
  assert.deepEqual(r.output, [[3, 2]]);
  assert.deepEqual(r.ir.nodes.filter((n) => n.op === "Linear").map((n) => n.scope), ["module/module/fc"]);
});

test("F.pad takes one-element integer tensors as amounts, as Pytorch-UNet's older Up block passes them", () => {
  const up = (diff: string) =>
    lines(
      "import torch",
      "import torch.nn as nn",
      "import torch.nn.functional as F",
      "",
      "class Up(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.up = nn.ConvTranspose2d(8, 4, kernel_size=2, stride=2)",
      "",
      "    def forward(self, x1, x2):",
      "        x1 = self.up(x1)",
      `        diffY = ${diff.split("DIM").join("2")}`,
      `        diffX = ${diff.split("DIM").join("3")}`,
      "        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])",
      "        return torch.cat([x2, x1], dim=1)",
    );
  const known = run(up("torch.tensor([x2.size()[DIM] - x1.size()[DIM]])"), "Up()", [[1, 8, 8, 8], [1, 4, 17, 17]]);
  assert.deepEqual(known.problems, []);
  assert.deepEqual(known.ir.nodes.find((n) => n.op === "pad")!.attrs, { pad: [0, 1, 0, 1], mode: "constant" });
  assert.deepEqual(known.output, [[1, 8, 17, 17]]);

  const float = run(up("torch.tensor([float(x2.size()[DIM] - x1.size()[DIM])])"), "Up()", [[1, 8, 8, 8], [1, 4, 17, 17]]);
  assert.deepEqual(float.problems, [
    [14, "'pad[0]' must be an integer, got a torch.float32 tensor; only integer tensors of a single element can be converted to an index (line 14). The statement was skipped."],
  ]);

  const unknown = run(up("torch.tensor([x2.mean().item()])"), "Up()", [[1, 8, 8, 8], [1, 4, 17, 17]]);
  assert.deepEqual(unknown.problems, [[14, "'pad[0]' is a one-element tensor whose value the analyzer does not know (line 14). The statement was skipped."]]);
});

test("the deprecated nn.init names without the underscore are accepted, as torch still has them", () => {
  const r = run(
    lines(
      "import torch.nn as nn",
      "import torch.nn.init as init",
      "",
      "class Net(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.conv = nn.Conv2d(3, 8, 3)",
      "        init.orthogonal(self.conv.weight)",
      "        init.sparse(self.conv.weight.view(8, -1), 0.1)",
      "        init.xavier_uniform(self.conv.weight)",
      "        init.kaiming_normal(self.conv.weight)",
      "        init.normal(self.conv.weight)",
      "        init.constant(self.conv.bias, 0)",
      "        init.uniform(self.conv.bias)",
      "        init.orthogonal_(self.conv.weight, init.calculate_gain('relu'))",
      "    def forward(self, x):",
      "        return self.conv(x)",
    ),
    "Net()",
    [[1, 3, 32, 32]],
  );
  assert.deepEqual(r.problems, []);
  assert.equal(r.ir.paramTotals.params, 224);
});

test("optimizers, schedulers and checkpoints around the model are harmless objects: no node, no warning", () => {
  const r = run(
    lines(
      "import torch",
      "import torch.nn as nn",
      "import torch.optim as optim",
      "from torch.optim.lr_scheduler import StepLR",
      "",
      "class Policy(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.fc = nn.Linear(4, 2)",
      "    def forward(self, x):",
      "        return self.fc(x)",
      "",
      "class Lookahead(optim.Optimizer):",
      "    def __init__(self, params, lr=0.1):",
      "        super().__init__(params, dict(lr=lr))",
      "",
      "model = Policy()",
      "optimizer = optim.Adam(model.parameters(), lr=3e-2)",
      "sgd = optim.SGD([{'params': model.parameters()}, {'params': [], 'lr': 0.5}], lr=0.1, momentum=0.9)",
      "scheduler = StepLR(optimizer, step_size=30, gamma=0.1)",
      "plateau = optim.lr_scheduler.ReduceLROnPlateau(sgd, 'min')",
      "own = Lookahead(model.parameters())",
      "for group in optimizer.param_groups:",
      "    group['lr'] = 1e-3",
      "assert [g['lr'] for g in sgd.param_groups] == [0.1, 0.5] and sgd.defaults['momentum'] == 0.9",
      "assert isinstance(own, torch.optim.Optimizer) and isinstance(scheduler, optim.lr_scheduler.LRScheduler)",
      "optimizer.zero_grad()",
      "optimizer.step()",
      "scheduler.step()",
      "plateau.step(0.5)",
      "model.load_state_dict(torch.load('policy.pth'))",
      "torch.save({'model': model.state_dict(), 'optim': optimizer.state_dict()}, 'policy.pth')",
    ),
    "model",
    [[1, 4]],
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.ops, [["Linear", [1, 2]]]);
  assert.equal(r.ir.paramTotals.params, 10);
});
