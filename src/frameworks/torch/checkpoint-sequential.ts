// torch.utils.checkpoint.checkpoint_sequential: checkpointing only changes what backward recomputes,
// so forward is the functions applied in order to the input.

import { type Value, NONE, builtin } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { isTorchModule } from "./module";

export const CHECKPOINT_SEQUENTIAL = builtin("torch.utils.checkpoint.checkpoint_sequential", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "checkpoint_sequential", args, kwargs, ["functions", "segments", "input", "use_reentrant=", "**kwargs"]);
  const fns = a.functions ?? NONE;
  let x: Value = a.input ?? NONE;
  // A Sequential runs as itself (its forward chains the children); a list runs item by item.
  if (isTorchModule(fns)) return ctx.call(fns, [x]);
  for (const f of ctx.iterate(fns)) x = ctx.call(f, [x]);
  return x;
});
