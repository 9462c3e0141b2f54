// Calling a value the analyzer cannot know. The result stays unknown, with one exception that keeps
// graphs connected: an object made by an unmodelled class (timm's `DropPath(0.1)`, by name an
// instance of a class) and then called on a tensor is a layer the analyzer cannot see into. Its
// framework makes it an opaque node that passes the input shape through, with a warning naming the
// class; otherwise a residual branch through it (`x + self.drop_path(self.conv(x))`) would vanish.

import { type Kwargs, type PyTensor, type PyUnknown, type Value, derivedUnknown } from "./values";
import type { NativeContext } from "./values";
import type { Diagnostic, SourceSite } from "../ir/types";
import { tensorProtocol } from "./tensor-protocol";
import { noteAppliedLostValue } from "./skipped-writes";

/** The last part of a dotted name is capitalised, as classes are named (`timm.layers.DropPath`). */
const CLASS_NAME = /(^|\.)[A-Z]\w*$/;

export function callUnknown(ctx: NativeContext, fn: PyUnknown, args: Value[], kwargs: Kwargs): Value {
  // A value a skipped statement could not compute, applied to a tensor: a layer lost (skipped-writes.ts).
  if (fn.reported && firstTensor(args, kwargs)) noteAppliedLostValue(fn);
  if (fn.instanceOf !== undefined) {
    const x = firstTensor(args, kwargs);
    const node = x && tensorProtocol(x.framework)?.unknownLayer?.(ctx, fn.instanceOf, x);
    if (node) {
      applied.add(fn);
      return node;
    }
  }
  const made = derivedUnknown(fn, `the result of calling ${fn.why}`);
  if (fn.dotted === undefined || !CLASS_NAME.test(fn.dotted)) return made;
  instancesMade++;
  return { ...made, instanceOf: fn.dotted };
}

/** Instances of unmodelled classes made in this process: while none is, no module tree needs a search for them. */
let instancesMade = 0;

export function anyUnknownInstanceMade(): boolean {
  return instancesMade > 0;
}

/** Instances applied as layers: their nodes say their weights are unknown, so the totals need not. */
const applied = new WeakSet<PyUnknown>();

/** An unmodelled class's instance never applied to a tensor: its weights, if any, are counted nowhere. */
export function isUnappliedInstance(v: Value): boolean {
  return v.kind === "unknown" && v.instanceOf !== undefined && !applied.has(v);
}

function firstTensor(args: Value[], kwargs: Kwargs): PyTensor | undefined {
  for (const v of args) if (v.kind === "tensor") return v;
  for (const v of kwargs.values()) if (v.kind === "tensor") return v;
  return undefined;
}

const FIRST_APPLIED = "unmodelled-class-first-applied";

/**
 * One warning per unmodelled class, at the first line that applies it (Inception's 94 ConvNormAct calls
 * say it once). Repeated at that same site, so it is back when an entry tried before rolled it back.
 * The diagnostic when this call gave it, else undefined.
 */
export function warnOncePerClass(ctx: NativeContext, className: string, message: string): Diagnostic | undefined {
  let first = ctx.state.get(FIRST_APPLIED) as Map<string, SourceSite> | undefined;
  if (!first) ctx.state.set(FIRST_APPLIED, (first = new Map()));
  const site = first.get(className);
  if (site && ctx.warnAt) {
    ctx.warnAt(site, message, "unsupported");
    return undefined;
  }
  first.set(className, ctx.site());
  return ctx.warn(message, "unsupported");
}
