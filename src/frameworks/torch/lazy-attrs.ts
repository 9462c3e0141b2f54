// Config attributes of stub layers (conv.in_channels, bn.eps...), kept out of the instance dict until
// Python code reads, writes or deletes one, or works on the dict as a whole (vars(), __dict__, dir()).
// A ResNet-152 builds ~300 layers with ~10 such attributes each; writing them into each layer's Map,
// which grows twice on the way, cost more than the rest of building the layer, and model code reads
// almost none of them. Reads are answered by Module.__getattr__ (see module.ts).

import { type PyInstance, type Value, onSettleDict } from "../../interp/values";
import { isModuleState, moduleState } from "./state";

export interface LazyAttrs {
  /** The attributes, in the order the layer set them. */
  values: Record<string, Value>;
  /** How many dict entries preceded them: they are written in at that place, where setattr would have put them. */
  at: number;
}

/** Dicts the attributes have been written into (a copy.copy of a layer shares its state, not its dict). */
const settled = new WeakSet<Map<string, Value>>();

/**
 * Sets config attributes of a stub layer, as if by setattr, without writing them into its dict yet.
 * Only for a layer's own constructor on a fresh instance, whose dict holds none of these names yet
 * (defineLayer settles instances of Python subclasses right after the constructor).
 */
export function deferAttrs(self: PyInstance, values: Record<string, Value>): void {
  const st = moduleState(self);
  const d = self.dict;
  const pending = st.lazyAttrs;
  if (pending === undefined) {
    st.lazyAttrs = { values, at: d.size };
  } else if (pending.at === d.size && !settled.has(d)) {
    // Nothing was written since the first batch: this one follows it directly.
    Object.assign(pending.values, values);
  } else {
    settle(self);
    for (const k in values) d.set(k, values[k]);
  }
}

/** The value of a deferred attribute not yet in the dict, or undefined. */
export function lazyAttr(self: PyInstance, name: string): Value | undefined {
  const pending = moduleState(self).lazyAttrs;
  if (pending === undefined || settled.has(self.dict) || !Object.hasOwn(pending.values, name)) return undefined;
  return pending.values[name];
}

/** Before `name` is written: if it is a deferred attribute, writes them all in, so it keeps its place. */
export function settleBeforeWriting(self: PyInstance, name: string): void {
  const pending = moduleState(self).lazyAttrs;
  if (pending !== undefined && Object.hasOwn(pending.values, name)) settle(self);
}

/** Writes the deferred attributes into the instance's dict, at their place. */
export function settle(o: PyInstance): void {
  if (!isModuleState(o.native)) return;
  const pending = o.native.lazyAttrs;
  const d = o.dict;
  if (pending === undefined || settled.has(d)) return;
  settled.add(d);
  // Entries written after the attributes were deferred go behind them; one of them written since
  // (a copy's dict already holds them) keeps its value.
  const later = [...d].slice(pending.at);
  for (const [k] of later) d.delete(k);
  for (const k in pending.values) d.set(k, pending.values[k]);
  for (const [k, v] of later) d.set(k, v);
}

onSettleDict(settle);
