import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";

test("functions: defaults, keyword-only, *args/**kwargs both ways, closures, nonlocal, lambdas", () => {
  const r = runPython(`
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, kw)
r1 = f(1, c=3)
r2 = f(1, 5, 6, 7, c=8, e=9)
r3 = f(*[1, 2, 3], **{"c": 0, "z": 1})
def counter():
    n = 0
    def inc(by=1):
        nonlocal n
        n += by
        return n
    return inc
inc = counter()
inc()
inc(5)
r4 = inc()
g = 10
def setg():
    global g
    g = 11
setg()
sq = lambda x, y=1: x * x + y
r5 = (sq(3), sq(3, y=0), g)
def pos_only(a, b, /, c):
    return a + b + c
r6 = pos_only(1, 2, c=3)
`);
  assert.equal(r.get("r1"), "(1, 2, (), 3, 4, {})");
  assert.equal(r.get("r2"), "(1, 5, (6, 7), 8, 4, {'e': 9})");
  assert.equal(r.get("r3"), "(1, 2, (3,), 0, 4, {'z': 1})");
  assert.equal(r.get("r4"), "7");
  assert.equal(r.get("r5"), "(10, 9, 11)");
  assert.equal(r.get("r6"), "6");
  assert.deepEqual(r.diagnostics, []);
});

test("classes: inheritance, class and annotated attributes, super() both forms, properties, decorators", () => {
  const r = runPython(`
def register(tag):
    def deco(cls):
        cls.tag = tag
        return cls
    return deco
class Base:
    expansion: int = 1
    count = 0
    def __init__(self, n):
        self.n = n
    @property
    def double(self):
        return self.n * 2
    @staticmethod
    def s(x): return x + 1
    @classmethod
    def make(cls, n): return cls(n)
@register("blk")
class Block(Base):
    expansion = 4
    def __init__(self, n, extra=0):
        super(Block, self).__init__(n + extra)
class Leaf(Block):
    def __init__(self):
        super().__init__(1, extra=2)
leaf = Leaf()
r1 = (leaf.n, leaf.double, Leaf.expansion, leaf.expansion, Base.expansion, Leaf.tag, Base.s(1), leaf.s(2))
m = Block.make(5)
r2 = (type(m).__name__, isinstance(m, Base), isinstance(m, Leaf), issubclass(Leaf, Base), m.n)
setattr(m, "w", 3)
r3 = (getattr(m, "w"), hasattr(m, "nope"), getattr(m, "nope", "dflt"))
`);
  assert.equal(r.get("r1"), "(3, 6, 4, 4, 1, 'blk', 2, 3)");
  assert.equal(r.get("r2"), "('Block', True, False, True, 5)");
  assert.equal(r.get("r3"), "(3, False, 'dflt')");
  assert.deepEqual(r.diagnostics, []);
});

test("control flow: for/while with else, break/continue, comprehensions, generators, conditional expressions", () => {
  const r = runPython(`
out = []
for i in range(10):
    if i % 2:
        continue
    if i > 6:
        break
    out.append(i)
else:
    out.append("no-break")
n = 0
while n < 3:
    n += 1
else:
    n *= 10
def gen(k):
    for j in range(k):
        yield j * j
r1 = (out, n, list(gen(4)), [x for x in range(3) for y in range(2) if y], {x % 3 for x in range(9)})
r2 = ({k: v for k, v in enumerate("ab")}, sum(x for x in range(5)), "yes" if n > 5 else "no")
r3 = (1 < 2 < 3, 3 > 2 > 2, 1 is 1, None is not None, 2 in [1, 2], "b" not in "abc", not [], [] or [0], 0 and 1)
`);
  assert.equal(r.get("r1"), "([0, 2, 4, 6], 30, [0, 1, 4, 9], [0, 1, 2], {0, 1, 2})");
  assert.equal(r.get("r2"), "({0: 'a', 1: 'b'}, 10, 'yes')");
  assert.equal(r.get("r3"), "(True, False, True, False, True, False, True, [0], 0)");
});

