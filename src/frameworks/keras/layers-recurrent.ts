// Recurrent layers (SimpleRNN, LSTM, GRU) and the wrappers Bidirectional and TimeDistributed, with
// Keras's weights: kernel [features, G*units], recurrent_kernel [units, G*units], bias [G*units]
// (GRU with reset_after: [2, 3*units]), G = 1 / 4 / 3 gate blocks.
//
// Each application is one node. A wrapper's node carries the wrapped layer's weights (twice for
// Bidirectional, as Keras builds a forward and a backward copy); the wrapped layer itself is never
// applied, so it has no node and no weights of its own (as in Keras's `model.layers`, which lists
// only the wrapper).

import type { JsonValue, Shape } from "../../ir/types";
import {
  type Kwargs,
  type NativeContext,
  type PyClass,
  type PyInstance,
  type Value,
  NONE,
  builtin,
  tuple,
} from "../../interp/values";
import { bindArgs, toBool, toInt, toNumber, toStr } from "../../interp/args";
import { activationName } from "./activation-names";
import { type BuiltinApply, type BuiltinLayerDef, type BuiltinResult, applyBuiltin, builtinDefOf, weight } from "./builtin-def";
import { flattenTensors, kerasTensor } from "./emit";
import { callUserLayer, defineLayer, userDefines } from "./layer-class";
import { type Weight, isKerasLayer, layerState } from "./layer-state";
import { recordedCall } from "./replay";
import { formatShape } from "./shapes";
import { warnUnsized } from "./unsized";

type Kind = "SimpleRNN" | "LSTM" | "GRU";

const GATES: Record<Kind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };
/** The states a layer returns with return_state=True, after its output. */
const STATES: Record<Kind, string[]> = { SimpleRNN: ["state_h"], LSTM: ["state_h", "state_c"], GRU: ["state_h"] };

function isKind(name: string): name is Kind {
  return name === "SimpleRNN" || name === "LSTM" || name === "GRU";
}

// Keras 3's argument order; only `units` (and at most `activation`) is ever passed by position.
const REG = ["kernel_regularizer=", "recurrent_regularizer=", "bias_regularizer=", "activity_regularizer="];
const CONSTR = ["kernel_constraint=", "recurrent_constraint=", "bias_constraint="];
const INITS = ["kernel_initializer=", "recurrent_initializer=", "bias_initializer="];
const FLAGS = ["return_sequences=", "return_state=", "go_backwards=", "stateful=", "unroll="];
const ARGS: Record<Kind, string[]> = {
  SimpleRNN: ["units", "activation=", "use_bias=", ...INITS, ...REG, ...CONSTR, "dropout=", "recurrent_dropout=", ...FLAGS, "seed="],
  LSTM: [
    "units", "activation=", "recurrent_activation=", "use_bias=", ...INITS, "unit_forget_bias=", ...REG, ...CONSTR,
    "dropout=", "recurrent_dropout=", "seed=", ...FLAGS, "use_cudnn=",
  ],
  GRU: [
    "units", "activation=", "recurrent_activation=", "use_bias=", ...INITS, ...REG, ...CONSTR,
    "dropout=", "recurrent_dropout=", "seed=", ...FLAGS, "reset_after=", "use_cudnn=",
  ],
};

/** Keras's `call(sequences, initial_state=None, mask=None, training=False)`. */
const CALL_SPEC = ["inputs", "initial_state=", "mask=", "training=", "constants=", "**kwargs"];

