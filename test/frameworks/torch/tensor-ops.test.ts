import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeContext } from "../../helpers/fake-context";
import { type Value, NONE, float, int, list, str, tuple } from "../../../src/interp/values";
import { tensorProtocol } from "../../../src/interp/tensor-protocol";
import { asTensor, fn, input, kw, layer, nnClass, nodeOf } from "./torch-test-kit";

const P = () => tensorProtocol("pytorch")!;
const method = (ctx: ReturnType<typeof fakeContext>, t: Value, name: string, args: Value[] = [], kwargs: Record<string, Value> = {}) =>
  ctx.call(P().attr(ctx, asTensor(t), name)!, args, kw(kwargs));
const shapeOf = (v: Value) => asTensor(v).shape;

test("broadcasting add: merge node with the broadcast shape; scalars make math nodes", () => {
  const ctx = fakeContext();
  const x = input(ctx, [1, 64, 56, 56]);
  const s = input(ctx, [1, 64, 1, 1], "s");
  const y = P().binary(ctx, "+", x, s, false)!;
  assert.deepEqual([nodeOf(ctx.nodes, y).category, shapeOf(y)], ["merge", [1, 64, 56, 56]]);
  const m = P().binary(ctx, "*", x, s, false)!;
  assert.deepEqual([nodeOf(ctx.nodes, m).op, nodeOf(ctx.nodes, m).category], ["mul", "math"]);
  const half = P().binary(ctx, "*", float(0.5), x, false)!;
  assert.deepEqual(nodeOf(ctx.nodes, half).attrs, { scalar: 0.5, reversed: true });
  assert.deepEqual(shapeOf(P().binary(ctx, "-", input(ctx, [3, 1]), input(ctx, [4]), false)!), [3, 4]);
  assert.equal(P().binary(ctx, "+", x, str("a"), false), undefined);
  assert.deepEqual(ctx.messages, []);
});

test("incompatible shapes give an error naming both, and the left shape", () => {
  const ctx = fakeContext();
  const y = P().binary(ctx, "+", input(ctx, [1, 64, 56, 56]), input(ctx, [1, 128, 28, 28]), false)!;
  assert.deepEqual(shapeOf(y), [1, 64, 56, 56]);
  assert.deepEqual(ctx.messages, ["error: Cannot add tensors of shapes [1, 64, 56, 56] and [1, 128, 28, 28]: they do not broadcast."]);
});

test("view/reshape infer -1, and a bad view is reported", () => {
  const ctx = fakeContext();
  const x = input(ctx, [2, 3, 4]);
  assert.deepEqual(shapeOf(method(ctx, x, "view", [int(-1)])), [24]);
  const v = method(ctx, x, "view", [method(ctx, x, "size", [int(0)]), int(-1)]);
  assert.deepEqual(shapeOf(v), [2, 12]);
  assert.deepEqual([nodeOf(ctx.nodes, v).op, nodeOf(ctx.nodes, v).category], ["view", "reshape"]);
  assert.deepEqual(shapeOf(method(ctx, x, "reshape", [tuple([int(4), int(-1)])])), [4, 6]);
  assert.deepEqual(shapeOf(method(ctx, x, "view", [int(2), int(3), int(4)])), [2, 3, 4]);
  method(ctx, x, "view", [int(5), int(-1)]);
  assert.deepEqual(ctx.messages, ["error: Cannot view a tensor of shape [2, 3, 4] to [5, -1]: shape [5, -1] is invalid for input of size 24."]);
});

test("shape, size, dim, numel answer without nodes; unknown dims are unknown values", () => {
  const ctx = fakeContext();
  const x = input(ctx, [null, 3, 8]);
  const before = ctx.nodes.length;
  const shape = P().attr(ctx, x, "shape")!;
  assert.equal(shape.kind, "tuple");
  assert.deepEqual(shape.kind === "tuple" && shape.items.map((d) => d.kind), ["unknown", "int", "int"]);
  assert.deepEqual(method(ctx, x, "size", [int(-1)]), int(8));
  assert.deepEqual(method(ctx, x, "dim"), int(3));
  assert.equal(method(ctx, x, "numel").kind, "unknown");
  assert.equal(ctx.nodes.length, before);
  assert.equal(method(ctx, x, "contiguous"), x);
});

