import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArgs, parseShapes } from "../../src/cli/args";
import { importReader, importRoot } from "../../src/cli/files";
import { runCli } from "../../src/cli/run";
import type { AnalyzerResult } from "../../src/cli/analyzer";
import type { Diagnostic } from "../../src/ir/types";
import { tinyResNet } from "../analysis/ir-fixtures";
import { fakeIO, fiveNodeModel } from "./cli-fixtures";
import { analyze } from "../../src/analyze";

const files = { "model.py": "class SmallNet: ...\n" };
const graph = (): AnalyzerResult => ({ ir: fiveNodeModel(), diagnostics: [], entries: [] });

test("the table for a 5-node model, exactly", () => {
  const run = fakeIO(files, graph());
  assert.equal(runCli(["summary", "model.py"], run.io), 0);
  assert.equal(run.err(), "");
  const rule = "=".repeat(74);
  assert.equal(
    run.out(),
    [
      rule,
      "Model: SmallNet (pytorch)",
      "File: model.py",
      "Entry: SmallNet()",
      "Input: [1, 3, 8, 8]",
      "Output: [1, 2]",
      rule,
      "Layer (scope/name)  Op                 Output shape  Params   MACs  % MACs",
      "-".repeat(74),
      "x                   Input              [1, 3, 8, 8]      --     --      --",
      "  features/0        Conv2d             [1, 4, 8, 8]     112  6,912  99.88%",
      "  features/1        ReLU               [1, 4, 8, 8]      --     --      --",
      "pool                AdaptiveAvgPool2d  [1, 4]            --     --      --",
      "fc                  Linear             [1, 2]            10      8   0.12%",
      rule,
      "Total params: 122",
      "Trainable params: 122",
      "Non-trainable params: 0",
      "MACs: 6.92 K (6,920)",
      "FLOPs: 13.84 K (FLOPs = 2 x MACs)",
      "Depth: 2 weighted layers (conv, dense) on the longest path",
      "Activation memory: 2.84 KB (float32 outputs of 5 nodes)",
      rule,
      "Residual blocks: none",
      rule,
      "Conventions: MACs = multiply-accumulates of convolution and linear/dense layers (and matmul) only, for the analysed input shape, as the ResNet paper and torchvision count them. FLOPs = 2 x MACs. Params = sum(p.numel() for p in model.parameters()); buffers such as BatchNorm running statistics are not parameters.",
      rule,
      "",
    ].join("\n"),
  );
});

test("a ResNet report lists blocks, stages and buffers", () => {
  const run = fakeIO(files, { ir: tinyResNet(), diagnostics: [], entries: [] });
  assert.equal(runCli(["summary", "model.py"], run.io), 0);
  const out = run.out();
  assert.ok(out.includes("\nBuffers (not params): 288\n"));
  assert.ok(out.includes("\nResidual blocks: 2 (1 identity, 1 projection)\n"));
  const stageTable = [
    "Stage    Output size      Blocks  Params       MACs",
    "---------------------------------------------------",
    "conv1    [1, 16, 32, 32]      --     464    442,368",
    "conv2_x  [1, 16, 32, 32]       1   4,672  4,718,592",
    "conv3_x  [1, 32, 16, 16]       1  14,528  3,670,016",
    "head     [1, 10]              --     330        320",
  ].join("\n");
  assert.ok(out.includes(`\n\n${stageTable}\n====`), out);
  assert.ok(out.includes("\nfc                           Linear             [1, 10]             330        320  <0.01%\n"), out);
  assert.ok(out.includes("\n      layer2/0/downsample/0  Conv2d  "), out);
});