function configure(ctx: NativeContext, kind: Kind, a: Record<string, Value | undefined>): Record<string, JsonValue> {
  const units = toInt(ctx, a.units, "units");
  if (units <= 0) ctx.raise("ValueError", `${kind}: 'units' must be a positive integer, got ${units}.`);
  const activation = a.activation === undefined ? "tanh" : activationName(ctx, a.activation);
  const cfg: Record<string, JsonValue> = {
    units,
    activation: activation ?? "linear",
    use_bias: toBool(ctx, a.use_bias, true),
    return_sequences: toBool(ctx, a.return_sequences, false),
    return_state: toBool(ctx, a.return_state, false),
    go_backwards: toBool(ctx, a.go_backwards, false),
    stateful: toBool(ctx, a.stateful, false),
    dropout: toNumber(ctx, a.dropout, "dropout", 0),
    recurrent_dropout: toNumber(ctx, a.recurrent_dropout, "recurrent_dropout", 0),
  };
  if (kind !== "SimpleRNN") {
    cfg.recurrent_activation = a.recurrent_activation === undefined ? "sigmoid" : activationName(ctx, a.recurrent_activation) ?? "linear";
  }
  if (kind === "GRU") cfg.reset_after = toBool(ctx, a.reset_after, true);
  return cfg;
}

interface Recurrence {
  kind: Kind;
  cfg: Record<string, JsonValue>;
}

/** The weights of one recurrent layer on `features` inputs, with Keras's names and shapes. */
function recurrentWeights(r: Recurrence, features: number, prefix = ""): Weight[] {
  const units = r.cfg.units as number;
  const gated = GATES[r.kind] * units;
  const out = [weight(`${prefix}kernel`, [features, gated]), weight(`${prefix}recurrent_kernel`, [units, gated])];
  if (r.cfg.use_bias) {
    // GRU's reset_after keeps separate input and recurrent biases.
    out.push(weight(`${prefix}bias`, r.kind === "GRU" && r.cfg.reset_after ? [2, gated] : [gated]));
  }
  return out;
}

/**
 * MACs of the whole sequence, matmul convention (gate nonlinearities, element-wise products and bias
 * adds not counted): per time step and sample, the input matmul G*units*features plus the
 * recurrent one G*units*units. Unknown timesteps give 0: the sequence length decides the count.
 */
function recurrentMacs(r: Recurrence, input: Shape): number {
  const [batch, steps, features] = input;
  if (steps === null || features === null) return 0;
  const units = r.cfg.units as number;
  return (batch ?? 1) * steps * GATES[r.kind] * units * (features + units);
}

/** Output shape (return_sequences or not) and state shapes of one recurrent layer. */
function recurrentShapes(r: Recurrence, input: Shape): { output: Shape; states: Shape[] } {
  const units = r.cfg.units as number;
  const output: Shape = r.cfg.return_sequences ? [input[0], input[1], units] : [input[0], units];
  return { output, states: STATES[r.kind].map(() => [input[0], units]) };
}

/** A located shape-mismatch unless `input` is (batch, timesteps, features); true when it is. */
function checkSequence(x: BuiltinApply, input: Shape): boolean {
  if (input.length === 3) return true;
  x.ctx.reportError(
    `${x.className} '${x.name}' expects a 3D input of shape (batch, timesteps, features), got shape ${formatShape(input)}.`,
    "shape-mismatch",
  );
  return false;
}

/** Initial states must be (batch, units) each; a mismatch is reported, not fatal. */
function checkInitialStates(x: BuiltinApply, given: Shape[], want: Shape[]): void {
  if (given.length === 0) return;
  if (given.length !== want.length) {
    x.ctx.reportError(
      `${x.className} '${x.name}' expects ${want.length} initial state tensor(s), got ${given.length}.`,
      "shape-mismatch",
    );
    return;
  }
  given.forEach((g, i) => {
    const w = want[i];
    const ok = g.length === w.length && g.every((d, j) => d === null || w[j] === null || d === w[j]);
    if (!ok) {
      x.ctx.reportError(
        `${x.className} '${x.name}' expects initial state ${i} of shape ${formatShape(w)}, got shape ${formatShape(g)}.`,
        "shape-mismatch",
      );
    }
  });
}