test("numbers and text: division, floor/mod signs, power, banker's rounding, f-strings, str.format, %", () => {
  const r = runPython(`
r1 = (7 / 2, 7 // 2, -7 // 2, -7 % 3, 7 % -3, 2 ** 10, 2 ** -1, 10 / 5, 3 * 1.0)
r2 = (round(0.5), round(1.5), round(2.5), round(-1.5), round(2.675, 2), round(7), int(3.9), int("42"), float("1e-3"), abs(-3))
w = 64
r3 = f"{w}x{w:>5}|{3.14159:.3f}|{1234567:,}|{w!r}|{0.25:.0%}|{w=}"
r4 = "{} {name} {0} {x[1]}".format(5, name="n", x=[1, 2]) + " %d-%s-%.1f" % (3, "a", 2.25)
r5 = ("a,b,c".split(","), "-".join(["x", "y"]), "Conv".lower(), "abc"[::-1], "abcdef"[1:4], [1, 2, 3, 4][-2:])
r6 = (min(3, 1, 2), max([1, 5, 2]), sum([1, 2, 3], 10), sorted([3, 1, 2], reverse=True), len({"a": 1}), divmod(7, 2))
`);
  assert.equal(r.get("r1"), "(3.5, 3, -4, 2, -2, 1024, 0.5, 2.0, 3.0)");
  assert.equal(r.get("r2"), "(0, 2, 2, -2, 2.67, 7, 3, 42, 0.001, 3)");
  assert.equal(r.get("r3"), "'64x   64|3.142|1,234,567|64|25%|w=64'");
  assert.equal(r.get("r4"), "'5 n 5 2 3-a-2.2'");
  assert.equal(r.get("r5"), "(['a', 'b', 'c'], 'x-y', 'conv', 'cba', 'bcd', [3, 4])");
  assert.equal(r.get("r6"), "(1, 5, 16, [3, 2, 1], 1, (3, 1))");
});

test("containers: unpacking, star targets, ** spreads, slicing assignment, dict methods", () => {
  const r = runPython(`
a, (b, c), *rest = 1, (2, 3), 4, 5
first, *mid, last = range(5)
d = {"x": 1, **{"y": 2}}
d.update(z=3)
lst = [0, 1, 2, 3]
lst[1:3] = [9]
t = (*lst, *d)
r1 = (a, b, c, rest, first, mid, last, d, lst, t, d.get("q", 0), list(d.items())[0])
`);
  assert.equal(r.get("r1"), "(1, 2, 3, [4, 5], 0, [1, 2, 3], 4, {'x': 1, 'y': 2, 'z': 3}, [0, 9, 3], (0, 9, 3, 'x', 'y', 'z'), 0, ('x', 1))");
});

test("set methods: subset and superset tests, difference, several arguments, remove of a missing item", () => {
  // torchvision's IntermediateLayerGetter checks set(return_layers).issubset(names) before building.
  const r = runPython(`
a = {1, 2, 3}
b = {2, 3, 4}
r1 = (set([2, 3]).issubset(a), a.issubset(b), a.issuperset([1, 2]), a.isdisjoint({7}), a.isdisjoint(b))
r2 = (sorted(a.difference(b)), sorted(a.difference(b, {1})), sorted(a.symmetric_difference(b)), sorted(a.union(b, [9])), sorted(a.intersection(b, [3])))
s = set(a)
s.update([5], (6,))
r3 = (sorted(s), len({1, 2}.copy()))
s.remove(42)
`);
  assert.equal(r.get("r1"), "(True, False, True, True, False)");
  assert.equal(r.get("r2"), "([1], [], [1, 4], [1, 2, 3, 4, 9], [3])");
  assert.equal(r.get("r3"), "([1, 2, 3, 5, 6], 2)");
  assert.deepEqual(r.diagnostics.map((d) => [d.range.start.line + 1, d.message]), [[9, "KeyError: 42 (line 9). The statement was skipped."]]);
});

test("collections.defaultdict calls its factory for a missing key; get() and plain dicts do not", () => {
  const r = runPython(`
from collections import defaultdict
groups = defaultdict(list)
for name, stage in [("a", 1), ("b", 2), ("c", 1)]:
    groups[stage].append(name)
counts = defaultdict(int, {"x": 5})
counts["y"] += 1
r1 = (dict(groups), dict(counts), groups.get(9), len(groups))
`);
  assert.equal(r.get("r1"), "({1: ['a', 'c'], 2: ['b']}, {'x': 5, 'y': 1}, None, 2)");
  assert.deepEqual(r.diagnostics, []);
});

