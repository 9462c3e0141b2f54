// `nn.Parameter(torch.zeros(n, heads))` with `n` unknown (Swin's relative-position table sized by a
// helper the analyzer does not model): such a parameter's elements cannot be counted. It counts 0,
// a warning names it where a module takes it, and the params total says it is a lower bound.

import type { NativeContext, PyInstance } from "../../interp/values";
import type { DetachedTensorState } from "./state";

type Detached = PyInstance & { native: DetachedTensorState };

/** Marks a new Parameter whose shape has unknown dims, with where it was made (`line 13`). */
export function markUnsized(ctx: NativeContext, p: Detached, shape: (number | null)[]): void {
  const site = ctx.site();
  const line = `line ${site.range.start.line + 1}`;
  const file = site.file.slice(site.file.lastIndexOf("/") + 1);
  p.native.unsized = site.file === ctx.mainFile?.() ? line : `${file} line ${line}`;
  unsizedShapes.set(p, shape);
  unsizedMade++;
}

/** Parameters of unknown shape made in this process: while none is, totals need not look for them. */
let unsizedMade = 0;

export function anyUnsizedParameterMade(): boolean {
  return unsizedMade > 0;
}

const unsizedShapes = new WeakMap<PyInstance, (number | null)[]>();

/** The warning, where a module registers the parameter under a name. */
export function warnUnsizedParameter(ctx: NativeContext, module: PyInstance, name: string, p: Detached): void {
  const shape = (unsizedShapes.get(p) ?? []).map((d) => d ?? "?").join(", ");
  ctx.warn(
    `Parameter '${name}' of ${module.cls.name} has a shape the analyzer cannot know ([${shape}]): its elements are counted as 0, so the params total is a lower bound.`,
    "unknown-value",
  );
}

/** `'table' of M (line 13)`, for the totals' reasons. */
export function unsizedParameterNote(p: Detached): string {
  const owner = p.native.owner;
  return owner ? `'${owner.name}' of ${owner.module.cls.name} (${p.native.unsized})` : `a parameter (${p.native.unsized})`;
}