function applyRecurrent(x: BuiltinApply, kind: Kind): BuiltinResult {
  const r: Recurrence = { kind, cfg: x.cfg };
  const input = x.shapes[0];
  const units = r.cfg.units as number;
  if (!checkSequence(x, input)) return { shape: [input[0] ?? null, units] };
  const { output, states } = recurrentShapes(r, input);
  checkInitialStates(x, x.shapes.slice(1), states);
  const extraOutputs = r.cfg.return_state ? STATES[kind].map((name, i) => ({ name, shape: states[i] })) : undefined;
  const features = input[2];
  if (features === null) {
    warnUnsized(x.ctx, x.layer, `${x.className} '${x.name}' needs a known number of input features, got shape ${formatShape(input)}; its weights are counted as 0.`);
    return { shape: output, extraOutputs };
  }
  return {
    shape: output,
    weights: recurrentWeights(r, features),
    macs: recurrentMacs(r, input),
    attrs: { input_size: features, timesteps: input[1] },
    extraOutputs,
  };
}

/**
 * `layer(inputs, initial_state=[...])`: the initial states are inputs of the node (an encoder's
 * states feeding a decoder keep the encoder in the model). Keras 2's `layer([x, h, c])` too.
 */
export function sequenceCall(def: () => BuiltinLayerDef): Value {
  return builtin("__call__", (args, kwargs, ctx) =>
    recordedCall(ctx, args, kwargs, () => {
      const self = args[0] as PyInstance;
      if (userDefines(self.cls, "call")) return callUserLayer(ctx, self, args, kwargs);
      const d = def();
      const a = bindArgs(ctx, `${d.className}.call`, args.slice(1), kwargs, CALL_SPEC);
      const given = a.inputs ?? NONE;
      const parts: Value[] =
        given.kind === "list" || given.kind === "tuple" ? [...given.items] : [given];
      const st = a.initial_state;
      if (st && st.kind !== "none") parts.push(...(st.kind === "list" || st.kind === "tuple" ? st.items : [st]));
      return applyBuiltin(ctx, self, layerState(ctx, self), d, tuple(parts), a);
    }),
  );
}

function recurrentLayer(kind: Kind): PyClass {
  const def: BuiltinLayerDef = {
    className: kind,
    category: "dense",
    args: ARGS[kind],
    multiInput: true,
    methods: { __call__: sequenceCall(() => def) },
    configure: (ctx, a) => configure(ctx, kind, a),
    apply: (x) => applyRecurrent(x, kind),
  };
  return defineLayer(def);
}

// ---------- Cells and RNN(cell) ----------

type CellKind = `${Kind}Cell`;
const CELL_KINDS: Record<CellKind, Kind> = { SimpleRNNCell: "SimpleRNN", LSTMCell: "LSTM", GRUCell: "GRU" };

/**
 * LSTMCell / GRUCell / SimpleRNNCell hold the config RNN(cell) reads. Applied on their own (one time
 * step, returning `(output, states)`) they are opaque nodes: the nested result is not modelled.
 */
function cellLayer(name: CellKind): PyClass {
  const kind = CELL_KINDS[name];
  return defineLayer({
    className: name,
    category: "opaque",
    args: ARGS[kind].filter((a) => !FLAGS.includes(a)),
    multiInput: "either",
    opaque: `${name} applied on its own (one time step) is not modelled; wrap it in keras.layers.RNN.`,
    configure: (ctx, a) => configure(ctx, kind, a),
    apply: (x) => ({ shape: x.shapes[0] }),
  });
}

function configureRnn(ctx: NativeContext, a: Record<string, Value | undefined>): Record<string, JsonValue> {
  const cell = a.cell;
  const name = cell && isKerasLayer(cell) ? builtinDefOf(cell.cls)?.className ?? cell.cls.name : "";
  if (!cell || !isKerasLayer(cell) || !(name in CELL_KINDS)) {
    const got = cell && cell.kind === "instance" ? cell.cls.name : ctx.repr(cell ?? NONE);
    return ctx.raise("ValueError", `RNN: 'cell' must be an LSTMCell, GRUCell or SimpleRNNCell (stacked or custom cells are not modelled), got ${got}.`);
  }
  const kind = CELL_KINDS[name as CellKind];
  return {
    ...layerState(ctx, cell).config,
    cell: name,
    return_sequences: toBool(ctx, a.return_sequences, false),
    return_state: toBool(ctx, a.return_state, false),
    go_backwards: toBool(ctx, a.go_backwards, false),
    stateful: toBool(ctx, a.stateful, false),
    __kind: kind,
  };
}

