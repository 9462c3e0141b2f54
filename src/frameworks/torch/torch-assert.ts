// torch._assert(condition, message): the traceable `assert` torchvision's models use for input checks
// (vision_transformer.py, swin_transformer.py). It fails exactly as the `assert` statement does.

import { type Kwargs, type NativeContext, type Value, NONE, PyException } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { isDetached } from "./state";

const SPEC = ["condition", "message"];

/**
 * None when the condition holds or cannot be decided statically (a tensor, an unknown); when it is a
 * known false value, raises the model's own AssertionError, which propagates like a failed `assert`.
 */
export function torchAssert(ctx: NativeContext, args: Value[], kwargs: Kwargs): Value {
  const a = bindArgs(ctx, "torch._assert", args, kwargs, SPEC);
  const cond = a.condition ?? NONE;
  if (cond.kind === "unknown" || cond.kind === "tensor" || isDetached(cond) || ctx.truthy(cond)) return NONE;
  const message = a.message?.kind === "str" ? a.message.v : a.message ? ctx.repr(a.message) : "assertion failed";
  if (ctx.raiseUserError) ctx.raiseUserError("AssertionError", message);
  throw new PyException("AssertionError", message);
}
