// Recurrent layers: nn.RNN / nn.LSTM / nn.GRU (stacked, bidirectional, LSTM projections) and the
// single-step nn.RNNCell / nn.LSTMCell / nn.GRUCell, with PyTorch's parameter names and shapes and
// the (output, h_n) / (output, (h_n, c_n)) results of their forward.

import {
  type Kwargs,
  type NativeContext,
  type PyClass,
  type PyInstance,
  type PyTensor,
  type Value,
  NONE,
  bool,
  builtin,
  float,
  int,
  str,
  tuple,
} from "../../interp/values";
import { bindArgs, toBool, toInt, toNumber, toStr } from "../../interp/args";
import type { Dim, Shape } from "../../ir/types";
import { addWeight, defineLayer, layerLabel, setAttrs } from "./define-layer";
import { moduleNode, opNode, tensorOrUndefined, tensorValue } from "./nodes";
import { formatShape } from "./shape-math";

type Kind = "LSTM" | "GRU" | "RNN";

/** Gate blocks stacked in each weight matrix: LSTM input/forget/cell/output, GRU reset/update/new. */
const GATES: Record<Kind, number> = { LSTM: 4, GRU: 3, RNN: 1 };

interface RnnConfig {
  kind: Kind;
  input: number;
  hidden: number;
  layers: number;
  bias: boolean;
  batchFirst: boolean;
  dirs: number;
  /** LSTM projection size; 0 when off. */
  proj: number;
  /** nn.RNN's activation; undefined for LSTM and GRU. */
  nonlinearity?: "tanh" | "relu";
}

const common = ["input_size", "hidden_size", "num_layers="];
const tail = ["bias=", "batch_first=", "dropout=", "bidirectional="];
const SPECS: Record<Kind, string[]> = {
  LSTM: [...common, ...tail, "proj_size=", "device=", "dtype="],
  GRU: [...common, ...tail, "device=", "dtype="],
  // PyTorch 2 takes nonlinearity as the fourth positional argument of nn.RNN.
  RNN: [...common, "nonlinearity=", ...tail, "device=", "dtype="],
};

function parseRnn(ctx: NativeContext, self: PyInstance, a: Record<string, Value | undefined>, kind: Kind): RnnConfig {
  const input = toInt(ctx, a.input_size, "input_size");
  const hidden = toInt(ctx, a.hidden_size, "hidden_size");
  const layers = toInt(ctx, a.num_layers, "num_layers", 1);
  const bias = toBool(ctx, a.bias, true);
  const batchFirst = toBool(ctx, a.batch_first, false);
  const dropout = toNumber(ctx, a.dropout, "dropout", 0);
  const dirs = toBool(ctx, a.bidirectional, false) ? 2 : 1;
  const proj = toInt(ctx, a.proj_size, "proj_size", 0);
  if (hidden <= 0) ctx.raise("ValueError", `${kind}: hidden_size must be greater than zero, got ${hidden}.`);
  if (layers <= 0) ctx.raise("ValueError", `${kind}: num_layers must be greater than zero, got ${layers}.`);
  if (dropout < 0 || dropout > 1) ctx.raise("ValueError", `${kind}: dropout should be a number in range [0, 1], got ${dropout}.`);
  if (proj < 0) ctx.raise("ValueError", `${kind}: proj_size should be a positive integer or zero to disable projections, got ${proj}.`);
  if (proj >= hidden) ctx.raise("ValueError", `${kind}: proj_size (${proj}) has to be smaller than hidden_size (${hidden}).`);
  if (dropout > 0 && layers === 1) {
    ctx.warn(`${kind}: dropout=${dropout} only applies between stacked layers, but num_layers is 1, so it has no effect.`, "no-effect");
  }
  const nonlinearity = kind === "RNN" ? parseNonlinearity(ctx, self, a.nonlinearity, "RNN") : undefined;
  const mode = nonlinearity === undefined ? kind : nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU";

  const gated = GATES[kind] * hidden;
  const out = proj || hidden;
  // Per layer and direction, in PyTorch's registration order; biases are absent (not None) without bias.
  for (let layer = 0; layer < layers; layer++) {
    const inSize = layer === 0 ? input : out * dirs;
    for (let d = 0; d < dirs; d++) {
      const sfx = `_l${layer}${d === 1 ? "_reverse" : ""}`;
      addWeight(ctx, self, `weight_ih${sfx}`, [gated, inSize]);
      addWeight(ctx, self, `weight_hh${sfx}`, [gated, out]);
      if (bias) {
        addWeight(ctx, self, `bias_ih${sfx}`, [gated]);
        addWeight(ctx, self, `bias_hh${sfx}`, [gated]);
      }
      if (proj > 0) addWeight(ctx, self, `weight_hr${sfx}`, [proj, hidden]);
    }
  }
  setAttrs(self, {
    mode: str(mode),
    input_size: int(input),
    hidden_size: int(hidden),
    num_layers: int(layers),
    bias: bool(bias),
    batch_first: bool(batchFirst),
    dropout: float(dropout),
    bidirectional: bool(dirs === 2),
    proj_size: int(proj),
  });
  return { kind, input, hidden, layers, bias, batchFirst, dirs, proj, nonlinearity };
}

