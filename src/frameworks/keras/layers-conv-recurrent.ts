// ConvLSTM1D / 2D / 3D: an LSTM whose input and recurrent transformations are convolutions. Keras's
// weights (keras/src/layers/rnn/conv_lstm.py): kernel (*k, in, 4*filters), recurrent_kernel
// (*k, filters, 4*filters), bias (4*filters). Input (batch, time, *spatial, channels) (channels_first:
// (batch, time, channels, *spatial)); each step's output is the input conv's output, with `filters`
// channels, and the recurrent conv runs on it with "same" padding and stride 1.

import type { JsonValue, Shape } from "../../ir/types";
import type { NativeContext, PyClass, PyInstance, Value } from "../../interp/values";
import { toBool, toNumber } from "../../interp/args";
import { type ConvConfig, readConvConfig } from "./conv-config";
import { activationName } from "./activation-names";
import { type BuiltinApply, type BuiltinLayerDef, type BuiltinResult, sizeArg, weight } from "./builtin-def";
import { defineLayer } from "./layer-class";
import type { Weight } from "./layer-state";
import { sequenceCall } from "./layers-recurrent";
import { convOutputLength, formatShape } from "./shapes";
import { warnUnsized } from "./unsized";

const GATES = 4;

type ConvLstmCfg = ConvConfig & { returnSequences: boolean; returnState: boolean };

/** The recurrent convolution keeps the state's size: no "causal" padding. */
const PADDINGS = ["valid", "same"];

// Keras 3's argument order; only filters and kernel_size are ever passed by position.
const ARGS = [
  "filters", "kernel_size", "strides=", "padding=", "data_format=", "dilation_rate=", "activation=", "recurrent_activation=",
  "use_bias=", "kernel_initializer=", "recurrent_initializer=", "bias_initializer=", "unit_forget_bias=", "kernel_regularizer=",
  "recurrent_regularizer=", "bias_regularizer=", "activity_regularizer=", "kernel_constraint=", "recurrent_constraint=",
  "bias_constraint=", "dropout=", "recurrent_dropout=", "seed=", "return_sequences=", "return_state=", "go_backwards=", "stateful=", "unroll=",
];

function configure(ctx: NativeContext, a: Record<string, Value | undefined>, self: PyInstance, className: string, rank: number): Record<string, JsonValue> {
  const c: ConvLstmCfg = {
    ...readConvConfig(ctx, a, rank, {
      paddings: PADDINGS,
      badPadding: (padding) => `${className}: padding must be "valid" or "same", got '${padding}'.`,
      filters: () => sizeArg(ctx, self, className, a.filters, "filters"),
    }),
    returnSequences: toBool(ctx, a.return_sequences, false),
    returnState: toBool(ctx, a.return_state, false),
  };
  if (Math.max(...c.strides) > 1 && Math.max(...c.dilation) > 1) {
    ctx.raise("ValueError", `${className}: strides > 1 is not compatible with dilation_rate > 1, got strides=(${c.strides.join(", ")}) and dilation_rate=(${c.dilation.join(", ")}).`);
  }
  return {
    filters: c.filters,
    kernel_size: c.kernel,
    strides: c.strides,
    padding: c.padding,
    dilation_rate: c.dilation,
    activation: a.activation === undefined ? "tanh" : activationName(ctx, a.activation) ?? "linear",
    recurrent_activation: a.recurrent_activation === undefined ? "sigmoid" : activationName(ctx, a.recurrent_activation) ?? "linear",
    use_bias: c.useBias,
    return_sequences: c.returnSequences,
    return_state: c.returnState,
    go_backwards: toBool(ctx, a.go_backwards, false),
    stateful: toBool(ctx, a.stateful, false),
    dropout: toNumber(ctx, a.dropout, "dropout", 0),
    recurrent_dropout: toNumber(ctx, a.recurrent_dropout, "recurrent_dropout", 0),
    ...(c.channelsFirst ? { data_format: "channels_first" } : {}),
    __convLstm: c as unknown as JsonValue,
  };
}

