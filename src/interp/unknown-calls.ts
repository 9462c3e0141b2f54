// Calling a value the analyzer cannot know. The result stays unknown, with one exception that keeps
// graphs connected: an object made by an unmodelled class (timm's `DropPath(0.1)`, by name an
// instance of a class) and then called on a tensor is a layer the analyzer cannot see into. Its
// framework makes it an opaque node that passes the input shape through, with a warning naming the
// class; otherwise a residual branch through it (`x + self.drop_path(self.conv(x))`) would vanish.

import { type Kwargs, type PyTensor, type PyUnknown, type Value, derivedUnknown } from "./values";
import type { NativeContext } from "./values";
import { tensorProtocol } from "./tensor-protocol";

/** `pkg.mod.ClassName`: a dotted name whose last part is capitalised, as classes are named. */
const CLASS_NAME = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\.[A-Z]\w*$|^[A-Z]\w*$/;

export function callUnknown(ctx: NativeContext, fn: PyUnknown, args: Value[], kwargs: Kwargs): Value {
  if (fn.instanceOf !== undefined) {
    const x = firstTensor(args, kwargs);
    const node = x && tensorProtocol(x.framework)?.unknownLayer?.(ctx, fn.instanceOf, x);
    if (node) return node;
  }
  const made = derivedUnknown(fn, `the result of calling ${fn.why}`);
  if (fn.reported || fn.instanceOf !== undefined || !CLASS_NAME.test(fn.why)) return made;
  return { ...made, instanceOf: fn.why };
}

function firstTensor(args: Value[], kwargs: Kwargs): PyTensor | undefined {
  for (const v of args) if (v.kind === "tensor") return v;
  for (const v of kwargs.values()) if (v.kind === "tensor") return v;
  return undefined;
}
