// The arguments every Keras convolution reads, shared by the conv layers (layers-conv.ts) and ConvLSTM
// (layers-conv-recurrent.ts). Read in one fixed order, so which bad argument is reported first does not
// depend on the layer: padding, filters, kernel_size, strides, dilation_rate, the layer's own arguments,
// use_bias, data_format.

import type { NativeContext, Value } from "../../interp/values";
import { toBool, toIntTuple, toStr } from "../../interp/args";

export interface ConvConfig {
  rank: number;
  /** Null when the analyzer cannot know it (computed from data): no weights then. */
  filters: number | null;
  kernel: number[];
  strides: number[];
  padding: string;
  dilation: number[];
  useBias: boolean;
  channelsFirst: boolean;
}

/** What differs between callers: the paddings they accept ("causal" only for conv), their message, their filters. */
export interface ConvRules<Own> {
  paddings: readonly string[];
  badPadding: (padding: string) => string;
  filters: () => number | null;
  /** The layer's own arguments, read after dilation_rate and before use_bias (Conv's groups, depth_multiplier). */
  own?: () => Own;
}

export function readConvConfig<Own extends object = object>(ctx: NativeContext, a: Record<string, Value | undefined>, rank: number, rules: ConvRules<Own>): ConvConfig & Own {
  const padding = toStr(ctx, a.padding, "padding", "valid").toLowerCase();
  if (!rules.paddings.includes(padding)) ctx.raise("ValueError", rules.badPadding(padding));
  const filters = rules.filters();
  const kernel = toIntTuple(ctx, a.kernel_size, rank, "kernel_size");
  const strides = toIntTuple(ctx, a.strides, rank, "strides", 1);
  const dilation = toIntTuple(ctx, a.dilation_rate, rank, "dilation_rate", 1);
  const own = rules.own?.() as Own;
  const useBias = toBool(ctx, a.use_bias, true);
  const channelsFirst = toStr(ctx, a.data_format, "data_format", "channels_last") === "channels_first";
  return { rank, filters, kernel, strides, padding, dilation, ...own, useBias, channelsFirst };
}