test("what timm's module-level code uses: dir(), deque, sys.modules, dataclasses.replace/asdict, math.comb", () => {
  const r = runPython(`
import sys
import math
from collections import deque
from dataclasses import dataclass, field, replace, asdict, astuple, is_dataclass
from math import comb, no_such_function

class Base:
    width = 1
class Net(Base):
    def __init__(self):
        self.depth = 2
names = (sorted(n for n in dir(Net()) if not n.startswith("_")), "sqrt" in dir(math))

q = deque([2, 3])
q.appendleft(1)
q.extendleft([0, -1])
first = q.popleft()
q.rotate(1)

@dataclass
class Inner:
    k: int = 3
@dataclass
class Cfg:
    in_chans: int = 1
    num_classes: int = 10
    inner: Inner = field(default_factory=Inner)
    tags: list = field(default_factory=list)

cfg = replace(Cfg(), in_chans=3)
default_cfgs = {"net": 1}
def register(fn):
    return sys.modules[fn.__module__].default_cfgs[fn.__name__]
def net():
    return 0
registered = register(net)
r1 = (names, list(q), first, asdict(cfg), astuple(Inner()), is_dataclass(cfg), is_dataclass(3), registered, "math" in sys.modules, comb(5, 2), math.comb(10, 3), math.perm(5, 2), math.isqrt(17), math.lcm(4, 6))
unknown_fn = no_such_function
`);
  assert.equal(
    r.get("r1"),
    "((['depth', 'width'], True), [3, 0, 1, 2], -1, {'in_chans': 3, 'num_classes': 10, 'inner': {'k': 3}, 'tags': []}, (3,), True, False, 1, True, 10, 120, 20, 4, 12)",
  );
  assert.equal(r.get("unknown_fn"), "<unknown>");
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.message]), [["info", "'no_such_function' of module 'math' is not modelled by the analyzer; values taken from it are unknown."]]);
});

test("what timm's builders use: re, enum members, functools.partial objects, numbers/types checks, __init_subclass__", () => {
  const r = runPython(`
import re, functools, numbers, types
from enum import Enum, auto
import mystery

blocks = [re.split(r'(\\d.*)', op) for op in 'ir_r2_k3_s2_e6_c24_se0.25'.split('_')]
m = re.match(r'(?P<name>[a-z]+)(\\d+)', 'conv12x')
regex = (m.group('name'), m.groups(), re.findall(r'(\\w)(\\d)', 'a1b2'), re.sub(r'(\\d+)', r'<\\1>', 'a12b3'), re.fullmatch('a', 'ab'))

class Format(str, Enum):
    NCHW = 'NCHW'
    NHWC = 'NHWC'
class Color(Enum):
    RED = auto()
    GREEN = auto()
fmt = Format('NHWC')
enums = (fmt is Format.NHWC, fmt == 'NHWC', 'NHWC' == fmt, fmt != Format.NCHW, fmt.name, Color.GREEN.value, Color(1) is Color.RED, Color.RED == 1)

class Registry:
    seen = []
    def __init_subclass__(cls, tag=None, **kwargs):
        Registry.seen.append((cls.__name__, tag))
class A(Registry, tag="a"):
    pass
class B(A):
    pass

p = functools.partial(int, base=2)
q = functools.partial(p, "101")
def f():
    pass
checks = (Registry.seen, isinstance(p, functools.partial), p.func is int, p.keywords, q(), q.args,
          isinstance(3, numbers.Integral), isinstance(3.0, numbers.Integral), isinstance(3.0, numbers.Real), isinstance(f, types.FunctionType))
open_question = isinstance(3, mystery.Thing)
`);
  assert.equal(r.get("blocks"), "[['ir'], ['r', '2', ''], ['k', '3', ''], ['s', '2', ''], ['e', '6', ''], ['c', '24', ''], ['se', '0.25', '']]");
  assert.equal(r.get("regex"), "('conv', ('conv', '12'), [('a', '1'), ('b', '2')], 'a<12>b<3>', None)");
  assert.equal(r.get("enums"), "(True, True, True, True, 'NHWC', 2, True, False)");
  assert.equal(r.get("checks"), "([('A', 'a'), ('B', None)], True, True, {'base': 2}, 5, ('101',), True, False, True, True)");
  // A class the analyzer cannot know does not answer False.
  assert.equal(r.get("open_question"), "<unknown>");
});