/** nn.RNN / nn.RNNCell's activation: "tanh" or "relu" (PyTorch's ValueError otherwise), set on the module. */
function parseNonlinearity(ctx: NativeContext, self: PyInstance, v: Value | undefined, label: string): "tanh" | "relu" {
  const nonlinearity = toStr(ctx, v, "nonlinearity", "tanh");
  if (nonlinearity !== "tanh" && nonlinearity !== "relu") {
    ctx.raise("ValueError", `${label}: unknown nonlinearity '${nonlinearity}'; select from 'tanh' or 'relu'.`);
  }
  setAttrs(self, { nonlinearity: str(nonlinearity) });
  return nonlinearity;
}

/**
 * MACs of the whole sequence, matmul convention (gate nonlinearities and bias adds not counted):
 * per time step, batch element, layer and direction G*H*(in + H_out), plus H*proj for the LSTM
 * projection of the hidden state.
 */
function rnnMacs(c: RnnConfig, steps: number, batch: number): number {
  const gated = GATES[c.kind] * c.hidden;
  const out = c.proj || c.hidden;
  let perStep = 0;
  for (let layer = 0; layer < c.layers; layer++) {
    const inSize = layer === 0 ? c.input : out * c.dirs;
    perStep += c.dirs * (gated * (inSize + out) + (c.proj > 0 ? c.hidden * c.proj : 0));
  }
  return steps * batch * perStep;
}

/** The tensors of an `hx` argument: a tensor, an LSTM's (h_0, c_0) tuple, or None. */
function stateTensors(ctx: NativeContext, hx: Value | undefined): PyTensor[] {
  if (!hx || hx.kind === "none") return [];
  const items = hx.kind === "tuple" || hx.kind === "list" ? hx.items : [hx];
  return items.map((v) => tensorOrUndefined(ctx, v)).filter((t): t is PyTensor => t !== undefined);
}

function checkState(ctx: NativeContext, label: string, what: string, got: PyTensor | undefined, want: Shape): void {
  if (!got) return;
  const same = got.shape.length === want.length && got.shape.every((d, i) => d === null || want[i] === null || d === want[i]);
  if (!same) ctx.reportError(`${label} expects ${what} of shape ${formatShape(want)}, got ${formatShape(got.shape)}.`, "shape-mismatch");
}

function rnnForward(ctx: NativeContext, self: PyInstance, c: RnnConfig, x: PyTensor, rest: Value[], kwargs: Kwargs): Value {
  const label = layerLabel(self, c.kind);
  const a = bindArgs(ctx, `${c.kind}.forward`, rest, kwargs, ["hx="]);
  const batched = x.shape.length === 3;
  let shape: Shape = x.shape;
  if (!batched && shape.length !== 2) {
    ctx.reportError(`${label} expects a 2-D (unbatched) or 3-D input, got a ${shape.length}-D tensor of shape ${formatShape(shape)}.`, "shape-mismatch");
    shape = [shape[0] ?? 1, 1, c.input];
  }
  const feat = shape[shape.length - 1];
  if (feat !== null && feat !== c.input) ctx.reportError(`${label} expects input features of size ${c.input}, got ${feat}.`, "shape-mismatch");
  const steps: Dim = shape.length === 2 ? shape[0] : c.batchFirst ? shape[1] : shape[0];
  const batch: Dim = shape.length === 2 ? 1 : c.batchFirst ? shape[0] : shape[1];
  const out = c.proj || c.hidden;
  const output: Shape = [...shape.slice(0, -1), out * c.dirs];
  // h_n and c_n are (layers * directions, N, H) whatever batch_first says; unbatched drops N.
  const stateShape = (h: number): Shape => (shape.length === 2 ? [c.layers * c.dirs, h] : [c.layers * c.dirs, batch, h]);
  const states = stateTensors(ctx, a.hx);
  checkState(ctx, label, "h_0", states[0], stateShape(out));
  if (c.kind === "LSTM") checkState(ctx, label, "c_0", states[1], stateShape(c.hidden));
  const node = moduleNode(ctx, self, {
    op: c.kind,
    category: "dense",
    inputs: [x, ...states],
    shape: output,
    macs: rnnMacs(c, steps ?? 1, batch ?? 1),
    attrs: { input_size: c.input, hidden_size: c.hidden, num_layers: c.layers, bidirectional: c.dirs === 2, batch_first: c.batchFirst, bias: c.bias, ...(c.proj ? { proj_size: c.proj } : {}), ...(c.nonlinearity ? { nonlinearity: c.nonlinearity } : {}) },
  });
  const hN = stateNode(ctx, "h_n", node, stateShape(out));
  if (c.kind !== "LSTM") return tuple([node, hN]);
  return tuple([node, tuple([hN, stateNode(ctx, "c_n", node, stateShape(c.hidden))])]);
}