function rnnLayer(): PyClass {
  const def: BuiltinLayerDef = {
    className: "RNN",
    category: "dense",
    args: ["cell", ...FLAGS, "zero_output_for_mask="],
    multiInput: true,
    methods: { __call__: sequenceCall(() => def) },
    configure: configureRnn,
    apply: (x) => applyRecurrent(x, x.cfg.__kind as Kind),
  };
  return withWrappedAttrs(defineLayer(def), { cell: 0 });
}

// ---------- Bidirectional ----------

const MERGE_MODES = ["concat", "sum", "mul", "ave", "none"];

/** The wrapped recurrent layer's kind and config, or a TypeError naming what was passed. */
function wrappedRecurrence(ctx: NativeContext, v: Value | undefined, what: string): Recurrence {
  if (!v || !isKerasLayer(v)) return ctx.raise("TypeError", `Bidirectional: '${what}' must be a recurrent layer instance (LSTM, GRU, SimpleRNN), got ${ctx.repr(v ?? NONE)}.`);
  const def = builtinDefOf(v.cls);
  const cfg = layerState(ctx, v).config;
  // RNN(cell) records the cell's kind.
  const kind = def?.className === "RNN" ? (cfg.__kind as string) : def?.className ?? v.cls.name;
  if (!isKind(kind)) {
    return ctx.raise("ValueError", `Bidirectional: '${what}' must be a recurrent layer (LSTM, GRU, SimpleRNN, RNN), got ${v.cls.name}.`);
  }
  return { kind, cfg };
}

function configureBidirectional(ctx: NativeContext, a: Record<string, Value | undefined>): Record<string, JsonValue> {
  const forward = wrappedRecurrence(ctx, a.layer, "layer");
  const backward = a.backward_layer && a.backward_layer.kind !== "none" ? wrappedRecurrence(ctx, a.backward_layer, "backward_layer") : forward;
  const mode = a.merge_mode === undefined ? "concat" : a.merge_mode.kind === "none" ? "none" : toStr(ctx, a.merge_mode, "merge_mode");
  if (!MERGE_MODES.includes(mode)) {
    ctx.raise("ValueError", `Bidirectional: invalid merge_mode '${mode}'; merge_mode should be one of "sum", "mul", "ave", "concat" or None.`);
  }
  for (const flag of ["return_sequences", "return_state"]) {
    if (forward.cfg[flag] !== backward.cfg[flag]) {
      ctx.raise("ValueError", `Bidirectional: forward and backward layers must agree on ${flag}.`);
    }
  }
  const fu = forward.cfg.units as number;
  const bu = backward.cfg.units as number;
  if (mode !== "concat" && mode !== "none" && fu !== bu) {
    ctx.raise("ValueError", `Bidirectional: merge_mode '${mode}' needs forward and backward layers of equal units, got ${fu} and ${bu}.`);
  }
  return {
    layer: forward.kind,
    ...(backward !== forward ? { backward_layer: backward.kind } : {}),
    merge_mode: mode === "none" ? null : mode,
    units: fu,
    return_sequences: forward.cfg.return_sequences,
    return_state: forward.cfg.return_state,
    bidirectional: true,
    __forward: { kind: forward.kind, cfg: forward.cfg },
    __backward: { kind: backward.kind, cfg: backward.cfg },
  };
}