test("stdlib: math, functools.partial, copy.deepcopy, collections, typing", () => {
  const r = runPython(`
import math
import copy
from functools import partial, reduce
from collections import OrderedDict, namedtuple
from typing import List, Optional
def conv(cin, cout, k=3, bias=True):
    return (cin, cout, k, bias)
conv1 = partial(conv, k=1, bias=False)
P = namedtuple("P", ["a", "b"])
p = P(1, b=2)
src = {"l": [1, [2]]}
dup = copy.deepcopy(src)
dup["l"][1].append(3)
od = OrderedDict([("a", 1), ("b", 2)])
def typed(x: List[int], y: Optional[int] = None) -> int:
    return len(x)
r1 = (math.ceil(7 / 2), math.floor(-0.5), math.sqrt(16), math.prod([2, 3, 4]), math.gcd(12, 18), round(math.pi, 4))
r2 = (conv1(8, 16), reduce(lambda x, y: x * y, [1, 2, 3, 4]), p.a, p.b, src, dup, list(od.keys()), typed([1, 2]))
`);
  assert.equal(r.get("r1"), "(4, -1, 4.0, 24, 6, 3.1416)");
  assert.equal(r.get("r2"), "((8, 16, 1, False), 24, 1, 2, {'l': [1, [2]]}, {'l': [1, [2, 3]]}, ['a', 'b'], 2)");
});

test("exceptions: try/except/else/finally, raise inside a function becomes a diagnostic, assert, with", () => {
  const r = runPython(`
log = []
try:
    raise KeyError("k")
except (TypeError, KeyError) as e:
    log.append("caught")
else:
    log.append("else")
finally:
    log.append("finally")
try:
    x = 1
except Exception:
    pass
else:
    log.append("else2")
class Ctx:
    def __enter__(self):
        log.append("enter")
        return 5
    def __exit__(self, *a):
        log.append("exit")
with Ctx() as v:
    log.append(v)
def check(n):
    if n != 64:
        raise ValueError(f"expected 64 channels, got {n}")
    return n
check(128)
assert 1 + 1 == 3, "math is broken"
after = "ran"
`);
  assert.equal(r.get("log"), "['caught', 'finally', 'else2', 'enter', 5, 'exit']");
  assert.equal(r.get("after"), "'ran'");
  const msgs = r.diagnostics.map((d) => `${d.range.start.line + 1}:${d.severity}:${d.message}`);
  assert.deepEqual(msgs, [
    // At the raise itself, as the last line of a Python traceback.
    "27:error:ValueError raised at line 27: expected 64 channels, got 128.",
    "30:error:AssertionError raised at line 30: math is broken.",
  ]);
});

test("__name__ is not '__main__', so a script's main block is skipped", () => {
  const r = runPython(`
ran = False
if __name__ == "__main__":
    ran = True
`);
  assert.equal(r.get("ran"), "False");
});

test("unknown names skip only the statement that needed them, with a located diagnostic", () => {
  const r = runPython(`a = 1
b = undefined_thing(3)
c = a + 1
`);
  assert.equal(r.get("b"), "<unknown>", "the skipped assignment leaves b unknown, not stale or undefined");
  assert.equal(r.get("c"), "2");
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.code, "unknown-name");
  assert.equal(d.message, "Name 'undefined_thing' is not defined (line 2). The statement was skipped.");
  assert.deepEqual(d.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 19 } });
});

test("unknown modules give unknown values, and a branch on one is skipped, never guessed", () => {
  const r = runPython(`import scipy.special as sp
n = sp.comb(4, 2)
if n > 3:
    big = True
done = True
`);
  assert.equal(r.get("n"), "<unknown>");
  // The branch might have run: what it binds is unknown, not missing and not guessed.
  assert.equal(r.get("big"), "<unknown>");
  assert.equal(r.get("done"), "True");
  assert.deepEqual(r.diagnostics.map((d) => d.code), ["unknown-module", "unknown-value"]);
});