test("flatten, permute, transpose, (un)squeeze, mean and chunk", () => {
  const ctx = fakeContext();
  const x = input(ctx, [2, 3, 4, 5]);
  assert.deepEqual(shapeOf(method(ctx, x, "flatten", [int(1)])), [2, 60]);
  assert.deepEqual(shapeOf(ctx.call(fn("torch", "flatten"), [x, int(1)])), [2, 60]);
  assert.deepEqual(shapeOf(ctx.call(fn("torch", "flatten"), [x])), [120]);
  assert.deepEqual(shapeOf(method(ctx, x, "permute", [int(0), int(2), int(3), int(1)])), [2, 4, 5, 3]);
  assert.deepEqual(shapeOf(method(ctx, x, "transpose", [int(1), int(-1)])), [2, 5, 4, 3]);
  assert.deepEqual(shapeOf(method(ctx, x, "unsqueeze", [int(1)])), [2, 1, 3, 4, 5]);
  assert.deepEqual(shapeOf(method(ctx, method(ctx, x, "mean", [tuple([int(2), int(3)])], { keepdim: { kind: "bool", v: true } }), "squeeze")), [2, 3]);
  assert.deepEqual(shapeOf(method(ctx, x, "mean", [tuple([int(-2), int(-1)])])), [2, 3]);
  const parts = method(ctx, x, "chunk", [int(2)], { dim: int(2) });
  assert.deepEqual(parts.kind === "tuple" && parts.items.map(shapeOf), [[2, 3, 2, 5], [2, 3, 2, 5]]);
  const odd = method(ctx, x, "chunk", [int(2)], { dim: int(-1) });
  assert.deepEqual(odd.kind === "tuple" && odd.items.map(shapeOf), [[2, 3, 4, 3], [2, 3, 4, 2]]);
});

test("indexing: ints drop dims, slices narrow, None inserts, Ellipsis skips", () => {
  const ctx = fakeContext();
  const x = input(ctx, [2, 197, 768]);
  const sl = (start: Value, stop: Value) => ({ kind: "slice" as const, start, stop, step: NONE });
  assert.deepEqual(shapeOf(P().getItem(ctx, x, tuple([sl(NONE, NONE), int(0)]))), [2, 768]);
  assert.deepEqual(shapeOf(P().getItem(ctx, x, tuple([sl(NONE, NONE), sl(int(1), NONE)]))), [2, 196, 768]);
  assert.deepEqual(shapeOf(P().getItem(ctx, x, tuple([{ kind: "ellipsis" }, NONE]))), [2, 197, 768, 1]);
  assert.deepEqual(shapeOf(P().getItem(ctx, x, int(0))), [197, 768]);
});

test("in-place += is an add with inplace attrs; @ is a matmul with batched MACs", () => {
  const ctx = fakeContext();
  const a = input(ctx, [2, 3, 4]);
  const y = P().binary(ctx, "+", a, a, true)!;
  assert.deepEqual(nodeOf(ctx.nodes, y).attrs, { inplace: true });
  const mm = P().binary(ctx, "@", a, input(ctx, [4, 5]), false)!;
  assert.deepEqual(shapeOf(mm), [2, 3, 5]);
  assert.equal(nodeOf(ctx.nodes, mm).macs, 2 * 3 * 5 * 4);
  const bad = ctx.call(fn("torch", "matmul"), [a, input(ctx, [3, 5])]);
  assert.deepEqual(shapeOf(bad), [2, 3, 5]);
  assert.deepEqual(ctx.messages, ["error: Cannot matmul tensors of shapes [2, 3, 4] and [3, 5]: mat1 and mat2 shapes cannot be multiplied ([2, 3, 4] and [3, 5])."]);
});

