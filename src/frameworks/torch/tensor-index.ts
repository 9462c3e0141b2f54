// A one-element integer tensor where PyTorch wants an int: its `__index__` makes it one, as old
// U-Net code relies on (`diffX = torch.tensor([x2.size()[3] - x1.size()[3]])`, then
// `F.pad(x1, [diffX // 2, diffX - diffX // 2, ...])`). The value is known only for tensors made
// from known numbers (tensor-values.ts).

import type { NativeContext, Value } from "../../interp/values";
import type { Shape } from "../../ir/types";
import { toInt } from "../../interp/args";
import { isDetached } from "./state";
import { type DType, isFloatType, singleValue } from "./tensor-values";
import { formatShape, numelOf } from "./shape-math";

/** `operator.index(v)` for `what`: an int, or a one-element integer tensor with a known value. */
export function indexValue(ctx: NativeContext, v: Value | undefined, what: string): number {
  const shape: Shape | undefined = v?.kind === "tensor" ? v.shape : v && isDetached(v) ? v.native.shape : undefined;
  if (!v || !shape) return toInt(ctx, v, what);
  if (shape.every((d) => d !== null) && numelOf(shape) !== 1) {
    return ctx.raise("TypeError", `'${what}' must be an integer, got a tensor of shape ${formatShape(shape)}; only integer tensors of a single element can be converted to an index.`);
  }
  // Only tensors with values carry a dtype for sure (tensor-values.ts); others may well be integers.
  const dtype = v.kind === "tensor" ? (v.dtype as DType | undefined) : undefined;
  if (dtype && isFloatType(dtype)) return ctx.raise("TypeError", `'${what}' must be an integer, got a ${dtype} tensor; only integer tensors of a single element can be converted to an index.`);
  const x = v.kind === "tensor" ? singleValue(v) : undefined;
  if (x === undefined) return ctx.raise("ValueError", `'${what}' is a one-element tensor whose value the analyzer does not know.`, "unknown-value");
  return x;
}