function applyBidirectional(x: BuiltinApply): BuiltinResult {
  const forward = x.cfg.__forward as unknown as Recurrence;
  const backward = x.cfg.__backward as unknown as Recurrence;
  const mode = (x.cfg.merge_mode as string | null) ?? "none";
  const input = x.shapes[0];
  if (!checkSequence(x, input)) return { shape: input };
  const f = recurrentShapes(forward, input);
  const b = recurrentShapes(backward, input);
  checkInitialStates(x, x.shapes.slice(1), [...f.states, ...b.states]);
  const last = f.output.length - 1;
  const merged: Shape =
    mode === "concat" ? [...f.output.slice(0, last), (f.output[last] as number) + (b.output[last] as number)] : f.output;
  // merge_mode=None returns [forward, backward]; return_state appends forward then backward states.
  const extraOutputs: { name: string; shape: Shape }[] = [];
  if (mode === "none") extraOutputs.push({ name: "backward_output", shape: b.output });
  if (x.cfg.return_state) {
    STATES[forward.kind].forEach((name, i) => extraOutputs.push({ name: `forward_${name}`, shape: f.states[i] }));
    STATES[backward.kind].forEach((name, i) => extraOutputs.push({ name: `backward_${name}`, shape: b.states[i] }));
  }
  const extras = extraOutputs.length > 0 ? extraOutputs : undefined;
  const features = input[2];
  if (features === null) {
    warnUnsized(x.ctx, x.layer, `Bidirectional '${x.name}' needs a known number of input features, got shape ${formatShape(input)}; its weights are counted as 0.`);
    return { shape: merged, extraOutputs: extras };
  }
  return {
    shape: merged,
    weights: [...recurrentWeights(forward, features, "forward_"), ...recurrentWeights(backward, features, "backward_")],
    macs: recurrentMacs(forward, input) + recurrentMacs(backward, input),
    attrs: { input_size: features, timesteps: input[1] },
    extraOutputs: extras,
  };
}

/**
 * Keeps the wrapped layer(s) reachable as `.layer` / `.backward_layer`, as Keras does (`positions`:
 * each argument's positional index). Never applied, they add no weights to the wrapper's totals.
 */
function withWrappedAttrs(cls: PyClass, positions: Record<string, number>): PyClass {
  const init = cls.dict.get("__init__");
  if (!init || init.kind !== "builtin") return cls;
  cls.dict.set(
    "__init__",
    builtin("__init__", (args: Value[], kwargs: Kwargs, ctx: NativeContext) => {
      const result = init.fn(args, kwargs, ctx);
      const self = args[0] as PyInstance;
      for (const [n, i] of Object.entries(positions)) {
        const v = kwargs.get(n) ?? args[i + 1];
        if (v && v.kind !== "none") self.dict.set(n, v);
      }
      return result;
    }),
  );
  return cls;
}

function bidirectional(): PyClass {
  const def: BuiltinLayerDef = {
    className: "Bidirectional",
    category: "dense",
    args: ["layer", "merge_mode=", "weights=", "backward_layer="],
    multiInput: true,
    methods: { __call__: sequenceCall(() => def) },
    configure: configureBidirectional,
    apply: applyBidirectional,
  };
  return withWrappedAttrs(defineLayer(def), { layer: 0, backward_layer: 3 });
}

// ---------- TimeDistributed ----------

/** The wrapped layer's table entry, when it is a single-input builtin layer we can apply per step. */
function innerBuiltin(inner: Value | undefined): BuiltinLayerDef | undefined {
  if (!inner || !isKerasLayer(inner) || userDefines(inner.cls, "call")) return undefined;
  const def = builtinDefOf(inner.cls);
  if (!def || def.multiInput || def.call || def.opaque) return undefined;
  return def;
}