test("what a skipped statement would have written is unknown: an appended item, a list filled in a skipped loop, a with target", () => {
  const r = runPython(`import numpy as np
n = len(np.load("labels.npy"))
head = [1, 2]
head.append(list(range(n)))
with open("data.txt") as f:
    lines = f.read()
pairs = []
for line in lines:
    pairs.append(line)
counts = {"a": 1}
for line in lines:
    counts[line] = 1
size = len(head)
`);
  // The append ran in the real program: the list has three items, the last one unknown.
  assert.equal(r.get("head"), "[1, 2, <unknown>]");
  assert.equal(r.get("size"), "3");
  for (const name of ["f", "lines", "pairs", "line", "counts"]) assert.equal(r.get(name), "<unknown>", name);
  // One warning per cause; the statements that only inherit it say so as information.
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.code]),
    [[4, "unknown-value"], [5, "unsupported"]],
  );
});

test("while True and runaway recursion end with diagnostics instead of hanging", () => {
  const r = runPython(`x = 0
while True:
    x += 1
def f(n):
    return f(n + 1)
y = f(0)
after = 1
`, { stepBudget: 20000 });
  assert.equal(r.get("after"), "1");
  const codes = r.diagnostics.map((d) => d.code);
  assert.equal(codes[0], "budget");
  assert.match(r.diagnostics[0].message, /^Analysis stopped after 20,000 steps \(line 3\)/);
  assert.ok(codes.includes("recursion"), codes.join());
});

test("relative imports of workspace files, with 'from . import x' and 'from .x import y'", () => {
  const r = runPython(`from .blocks import double
from . import blocks
import pkg.helpers as h
r = (double(2), blocks.TRIPLE(2), h.K)
`, {
    file: "proj/main.py",
    files: {
      "proj/blocks.py": "def double(x):\n    return 2 * x\ndef TRIPLE(x):\n    return 3 * x\n",
      "proj/pkg/helpers.py": "K = 7\n",
    },
  });
  assert.equal(r.get("r"), "(4, 6, 7)");
  assert.deepEqual(r.diagnostics, []);
});

test("'from ..x import y' climbs to the parent package, also from a bare relative file name", () => {
  const files = { "ops/misc.py": "def make(n):\n    return n + 1\n", "pkg/ops/misc.py": "def make(n):\n    return n + 2\n" };
  const code = "from ..ops.misc import make\nr = make(1)\n";
  // "net.py" run from its own folder: the parent package is "..", not "." again.
  assert.equal(runPython(code, { file: "net.py", files: { "../ops/misc.py": files["ops/misc.py"] } }).get("r"), "2");
  assert.equal(runPython(code, { file: "pkg/models/net.py", files }).get("r"), "3");
});

test("isinstance and issubclass with collections.abc and typing's abstract types", () => {
  const r = runPython(`
import collections
import collections.abc
from collections.abc import Mapping
from typing import Sequence, List, Callable, Optional, Iterable
class It:
    def __iter__(self):
        return iter([])
class Fn:
    def __call__(self):
        return 1
seq = (isinstance([1], Sequence), isinstance((1,), Sequence), isinstance("a", Sequence), isinstance(3, Sequence), isinstance({}, Sequence))
other = (isinstance({}, Mapping), isinstance([1], collections.abc.Sequence), isinstance([1], List), isinstance((1,), List))
hooks = (isinstance(len, Callable), isinstance(Fn(), Callable), isinstance(3, Callable), isinstance(It(), Iterable), isinstance(3, Iterable))
sub = (issubclass(list, collections.abc.Sequence), issubclass(It, Iterable), issubclass(int, Mapping))
def f(x: Optional[Sequence[int]] = None, g: Callable[..., int] = len) -> List[int]:
    return [1]
s = f()
`);
  assert.equal(r.get("seq"), "(True, True, True, False, False)");
  assert.equal(r.get("other"), "(True, True, True, False)");
  assert.equal(r.get("hooks"), "(True, True, False, True, False)");
  assert.equal(r.get("sub"), "(True, True, False)");
  assert.equal(r.get("s"), "[1]");
  assert.deepEqual(r.diagnostics, []);
});

