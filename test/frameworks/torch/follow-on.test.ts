// One warning per cause: what a skipped statement leaves behind (its names, a skipped return)
// makes later layer calls, conditions and attribute uses skip without warning again; each statement
// skipped that way says so once, as information naming the line it depends on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";

test("a skipped statement's unknowns pass through returns, attributes, layers and loops without new diagnostics", () => {
  const text = `import torch.nn as nn

class Inner(nn.Module):
    def forward(self, x):
        return x.no_such_method(0)

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = Inner()
        self.a = nn.Linear(4, 4)
        self.b = nn.Linear(4, 4)

    def forward(self, x):
        y = self.inner(x).transpose(0, 1)
        y = self.a(y)
        if y.shape[0] > 1:
            y = self.b(y)
        for part in y:
            y = part
        return self.b(y)
`;
  const r = analyze({ file: "m.py", text, entry: "M()", input: [[2, 3, 4]] });
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.message]),
    [[5, "'Tensor' object has no attribute 'no_such_method' (line 5). The statement was skipped."]],
  );
});

test("an unknown that no diagnostic explains yet still gets one where it is used", () => {
  const text = `import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 4)

    def forward(self, x):
        return self.a(torch.randn(3).tolist())
`;
  const r = analyze({ file: "m.py", text, entry: "M()", input: [[2, 4]] });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code), ["type"]);
});

test("a statement skipped for an earlier failure says so once, as information naming the line it depends on", () => {
  // timm's builder: a config read that fails leaves unknown kwargs, so the Linear is not built.
  const text = `import torch.nn as nn
kwargs = {}
for n in ('num_classes', 'in_chans'):
    v = cfg.get(n, None)
    kwargs.setdefault(n, v)

class Net(nn.Module):
    def __init__(self, in_chans=3, num_classes=1000):
        super().__init__()
        self.fc = nn.Linear(in_chans, num_classes)

    def forward(self, x):
        return self.fc(x)

def build():
    return Net(**kwargs)
`;
  const r = analyze({ file: "m.py", text, entry: "build()", input: [[1, 3]] });
  assert.deepEqual(
    r.diagnostics.map((d) => [d.range.start.line + 1, d.severity, d.message]),
    [
      [4, "warning", "Name 'cfg' is not defined (line 4). The statement was skipped."],
      [10, "info", "Skipped: 'in_features' could not be determined: 'v', which line 4 could not compute."],
      [13, "warning", "'Net' object has no attribute 'fc' (line 13). The statement was skipped."],
    ],
  );
});