test("--json prints the summary with its fixed top-level keys", () => {
  const run = fakeIO(files, graph());
  assert.equal(runCli(["summary", "model.py", "--json"], run.io), 0);
  const json = JSON.parse(run.out());
  assert.deepEqual(Object.keys(json), [
    "summaryVersion", "file", "entry", "framework", "input", "output", "totals", "completeness",
    "residualBlocks", "stages", "nodes", "diagnostics", "conventions",
  ]);
  assert.deepEqual(json.completeness, { complete: true, params: [], macs: [], emptyGraph: false });
  assert.equal(json.totals.macs, 6920);
  assert.equal(json.totals.flops, 13840);
  assert.deepEqual(json.nodes.map((n: { id: string }) => n.id), ["x", "conv", "relu", "pool", "fc"]);
  assert.equal(json.nodes[1].line, 5);
  assert.ok(run.out().startsWith('{\n  "summaryVersion": 1,\n  "file": "model.py",'));
});

test("options reach the analyzer; imports read the paths the analyzer builds from the file's path", () => {
  const run = fakeIO({ "proj/model.py": "m", "proj/blocks.py": "b", "secret.py": "s" }, (o) => {
    // The analyzer joins import paths onto `file` ("proj/model.py"), so they are relative to the cwd too.
    assert.equal(o.readFile!("proj/blocks.py"), "b");
    assert.equal(o.readFile!("proj/missing.py"), undefined);
    return graph();
  });
  // The fake file system is keyed by relative paths, so map absolute paths back.
  const read = run.io.readFile;
  run.io.readFile = (p) => read(p.startsWith(process.cwd()) ? p.slice(process.cwd().length + 1) : p);
  const argv = ["summary", "proj/model.py", "--entry", "resnet50()", "--input=1,3,224,224;1,10", "--json"];
  assert.equal(runCli(argv, run.io), 0);
  assert.equal(run.calls.length, 1);
  assert.equal(run.calls[0].file, "proj/model.py");
  assert.equal(run.calls[0].text, "m");
  assert.equal(run.calls[0].entry, "resnet50()");
  assert.deepEqual(run.calls[0].input, [[1, 3, 224, 224], [1, 10]]);
});

/** A reader over an in-memory tree of absolute paths that records what it was asked. */
function treeReader(files: Record<string, string>) {
  const seen: string[] = [];
  return { seen, read: (p: string) => (seen.push(p), files[p]) };
}

test("importReader: a file outside the cwd may import only inside its own folder tree", () => {
  const t = treeReader({ "/w/models/net.py": "n", "/w/models/layers/block.py": "b", "/w/other.py": "o" });
  const read = importReader("/w/models/net.py", t.read, "/home/me");
  assert.equal(read("/w/models/layers/block.py"), "b");
  assert.equal(read("/w/other.py"), undefined);
  assert.equal(read("/etc/passwd"), undefined);
  assert.equal(read("/w/models/notes.txt"), undefined, "only Python files are read");
  assert.deepEqual(t.seen.filter((p) => !p.endsWith("__init__.py")), ["/w/models/layers/block.py"]);
});

test("importReader: `from ..ops import x` climbs out of the file's folder inside its package", () => {
  const t = treeReader({
    "/w/pkg/__init__.py": "",
    "/w/pkg/models/__init__.py": "",
    "/w/pkg/models/net.py": "n",
    "/w/pkg/ops/misc.py": "m",
    "/elsewhere.py": "e",
  });
  // Run from inside the package folder, with a relative path, as `cd pkg/models && resgraph summary net.py`.
  const read = importReader("net.py", t.read, "/w/pkg/models");
  assert.equal(read("../ops/misc.py"), "m");
  assert.equal(read("/w/pkg/ops/misc.py"), "m");
  assert.equal(read("../../../elsewhere.py"), undefined, "above the outermost package is out of reach");
});

test("importRoot: the outermost package's parent, widened to the cwd that holds the file", () => {
  const files: Record<string, string> = { "/w/proj/pkg/__init__.py": "", "/w/proj/pkg/sub/__init__.py": "" };
  const read = (p: string) => files[p];
  assert.equal(importRoot("/w/proj/pkg/sub/net.py", read, "/tmp"), "/w/proj");
  assert.equal(importRoot("/w/proj/pkg/sub/net.py", read, "/w"), "/w");
  assert.equal(importRoot("/w/proj/scripts/train.py", read, "/tmp"), "/w/proj/scripts");
});

