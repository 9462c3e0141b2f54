// A PyTorch forward that takes more than one input: the count of --input shapes is checked before the
// run, the message says what to pass (and that an LSTM's (h, c) tuple cannot be passed), and it sits
// on the `def forward` line rather than on whatever line the module ran last.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";

const TWO_INPUTS = `# line 1: a comment
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x, hidden):
        return self.fc(x) + hidden
`;

const RNN = `import torch.nn as nn


class RNNModel(nn.Module):
    def __init__(self, ntoken=100, ninp=16, nhid=16, nlayers=2):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, input, hidden):
        emb = self.encoder(input)
        output, hidden = self.rnn(emb, hidden)
        return self.decoder(output), hidden
`;

function only(r: ReturnType<typeof analyze>) {
  assert.equal(r.ir, null);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  return { line: d.range.start.line + 1, column: d.range.start.character + 1, severity: d.severity, code: d.code, message: d.message };
}

test("too few shapes: an error at def forward that says how to pass one per input", () => {
  assert.deepEqual(only(analyze({ file: "net.py", text: TWO_INPUTS, entry: "Net()", input: [[1, 4]] })), {
    line: 10,
    column: 5,
    severity: "error",
    code: "input-count",
    message: `Net.forward() takes 2 inputs (x, hidden) but --input gave 1 shape: pass one shape for each with --input, separated by ';', e.g. --input "1,4;1,10".`,
  });
  // One shape per input runs.
  const ok = analyze({ file: "net.py", text: TWO_INPUTS, entry: "Net()", input: [[1, 4], [1, 2]] });
  assert.equal(ok.ir?.paramTotals.params, 10);
});

test("no shape for a forward of two inputs: no size is guessed, and the message says why", () => {
  assert.deepEqual(only(analyze({ file: "net.py", text: TWO_INPUTS, entry: "Net()" })), {
    line: 10,
    column: 5,
    severity: "error",
    code: "no-input",
    message: `No input shape was given and Net.forward() takes 2 inputs (x, hidden): pass one shape for each with --input, separated by ';', e.g. --input "1,4;1,10".`,
  });
});

test("an LSTM's (h, c) state: the message says plainly that --input cannot express it", () => {
  const lstm =
    " Each --input shape becomes one tensor argument, so an LSTM's hidden state (h, c), a tuple of two tensors, cannot be given with --input;" +
    " with a default of None for that argument in forward (nn.LSTM then starts from zeros) the model runs from its first input alone.";
  const none = only(analyze({ file: "rnn.py", text: RNN, entry: "RNNModel()" }));
  assert.equal(none.line, 11);
  assert.equal(none.message, "No input shape was given and RNNModel.forward() takes 2 inputs (input, hidden)." + lstm);
  const three = only(analyze({ file: "rnn.py", text: RNN, entry: "RNNModel()", input: [[35, 20], [2, 20, 16], [2, 20, 16]] }));
  assert.equal(three.message, "RNNModel.forward() takes 2 inputs (input, hidden) but --input gave 3 shapes." + lstm);
  // What the message offers runs: with hidden=None the first input alone is enough, and is inferred.
  const defaulted = analyze({ file: "rnn.py", text: RNN.replace("def forward(self, input, hidden):", "def forward(self, input, hidden=None):"), entry: "RNNModel()", input: [[35, 20]] });
  assert.equal(defaulted.ir?.paramTotals.params, 7652);
});

test("a loss given no target reports at its own line", () => {
  const text = `import torch.nn as nn

criterion = nn.BCELoss()
`;
  const r = analyze({ file: "loss.py", text, input: [[1, 4]] });
  const e = r.diagnostics.find((d) => d.severity === "error")!;
  assert.equal(e.message, "BCELoss expects an input and a target (line 3).");
  assert.equal(e.range.start.line, 2);
});