test("torch.cat sums the dim and checks the others; torch.stack adds one; factories make input nodes", () => {
  const ctx = fakeContext();
  const a = input(ctx, [1, 64, 28, 28]);
  const b = input(ctx, [1, 32, 28, 28]);
  const c = ctx.call(fn("torch", "cat"), [list([a, b])], kw({ dim: int(1) }));
  assert.deepEqual([shapeOf(c), nodeOf(ctx.nodes, c).op, nodeOf(ctx.nodes, c).category], [[1, 96, 28, 28], "cat", "merge"]);
  ctx.call(fn("torch", "cat"), [tuple([a, input(ctx, [1, 64, 14, 14])])], kw({ dim: int(1) }));
  assert.deepEqual(ctx.messages, ["error: Cannot concatenate tensors of shapes [1, 64, 28, 28] and [1, 64, 14, 14] along dim 1: all other dimensions must match."]);
  assert.deepEqual(shapeOf(ctx.call(fn("torch", "stack"), [list([b, b])])), [2, 1, 32, 28, 28]);
  const z = ctx.call(fn("torch", "zeros"), [int(1), int(3), int(224), int(224)]);
  const zn = nodeOf(ctx.nodes, z);
  assert.deepEqual([zn.op, zn.category, zn.shape], ["tensor", "input", [1, 3, 224, 224]]);
  assert.deepEqual(shapeOf(ctx.call(fn("torch", "randn"), [tuple([int(2), int(5)])])), [2, 5]);
});

test("functional ops: names, categories, shapes and the module scope they run in", () => {
  const ctx = fakeContext();
  const F = (name: string, args: Value[], kwargs: Record<string, Value> = {}) => ctx.call(fn("torch.nn.functional", name), args, kw(kwargs));
  const x = input(ctx, [1, 8, 32, 32]);
  const r = F("relu", [x], { inplace: { kind: "bool", v: true } });
  assert.deepEqual([nodeOf(ctx.nodes, r).id, nodeOf(ctx.nodes, r).category, nodeOf(ctx.nodes, r).attrs], ["relu", "activation", { inplace: true }]);
  assert.deepEqual(shapeOf(F("max_pool2d", [x, int(2)])), [1, 8, 16, 16]);
  assert.deepEqual(shapeOf(F("avg_pool2d", [x, int(3)], { stride: int(2), padding: int(1) })), [1, 8, 16, 16]);
  assert.deepEqual(shapeOf(F("adaptive_avg_pool2d", [x, int(1)])), [1, 8, 1, 1]);
  assert.deepEqual(shapeOf(F("pad", [x, tuple([int(1), int(1), int(2), int(0)])])), [1, 8, 34, 34]);
  assert.deepEqual(shapeOf(F("interpolate", [x], { scale_factor: int(2), mode: str("nearest") })), [1, 8, 64, 64]);
  assert.deepEqual(shapeOf(F("interpolate", [x], { size: tuple([int(7), int(9)]) })), [1, 8, 7, 9]);
  assert.deepEqual(nodeOf(ctx.nodes, F("dropout", [x], { p: float(0.1) })).category, "dropout");
  assert.deepEqual(nodeOf(ctx.nodes, F("softmax", [x], { dim: int(1) })).attrs, { dim: 1 });

  // F.linear takes in/out features from the weight's shape.
  const fc = layer(ctx, "Linear", [int(4), int(2)]);
  const w = ctx.getAttr(fc, "weight");
  const y = F("linear", [input(ctx, [3, 4]), w]);
  assert.deepEqual([shapeOf(y), nodeOf(ctx.nodes, y).macs], [[3, 2], 24]);
});

test("Parameters used in forward become one input node carrying user-module params", () => {
  const ctx = fakeContext();
  const root = ctx.call(nnClass("Module"), []);
  const tok = ctx.call(fn("torch.nn", "Parameter"), [ctx.call(fn("torch", "zeros"), [int(1), int(1), int(768)])]);
  ctx.setAttr(root, "cls_token", tok);
  const x = input(ctx, [1, 196, 768]);
  const e = ctx.call(ctx.getAttr(tok, "expand"), [int(1), int(-1), int(-1)]);
  assert.deepEqual(shapeOf(e), [1, 1, 768]);
  const joined = ctx.call(fn("torch", "cat"), [tuple([tok, x])], kw({ dim: int(1) }));
  assert.deepEqual(shapeOf(joined), [1, 197, 768]);
  const pnodes = ctx.nodes.filter((n) => n.op === "Parameter");
  assert.deepEqual(pnodes.map((n) => [n.id, n.params]), [["cls_token", 768]]);
});