test("a generator expression as the only argument may unpack tuples: next(i for i, x in ...)", () => {
  const r = runPython(`
xs = [1, 2, 8, 9]
first = next(i for i, x in enumerate(xs) if x > 2)
total = sum(i * x for i, x in enumerate(xs))
pairs = list((a, b) for a, b in zip(xs, xs[1:]))
`);
  assert.equal(r.get("first"), "2");
  assert.equal(r.get("total"), "45");
  assert.equal(r.get("pairs"), "[(1, 2), (2, 8), (8, 9)]");
  assert.deepEqual(r.diagnostics, []);
});

test("functools.wraps gives the wrapper the wrapped function's name; modules and instances know __module__", () => {
  const r = runPython(`
import functools
REGISTRY = {}
def register(fn):
    if fn.__name__ in REGISTRY:
        raise ValueError("already registered: " + fn.__name__)
    REGISTRY[fn.__name__] = fn
    return fn
def legacy(builder):
    @functools.wraps(builder)
    def wrapper(*a, **k):
        return builder(*a, **k)
    return wrapper
@register
@legacy
def small():
    return 1
@register
@legacy
def large():
    return 2
class C:
    pass
names = (sorted(REGISTRY), large(), large.__wrapped__.__name__, C().__module__ == __name__, small.__module__ == __name__)
`);
  assert.equal(r.get("names"), "(['large', 'small'], 2, 'large', True, True)");
  assert.deepEqual(r.diagnostics, []);
});

test("inspect.signature: parameter names, kinds and defaults (torchvision's keyword-only shim)", () => {
  const r = runPython(`
import inspect
import enum
def build(width, *, weights=None, progress=True, **kwargs):
    return width
params = inspect.signature(build).parameters
start = next(i for i, p in enumerate(params.values()) if p.kind == p.KEYWORD_ONLY)
names = tuple(params)
default = params["progress"].default
empty = params["width"].default is inspect.Parameter.empty
class Meta(enum.EnumMeta):
    pass
import functools
def shim(fn):
    @functools.wraps(fn)
    def inner(*args, **kwargs):
        return fn(*args, **kwargs)
    return inner
wrapped_names = tuple(inspect.signature(shim(build)).parameters)
`);
  assert.equal(r.get("wrapped_names"), "('width', 'weights', 'progress', 'kwargs')");
  assert.equal(r.get("start"), "1");
  assert.equal(r.get("names"), "('width', 'weights', 'progress', 'kwargs')");
  assert.equal(r.get("default"), "True");
  assert.equal(r.get("empty"), "True");
  assert.deepEqual(r.diagnostics, []);
});

test("@dataclass: __init__ over annotated fields (bases first), defaults, field(default_factory=...), __post_init__", () => {
  const r = runPython(`
from dataclasses import dataclass, field
from typing import List

@dataclass
class Base:
    channels: int
    expand: float = 1.0

    @staticmethod
    def adjust(c, m):
        return int(c * m)

@dataclass
class Cfg(Base):
    layers: List[int] = field(default_factory=list)
    name: str = "cfg"
    def __post_init__(self):
        self.total = self.channels * len(self.layers)

class Custom(Base):
    def __init__(self, c, mult=2.0):
        super().__init__(self.adjust(c, mult))

a = Cfg(8, 2.0, [1, 2, 3])
b = Cfg(4, layers=[1])
c = Custom(8)
r = (a.channels, a.expand, a.layers, a.total, a.name, b.expand, b.total, c.channels, c.expand, isinstance(c, Base))
`);
  assert.equal(r.get("r"), "(8, 2.0, [1, 2, 3], 24, 'cfg', 1.0, 4, 16, 1.0, True)");
  assert.deepEqual(r.diagnostics, []);
});

test("__doc__ is a function's docstring; functions and builtins have __class__; modules have __dict__", () => {
  const r = runPython(`
import math
def f():
    """Builds a model."""
    return 1
def g():
    return 2
r = (f.__doc__, g.__doc__, f.__class__.__name__, len.__class__.__name__, "sqrt" in math.__dict__)
`);
  assert.equal(r.get("r"), "('Builds a model.', None, 'function', 'builtin_function_or_method', True)");
});