/** One step's output (batch, *out_spatial, filters), channels_first (batch, filters, *out_spatial). */
function stepShape(c: ConvLstmCfg, batch: number | null, spatial: (number | null)[]): Shape {
  const out = spatial.map((d, i) => convOutputLength(d, c.kernel[i], c.padding, c.strides[i], c.dilation[i]));
  return c.channelsFirst ? [batch, c.filters, ...out] : [batch, ...out, c.filters];
}

function applyConvLstm(x: BuiltinApply): BuiltinResult {
  const c = x.cfg.__convLstm as unknown as ConvLstmCfg;
  const input = x.shapes[0];
  if (input.length !== c.rank + 3) {
    const dims = c.channelsFirst ? `time, channels, ${c.rank} spatial dims` : `time, ${c.rank} spatial dims, channels`;
    x.ctx.reportError(`${x.className} '${x.name}' expects a ${c.rank + 3}D input (batch, ${dims}), got shape ${formatShape(input)}.`, "shape-mismatch");
    return { shape: input };
  }
  const [batch, steps] = input;
  const channelAxis = c.channelsFirst ? 2 : input.length - 1;
  const spatial = c.channelsFirst ? input.slice(3) : input.slice(2, -1);
  const state = stepShape(c, batch, spatial);
  const shape: Shape = c.returnSequences ? [batch, steps, ...state.slice(1)] : state;
  const extraOutputs = c.returnState ? [{ name: "state_h", shape: state }, { name: "state_c", shape: state }] : undefined;
  const cin = input[channelAxis];
  if (cin === null) {
    warnUnsized(x.ctx, x.layer, `${x.className} '${x.name}' needs a known number of input channels, got shape ${formatShape(input)}; its weights are counted as 0.`);
    return { shape, extraOutputs };
  }
  // Filters the analyzer cannot know: warned about where the layer was made.
  if (c.filters === null) return { shape, extraOutputs, attrs: { in_channels: cin } };
  const f = c.filters;
  const weights: Weight[] = [weight("kernel", [...c.kernel, cin, GATES * f]), weight("recurrent_kernel", [...c.kernel, f, GATES * f])];
  if (c.useBias) weights.push(weight("bias", [GATES * f]));
  return { shape, weights, macs: convLstmMacs(c, cin, batch, steps, state), attrs: { in_channels: cin, timesteps: steps }, extraOutputs };
}

/**
 * MACs of the whole sequence, as the other recurrent layers count them (the gates' element-wise
 * products and bias adds not counted): per time step and sample, the input conv onto 4*filters
 * channels plus the recurrent conv of the state, both over the output's positions. Unknown timesteps
 * or positions give 0: the sequence length decides the count.
 */
function convLstmMacs(c: ConvLstmCfg, cin: number, batch: number | null, steps: number | null, state: Shape): number {
  const positions = c.channelsFirst ? state.slice(2) : state.slice(1, -1);
  if (steps === null || positions.some((d) => d === null)) return 0;
  const area = (positions as number[]).reduce((p, d) => p * d, 1);
  const k = c.kernel.reduce((p, d) => p * d, 1);
  const f = c.filters ?? 0;
  return (batch ?? 1) * steps * area * k * GATES * f * (cin + f);
}

function convLstmLayer(className: string, rank: number): PyClass {
  const def: BuiltinLayerDef = {
    className,
    category: "conv",
    args: ARGS,
    multiInput: true,
    methods: { __call__: sequenceCall(() => def) },
    configure: (ctx, a, self) => configure(ctx, a, self, className, rank),
    apply: applyConvLstm,
  };
  return defineLayer(def);
}

export function convRecurrentLayers(): Record<string, PyClass> {
  return { ConvLSTM1D: convLstmLayer("ConvLSTM1D", 1), ConvLSTM2D: convLstmLayer("ConvLSTM2D", 2), ConvLSTM3D: convLstmLayer("ConvLSTM3D", 3) };
}