test("diagnostics go to stderr and a partial graph still exits 0", () => {
  const d: Diagnostic = {
    severity: "error",
    message: "Conv2d expects 64 input channels, got 128.",
    file: "model.py",
    range: { start: { line: 11, character: 4 }, end: { line: 11, character: 20 } },
    code: "shape-mismatch",
  };
  const run = fakeIO(files, { ir: fiveNodeModel(), diagnostics: [d], entries: [] });
  assert.equal(runCli(["summary", "model.py"], run.io), 0);
  assert.equal(run.err(), "model.py:12:5: error: Conv2d expects 64 input channels, got 128. [shape-mismatch]\n");
});

test("no graph: exit 1, listing the candidate entries and how to pick one", () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const run = fakeIO(files, {
    ir: null,
    diagnostics: [],
    entries: [
      { expr: "resnet50()", label: "def resnet50", kind: "factory", framework: "pytorch", range },
      { expr: "ResNet()", label: "class ResNet", kind: "class", framework: "pytorch", range },
    ],
  });
  assert.equal(runCli(["summary", "model.py"], run.io), 1);
  assert.equal(run.out(), "");
  assert.equal(
    run.err(),
    [
      "No model could be analysed in model.py.",
      "Candidate entries:",
      "  resnet50()  def resnet50 (factory)",
      "  ResNet()    class ResNet (class)",
      'Pick one with --entry, e.g. resgraph summary model.py --entry "resnet50()".',
      "",
    ].join("\n"),
  );

  const none = fakeIO(files, { ir: null, diagnostics: [], entries: [] });
  assert.equal(runCli(["summary", "model.py", "--entry", "Net()"], none.io), 1);
  assert.equal(none.err(), 'No model could be analysed in model.py.\nThe entry "Net()" did not produce a model; see the messages above.\n');
});

test("no graph because every model class needs constructor arguments: the message names the classes, their arguments and the entry to pass", () => {
  // pytorch/examples word_language_model/model.py, shortened; the building block first, so the example skips it.
  const text = `import torch.nn as nn

class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)

class RNNModel(nn.Module):
    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)

class TransformerModel(nn.Module):
    def __init__(self, ntoken, ninp, *layers, dropout=0.5, **kwargs):
        super().__init__()
        self.pos_encoder = PositionalEncoding(ninp, dropout)
`;
  const run = fakeIO({ "model.py": text }, (o) => analyze(o));
  assert.equal(runCli(["summary", "model.py"], run.io), 1);
  const message =
    "No model can be built without arguments: the model classes PositionalEncoding, RNNModel and TransformerModel were found, but each needs constructor arguments " +
    "(PositionalEncoding: d_model; RNNModel: rnn_type, ntoken, ninp, nhid, nlayers; TransformerModel: ntoken, ninp). " +
    'Pass the call that builds the model, with values for them, as the entry: --entry "RNNModel(...)" (or a "# resgraph: entry=RNNModel(...)" comment), ' +
    "with rnn_type, ntoken, ninp, nhid and nlayers written out.";
  // Located at the class the example names; the CLI's last word repeats it instead of "no model class was found".
  assert.equal(run.err(), `model.py:8:7: error: ${message} [no-model]\nNo model could be analysed in model.py.\n${message}\n`);
});

test("a factory that builds no model beside a model class that needs arguments: the last word is how to pass the class, not the factory", () => {
  const text = `import torch.nn as nn

class Net(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, 2)

def test():
    net = Net(4)
    print(net)
`;
  const run = fakeIO({ "model.py": text }, (o) => analyze(o));
  assert.equal(runCli(["summary", "model.py"], run.io), 1);
  const message =
    "No model can be built without arguments: the model class Net was found, but it needs constructor arguments (Net: width). " +
    'Pass the call that builds the model, with values for them, as the entry: --entry "Net(...)" (or a "# resgraph: entry=Net(...)" comment), with width written out.';
  assert.equal(
    run.err(),
    `model.py:3:7: error: ${message} [no-model]\nNo model could be analysed in model.py.\nCandidate entries:\n  test()  test() (factory)\n${message}\n`,
  );
});