test("numpy for schedules and sizes: linspace, arange, prod, cumsum, ceil, round; arrays are lists", () => {
  const r = runPython(`
import numpy as np
rates = [float(x) for x in np.linspace(0.0, 0.3, 4)]
ids = np.arange(3).tolist()
size = int(np.prod((1, 3, 32, 32)))
stages = np.cumsum([3, 4, 6, 3]).tolist()
up = int(np.ceil(10 / 4))
half = (np.round(2.5), np.round(3.5), np.sqrt(16.0))
`);
  // numpy's own floats: start + i * (stop - start) / (num - 1), the last one exactly stop.
  assert.equal(r.get("rates"), "[0.0, 0.09999999999999999, 0.19999999999999998, 0.3]");
  assert.equal(r.get("ids"), "[0, 1, 2]");
  assert.equal(r.get("size"), "3072");
  assert.equal(r.get("stages"), "[3, 7, 13, 16]");
  assert.equal(r.get("up"), "3");
  assert.equal(r.get("half"), "(2.0, 4.0, 4.0)");
  assert.deepEqual(r.diagnostics, []);
});

test("names a skipped statement would bind become unknown: one diagnostic for the cause, not one per use", () => {
  const r = runPython(`
config = {"depth": 18}
(x_train, y_train), _ = config["dataset"]
width = config["width"] * 2
def build():
    blocks, stem = config["blocks"], 64
    return len(blocks) + stem
n = len(x_train) + width
ok = True
size = build()
`);
  assert.equal(r.get("x_train"), "<unknown>");
  assert.equal(r.get("n"), "<unknown>");
  assert.equal(r.get("ok"), "True");
  assert.equal(r.get("size"), "<unknown>");
  // One KeyError per failed statement (the module-level two and the one inside build()), nothing for later uses.
  assert.deepEqual(r.diagnostics.map((d) => d.code), ["key", "key", "key"]);
});

test("type(name, bases, namespace) makes a class like a class statement", () => {
  const r = runPython(`
class Base:
    width = 8
    def double(self):
        return self.width * 2
Wide = type("Wide", (Base,), {"width": 32})
w = Wide()
r = (Wide.__name__, issubclass(Wide, Base), isinstance(w, Base), w.double(), type("Plain", (), {})().__class__.__name__)
`);
  assert.equal(r.get("r"), "('Wide', True, True, 64, 'Plain')");
  assert.deepEqual(r.diagnostics, []);
});

test("a package module analysed as the main file: its package's __init__ importing it back gets a module, as `python -m` does", () => {
  const model = `from . import helper
def build():
    return helper.WIDTH * 2
n = build()
`;
  const r = runPython(model, {
    file: "pkg/model.py",
    files: { "pkg/__init__.py": "from . import helper, model\nfrom .model import build\n", "pkg/helper.py": "WIDTH = 4\n", "pkg/model.py": model },
  });
  assert.equal(r.get("n"), "8");
  assert.deepEqual(r.diagnostics, []);
});

test("typing's abstract types are collections.abc's; np.arange with a float step has numpy's length", () => {
  const r = runPython(`
import collections.abc
import typing
import numpy as np
class Cfg(collections.abc.Mapping):
    pass
r = (isinstance(Cfg(), typing.Mapping), typing.Sequence is collections.abc.Sequence, len(np.arange(0, 1, 0.1)), np.arange(1, 2, 0.25).tolist())
`);
  assert.equal(r.get("r"), "(True, True, 10, [1.0, 1.25, 1.5, 1.75])");
});

test("floats print as Python's repr: exponent form when the exponent is below -4 or at least 16", () => {
  const r = runPython(`a = str(1e-05)
b = f"{1e-05}"
c = repr(0.0001)
d = str(1e16)
e = str(1234567890123456.0)
f = str(-1.5e-7)
g = str(2.5e300)
h = str(-0.0)
i = f"lr={3e-4}"
`);
  assert.deepEqual(["a", "b", "c", "d", "e", "f", "g", "h", "i"].map((n) => r.get(n)), ["'1e-05'", "'1e-05'", "'0.0001'", "'1e+16'", "'1234567890123456.0'", "'-1.5e-07'", "'2.5e+300'", "'-0.0'", "'lr=0.0003'"]);
});
