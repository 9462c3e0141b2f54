// argparse in training scripts: parse_args() cannot see the command line, so it gives the parser's
// defaults (converted as argparse converts them) and says so once; a given list is parsed; an argument
// without a default is an unknown that names it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";
import { analyze } from "../../src/analyze";

test("parse_args() without arguments gives the defaults, as argparse computes them, and says so once per parser", () => {
  const r = runPython(`
import argparse
parser = argparse.ArgumentParser(description='x')
parser.add_argument('--nz', type=int, default=100)
parser.add_argument('--lr', type=float, default='0.5')
parser.add_argument('--image-size', '-s', type=int, default='64')
parser.add_argument('--cuda', action='store_true')
parser.add_argument('--no-aug', dest='aug', action='store_false')
parser.add_argument('-v', '--verbose', action='count')
parser.add_argument('--sizes', nargs='+', type=int, default=[1, 2])
parser.add_argument('--dataset', required=True)
g = parser.add_argument_group('model')
g.add_argument('--arch', default='resnet')
sub = parser.add_subparsers(dest='cmd')
sub.add_parser('train').add_argument('--epochs', type=int, default=3)
parser.set_defaults(seed=7)
opt = parser.parse_args()
r1 = (opt.nz, opt.lr, opt.image_size, opt.cuda, opt.aug, opt.verbose, opt.sizes, opt.arch, opt.cmd, opt.seed, hasattr(opt, 'help'))
ns, rest = parser.parse_known_args()
r2 = rest
dataset = opt.dataset
`);
  assert.equal(r.get("r1"), "(100, 0.5, 64, False, True, None, [1, 2], 'resnet', None, 7, False)");
  assert.equal(r.get("r2"), "[]");
  assert.equal(r.get("dataset"), "<unknown>");
  assert.deepEqual(
    r.diagnostics.map((d) => [d.severity, d.range.start.line + 1, d.message]),
    [
      ["info", 17, "The command line is not known to the analyzer: parse_args() gives the defaults of the parser made at line 3 (nz=100, lr=0.5, image_size=64, cuda=False, aug=True, verbose=None and 3 more)."],
    ],
  );
});

test("sys.argv is a script run without arguments, and parse_args(sys.argv[1:]) says it gives the defaults as parse_args() does", () => {
  const code = `
import argparse
import sys

def get_args(argv):
    parser = argparse.ArgumentParser(description="MLP")
    parser.add_argument("--hidden", type=int, default=64)
    return parser.parse_args(argv)

args = get_args(sys.argv[1:])
explicit = get_args([])
seen = (list(sys.argv), args.hidden, explicit.hidden, len(sys.argv[:1]))
sys.argv.append("--hidden=3")
`;
  const r = runPython(code, { file: "train.py" });
  assert.equal(r.get("seen"), "(['train.py'], 64, 64, 1)");
  // Only the call on the command line says so: an explicit [] asks for the defaults.
  assert.deepEqual(
    r.diagnostics.map((d) => [d.severity, d.range.start.line + 1, d.code, d.message]),
    [["info", 8, "command-line", "The command line is not known to the analyzer: parse_args() gives the defaults of the parser made at line 6 (hidden=64)."]],
  );
  // What one analysis appends to sys.argv stays in it.
  assert.equal(runPython("import sys\nargv = sys.argv", { file: "other.py" }).get("argv"), "['other.py']");
});

test("a given list of strings is parsed as argparse parses it", () => {
  const r = runPython(`
import argparse
parser = argparse.ArgumentParser()
parser.add_argument('--nz', type=int, default=100)
parser.add_argument('--cuda', action='store_true')
parser.add_argument('-v', '--verbose', action='count')
parser.add_argument('--sizes', nargs='+', type=int, default=[1, 2])
parser.add_argument('--dataset', required=True)
parser.add_argument('--architecture', default='resnet')
ns, rest = parser.parse_known_args(['--nz', '3', '--cuda', '-vv', '-v', '--sizes', '4', '5', '--dataset=cifar', '--arch', 'vgg', '--extra'])
r1 = (ns.nz, ns.cuda, ns.verbose, ns.sizes, ns.dataset, ns.architecture, rest)
p2 = argparse.ArgumentParser()
p2.add_argument('data')
p2.add_argument('out', nargs='?', default='o.txt')
p2.add_argument('-s', type=int, default=2)
a2 = p2.parse_args('in.txt -s3'.split())
r2 = (vars(a2), repr(argparse.Namespace(a=1, b='x')))
try:
    p2.parse_args([])
except SystemExit as e:
    r3 = str(e)
`);
  assert.equal(r.get("r1"), "(3, True, 3, [4, 5], 'cifar', 'vgg', ['--extra'])");
  assert.equal(r.get("r2"), `({'data': 'in.txt', 'out': 'o.txt', 's': 3}, "Namespace(a=1, b='x')")`);
  assert.equal(r.get("r3"), "'the following arguments are required: data'");
  assert.deepEqual(r.diagnostics, []);
});

test("a generator sized from argparse defaults builds (pytorch/examples dcgan)", () => {
  const text = `import argparse
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument('--nz', type=int, default=100)
parser.add_argument('--ngf', type=int, default=64)
opt = parser.parse_args()
nz = int(opt.nz)
ngf = int(opt.ngf)

class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 8),
            nn.ReLU(True),
        )
    def forward(self, x):
        return self.main(x)

netG = G()
`;
  const r = analyze({ file: "main.py", text, entry: "netG", input: [[1, 100, 1, 1]] });
  // ConvTranspose2d 100*512*4*4 = 819,200; BatchNorm2d 2*512 = 1,024.
  assert.equal(r.ir!.paramTotals.params, 820_224);
  assert.deepEqual(r.ir!.nodes.find((n) => n.id === r.ir!.outputs[0])!.shape, [1, 512, 4, 4]);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.severity, d.range.start.line + 1, d.message]),
    [["info", 7, "The command line is not known to the analyzer: parse_args() gives the defaults of the parser made at line 4 (nz=100, ngf=64)."]],
  );
});
