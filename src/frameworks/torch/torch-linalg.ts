// torch.linalg as model code uses it: norms are reductions (ConvNeXt-V2's GRN, normalised
// embeddings); the decompositions and solvers are opaque functions.

import { type PyModule, type Value, builtin, int, tuple } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { norm } from "./ops-math";
import { asTensor } from "./nodes";
import { namespaceModule } from "./torch-submodules";

/** A linalg norm: `ord` and `dim` (defaulting to `defaultDim`, all dims when None) bound by keyword too. */
function linalgNorm(name: string, defaultDim?: Value): Value {
  return builtin(`torch.linalg.${name}`, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, `torch.linalg.${name}`, args, kwargs, ["input", "ord=", "dim=", "keepdim=", "out=", "dtype="]);
    return norm(ctx, name, asTensor(ctx, a.input, `torch.linalg.${name}`), a.ord, a.dim ?? defaultDim, a.keepdim);
  });
}

export function linalgModule(): PyModule {
  return namespaceModule("torch.linalg", {
    vector_norm: linalgNorm("vector_norm"),
    norm: linalgNorm("norm"),
    matrix_norm: linalgNorm("matrix_norm", tuple([int(-2), int(-1)])),
  });
}