function applyTimeDistributed(x: BuiltinApply): BuiltinResult {
  const inner = x.layer.dict.get("layer") as PyInstance;
  const input = x.shapes[0];
  const def = innerBuiltin(inner);
  if (input.length < 3) {
    x.ctx.reportError(
      `TimeDistributed '${x.name}' expects an input of at least 3D (batch, timesteps, ...), got shape ${formatShape(input)}.`,
      "shape-mismatch",
    );
    return { shape: input };
  }
  if (!def) return { shape: input };
  const steps = input[1];
  const stepShape: Shape = [input[0], ...input.slice(2)];
  const innerSt = layerState(x.ctx, inner);
  // The wrapped layer's own rule on one time step (its messages name the wrapped layer).
  const res = def.apply({
    ctx: x.ctx,
    layer: inner,
    name: innerSt.name,
    className: def.className,
    cfg: innerSt.config,
    shapes: [stepShape],
    raw: kerasTensor(stepShape, flattenTensors(x.raw)[0]?.node ?? ""),
  });
  const shape: Shape | null = res.shape ? [res.shape[0], steps, ...res.shape.slice(1)] : null;
  const layerConfig: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries({ ...innerSt.config, ...(res.attrs ?? {}) })) if (!k.startsWith("__")) layerConfig[k] = v;
  return {
    shape,
    weights: res.weights,
    // The wrapped layer runs once per time step.
    macs: steps === null ? 0 : (res.macs ?? 0) * steps,
    attrs: { timesteps: steps, layer_config: layerConfig },
  };
}

/**
 * The node takes the wrapped layer's category (conv for a Conv2D), so depth and colouring treat it
 * as that layer; a wrapped layer we cannot apply per step (a model, a subclassed layer) makes the
 * node opaque, passing its input shape through.
 */
function timeDistributedCall(def: BuiltinLayerDef): Value {
  return builtin("__call__", (args, kwargs, ctx) =>
    recordedCall(ctx, args, kwargs, () => {
      const self = args[0] as PyInstance;
      if (userDefines(self.cls, "call")) return callUserLayer(ctx, self, args, kwargs);
      const a = bindArgs(ctx, "TimeDistributed.call", args.slice(1), kwargs, ["inputs", "training=", "mask=", "**kwargs"]);
      const inner = self.dict.get("layer");
      const innerDef = innerBuiltin(inner);
      if (innerDef) return applyBuiltin(ctx, self, layerState(ctx, self), { ...def, category: innerDef.category }, a.inputs ?? NONE);
      const what = inner && isKerasLayer(inner) ? `${inner.cls.name} '${layerState(ctx, inner).name}'` : "its layer";
      const why = `TimeDistributed '${layerState(ctx, self).name}' wraps ${what}, which is not a builtin Keras layer; its output shape is assumed equal to its input shape.`;
      ctx.warn(why, "unsupported");
      const effective: BuiltinLayerDef = { ...def, category: "opaque", opaque: why };
      return applyBuiltin(ctx, self, layerState(ctx, self), effective, a.inputs ?? NONE);
    }),
  );
}

function timeDistributed(): PyClass {
  const def: BuiltinLayerDef = {
    className: "TimeDistributed",
    category: "dense",
    args: ["layer"],
    configure(ctx, a) {
      const inner = a.layer;
      if (!inner || !isKerasLayer(inner)) {
        return ctx.raise("TypeError", `TimeDistributed: 'layer' must be a Keras layer instance, got ${ctx.repr(inner ?? NONE)}.`);
      }
      return { layer: inner.cls.name, layer_name: layerState(ctx, inner).name };
    },
    apply: applyTimeDistributed,
  };
  def.methods = { __call__: timeDistributedCall(def) };
  return withWrappedAttrs(defineLayer(def), { layer: 0 });
}

export function recurrentLayers(): Record<string, PyClass> {
  return {
    SimpleRNN: recurrentLayer("SimpleRNN"),
    LSTM: recurrentLayer("LSTM"),
    GRU: recurrentLayer("GRU"),
    SimpleRNNCell: cellLayer("SimpleRNNCell"),
    LSTMCell: cellLayer("LSTMCell"),
    GRUCell: cellLayer("GRUCell"),
    RNN: rnnLayer(),
    Bidirectional: bidirectional(),
    TimeDistributed: timeDistributed(),
  };
}