test("an analyzer crash exits 1 with a sentence", () => {
  const run = fakeIO(files, () => {
    throw new Error("boom");
  });
  assert.equal(runCli(["summary", "model.py"], run.io), 1);
  assert.equal(run.err(), 'ResGraph failed while analysing "model.py" (boom); please report this with the file.\n');
});

test("bad arguments exit 2 with a sentence saying what to do", () => {
  const cases: [string[], string][] = [
    [["summary", "model.py", "--frobnicate"], 'Unknown option "--frobnicate". Run `resgraph --help` for usage.\n'],
    [["graph", "model.py"], 'Unknown command "graph"; the commands are `summary`, `report` and `profile`, e.g. resgraph summary model.py. Run `resgraph --help` for usage.\n'],
    [["summary"], "No FILE given; write e.g. resgraph summary model.py. Run `resgraph --help` for usage.\n"],
    [["summary", "a.py", "b.py"], 'Only one FILE can be summarised at a time, got "a.py" and "b.py".\n'],
    [["summary", "model.py", "--entry"], '--entry needs a Python expression, e.g. --entry "resnet50()".\n'],
    [["summary", "model.py", "--input"], "--input needs a shape, e.g. --input 1,3,224,224.\n"],
    [
      ["summary", "model.py", "--input", "1,3,a"],
      `The --input shape "1,3,a" is not a list of positive integers; write it like --input 1,3,224,224 (several inputs separated by ';').\n`,
    ],
    [["summary", "model.py", "--json=yes"], "--json takes no value; write just --json. Run `resgraph --help` for usage.\n"],
    [["summary", "nope.py"], `Cannot read "nope.py" (ENOENT: no such file or directory, open 'nope.py'); check the path and that the file is readable.\n`],
  ];
  for (const [argv, message] of cases) {
    const run = fakeIO(files, graph());
    assert.equal(runCli(argv, run.io), 2, argv.join(" "));
    assert.equal(run.err(), message);
    assert.equal(run.out(), "");
    assert.equal(run.calls.length, 0);
  }
  const empty = fakeIO(files, graph());
  assert.equal(runCli([], empty.io), 2);
  assert.ok(empty.err().startsWith("No command given. Usage: resgraph summary FILE"));
});

test("--help and --version", () => {
  const help = fakeIO(files, graph());
  assert.equal(runCli(["--help"], help.io), 0);
  assert.ok(help.out().startsWith("Usage: resgraph summary FILE [--entry EXPR] [--input SHAPE] [--json]\n"));
  const version = fakeIO(files, graph());
  assert.equal(runCli(["summary", "model.py", "-V"], version.io), 0);
  assert.equal(version.out(), "resgraph 0.1.0\n");
});

test("shape parsing", () => {
  assert.deepEqual(parseShapes("1,3,224,224"), [[1, 3, 224, 224]]);
  assert.deepEqual(parseShapes(" 1, 3 ,32,32 ; 1,10"), [[1, 3, 32, 32], [1, 10]]);
  assert.deepEqual(parseShapes("[1,3,32,32]"), [[1, 3, 32, 32]]);
  assert.equal(typeof parseShapes("1,0,3"), "string");
  assert.equal(typeof parseShapes("1,,3"), "string");
  assert.equal(typeof parseShapes("1,3;"), "string");
  assert.deepEqual(parseArgs(["summary", "m.py", "--entry=resnet50()"]), {
    kind: "ok",
    command: { kind: "summary", file: "m.py", json: false, entry: "resnet50()" },
  });
});
