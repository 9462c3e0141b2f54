// Attributes a skipped statement would have set on an object: `self.proj = nn.Conv2d(...)` in a
// Module's __init__, skipped because an argument is unknown, leaves a layer out of the module tree.
// Its weights are then counted nowhere, so a framework's parameter totals read these to say that
// they are a lower bound, naming the statement's line. So does an attribute holding a value a skipped
// statement could not compute (`self.layer1 = self._make_layer(...)` whose `return` failed) once it
// is applied to a tensor as a layer: a config value (`self.pretrained_cfg`) is not one. Skipped
// statements are rare: recording costs nothing on the paths that run.

import type { PyInstance, PyUnknown, Value } from "./values";

export interface SkippedWrite {
  /** The attribute the statement would have set, or that a skipped call on it would have changed (`blocks` of `self.blocks.append(...)`). */
  attr: string;
  /** How the statement wrote it, for messages: `self.proj`, `self.blocks.append(...)`. */
  written: string;
  /** Where: `line 12`, or `blocks.py line 12` in another file. */
  where: string;
}

const writes = new WeakMap<PyInstance, SkippedWrite[]>();
let skippedStatements = 0;

/** Counts a skipped statement: what it wrote is unknown, and may sit on a module (an unknown attribute). */
export function noteSkippedStatement(): void {
  skippedStatements++;
}

export function recordSkippedWrite(obj: PyInstance, write: SkippedWrite): void {
  let list = writes.get(obj);
  if (!list) writes.set(obj, (list = []));
  if (!list.some((w) => w.attr === write.attr && w.where === write.where)) list.push(write);
}

/** While no statement was skipped in this process, totals need not look for what one left out. */
export function anySkippedStatement(): boolean {
  return skippedStatements > 0;
}

/** Unknowns left by skipped statements that were then called on a tensor, as layers are. */
const appliedLostValues = new WeakSet<PyUnknown>();

export function noteAppliedLostValue(v: PyUnknown): void {
  appliedLostValues.add(v);
}

/** A value a skipped statement left unknown that was applied to a tensor: a layer that is missing. */
export function isAppliedLostValue(v: Value): boolean {
  return v.kind === "unknown" && v.reported === true && appliedLostValues.has(v);
}

export function skippedWritesOf(obj: PyInstance): readonly SkippedWrite[] | undefined {
  return writes.get(obj);
}