/**
 * The final hidden (or cell) states as a node of their own, fed by the recurrent layer's node: the
 * IR gives each node one shape, and h_n is shaped (layers * directions, N, H), unlike the output.
 */
function stateNode(ctx: NativeContext, name: string, from: PyTensor, shape: Shape): PyTensor {
  return opNode(ctx, { op: name, name, category: "math", inputs: [from], shape });
}

function rnnClass(kind: Kind): PyClass {
  return defineLayer<RnnConfig>({
    name: kind,
    spec: SPECS[kind],
    init: (ctx, self, a) => parseRnn(ctx, self, a, kind),
    forward: rnnForward,
    members: {
      // Called in forward by cuDNN-minded code; it only rearranges memory.
      flatten_parameters: builtin(`${kind}.flatten_parameters`, () => NONE),
    },
  });
}

interface CellConfig {
  kind: Kind;
  input: number;
  hidden: number;
  bias: boolean;
  /** nn.RNNCell's activation; undefined for LSTM and GRU cells. */
  nonlinearity?: "tanh" | "relu";
}

function cellClass(kind: Kind): PyClass {
  const name = `${kind}Cell`;
  return defineLayer<CellConfig>({
    name,
    spec: ["input_size", "hidden_size", "bias=", ...(kind === "RNN" ? ["nonlinearity="] : []), "device=", "dtype="],
    init(ctx, self, a) {
      const input = toInt(ctx, a.input_size, "input_size");
      const hidden = toInt(ctx, a.hidden_size, "hidden_size");
      const bias = toBool(ctx, a.bias, true);
      if (hidden <= 0) ctx.raise("ValueError", `${name}: hidden_size must be greater than zero, got ${hidden}.`);
      const gated = GATES[kind] * hidden;
      addWeight(ctx, self, "weight_ih", [gated, input]);
      addWeight(ctx, self, "weight_hh", [gated, hidden]);
      addWeight(ctx, self, "bias_ih", [gated], bias);
      addWeight(ctx, self, "bias_hh", [gated], bias);
      const nonlinearity = kind === "RNN" ? parseNonlinearity(ctx, self, a.nonlinearity, "RNNCell") : undefined;
      setAttrs(self, { input_size: int(input), hidden_size: int(hidden), bias: bool(bias) });
      return { kind, input, hidden, bias, nonlinearity };
    },
    forward(ctx, self, c, x, rest, kwargs) {
      const label = layerLabel(self, name);
      const a = bindArgs(ctx, `${name}.forward`, rest, kwargs, ["hx="]);
      let shape: Shape = x.shape;
      if (shape.length !== 1 && shape.length !== 2) {
        ctx.reportError(`${label} expects a 1-D (unbatched) or 2-D input, got a ${shape.length}-D tensor of shape ${formatShape(shape)}.`, "shape-mismatch");
        shape = [shape[0] ?? 1, c.input];
      }
      const feat = shape[shape.length - 1];
      if (feat !== null && feat !== c.input) ctx.reportError(`${label} expects input features of size ${c.input}, got ${feat}.`, "shape-mismatch");
      const batch = shape.length === 2 ? shape[0] : 1;
      const stateShape: Shape = shape.length === 2 ? [batch, c.hidden] : [c.hidden];
      const states = stateTensors(ctx, a.hx);
      checkState(ctx, label, "h", states[0], stateShape);
      if (kind === "LSTM") checkState(ctx, label, "c", states[1], stateShape);
      const node = moduleNode(ctx, self, {
        op: name,
        category: "dense",
        inputs: [x, ...states],
        shape: stateShape,
        // One step: G*H*(in + H) per batch element (matmul convention, as for the full layers).
        macs: (batch ?? 1) * GATES[kind] * c.hidden * (c.input + c.hidden),
        attrs: { input_size: c.input, hidden_size: c.hidden, bias: c.bias, ...(c.nonlinearity ? { nonlinearity: c.nonlinearity } : {}) },
      });
      return kind === "LSTM" ? tuple([node, tensorValue([...stateShape], node.node)]) : node;
    },
  });
}

export const RNN_CLASSES: Record<string, PyClass> = {
  RNN: rnnClass("RNN"),
  LSTM: rnnClass("LSTM"),
  GRU: rnnClass("GRU"),
  RNNCell: cellClass("RNN"),
  LSTMCell: cellClass("LSTM"),
  GRUCell: cellClass("GRU"),
};

