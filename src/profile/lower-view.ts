// Lowerings of the nodes that move or select elements without arithmetic: transpose / permute
// (PyTorch `transpose`, `permute`, `t`; Keras Permute, keras.ops.transpose), expand, and indexing (`x[:, 0]`,
// `x[..., :k]`). Each works out the PyTorch-order result and maps it back onto the built layout (a
// PyTorch 4-D tensor is NHWC), as one transpose, a reshape when only size-1 axes move, or nothing.

import type { JsonValue } from "../ir/types";
import { builtAxis, composePerms, formatDims, isPureReshape, toBuiltOrder, toFrameworkOrder } from "./layout";
import { type Lowering, type LoweringContext, num } from "./lower-types";
import type { Tf, TfTensor } from "./tf-api";

/** Applies `perm` to `x` (shape `shape`) as cheaply as the data allows. */
function permute(tf: Tf, x: TfTensor, shape: number[], perm: number[]): TfTensor {
  if (perm.every((a, i) => a === i)) return x;
  if (isPureReshape(shape, perm)) return tf.reshape(x, perm.map((a) => shape[a]));
  return tf.transpose(x, perm);
}

/** The op's permutation of the input's axes, in the framework's order; or why it has none. */
function declaredPerm(c: LoweringContext, rank: number): number[] | string {
  const a = c.node.attrs;
  const identity = Array.from({ length: rank }, (_, i) => i);
  // permute's dims and keras.ops.transpose's axes name every axis; Keras Permute's dims count from 1, without the batch.
  const listed = Array.isArray(a.dims) ? a.dims : Array.isArray(a.axes) ? a.axes : undefined;
  if (listed && listed.every((d) => typeof d === "number")) {
    const dims = listed as number[];
    const perm = c.node.op === "Permute" ? [0, ...dims] : dims.map((d) => (d < 0 ? d + rank : d));
    return perm.length === rank && new Set(perm).size === rank ? perm : `${c.node.op} with axes ${JSON.stringify(listed)} is not a permutation of ${rank} axes.`;
  }
  const d0 = num(a, "dim0");
  const d1 = num(a, "dim1");
  if (d0 === undefined || d1 === undefined) return c.node.op === "t" && rank < 2 ? identity : `${c.node.op} does not record which dims it swaps.`;
  const perm = [...identity];
  perm[d0] = d1;
  perm[d1] = d0;
  return perm;
}

export const lowerTranspose: Lowering = (c) => {
  const { tf } = c;
  const inShape = c.inShapes[0];
  if (!inShape || c.inBuilt.length !== 1) return `${c.node.op} needs one input.`;
  const perm = declaredPerm(c, inShape.length);
  if (typeof perm === "string") return perm;
  const outShape = c.node.shape ?? inShape;
  const total = composePerms(composePerms(toFrameworkOrder(c.framework, inShape), perm), toBuiltOrder(c.framework, outShape));
  const built = c.inBuilt[0];
  return (xs) => permute(tf, xs[0], built, total);
};

/** expand / broadcast: size-1 axes repeated (and new leading ones), as tf.broadcastTo does. */
export const lowerExpand: Lowering = (c) => {
  const { tf } = c;
  const inShape = c.inShapes[0];
  const outShape = c.node.shape;
  if (!inShape || !outShape || c.inBuilt.length !== 1) return `${c.node.op} needs one input of known shape.`;
  const built = c.inBuilt[0];
  if (built.join(",") === c.outBuilt.join(",")) return (xs) => xs[0];
  if (inShape.length === outShape.length && toFrameworkOrder(c.framework, inShape).join() === toFrameworkOrder(c.framework, outShape).join()) {
    return (xs) => tf.broadcastTo(xs[0], c.outBuilt);
  }
  // New leading axes on a PyTorch tensor that becomes (or was) 4-D: in NCHW order, then back.
  const toTorch = toFrameworkOrder(c.framework, inShape);
  const torchIn = toTorch.map((a) => built[a]);
  const lifted = [...new Array(outShape.length - inShape.length).fill(1), ...torchIn];
  const torchOut = toBuiltOrder(c.framework, outShape);
  const target = toFrameworkOrder(c.framework, outShape).map((a) => c.outBuilt[a]);
  return (xs) =>
    tf.tidy(() => {
      const t = tf.reshape(permute(tf, xs[0], built, toTorch), lifted);
      return permute(tf, tf.broadcastTo(t, target), target, torchOut);
    });
};

/**
 * One item of an index, as the analyzer records it in `attrs.index` (one per item of `x[...]`):
 * `{kind: "int", value}`, `{kind: "slice", start, stop, step}` (null for omitted), `{kind: "none"}`
 * (a new axis), `{kind: "ellipsis"}`, `{kind: "tensor"}` (advanced indexing, not rebuilt).
 */
type IndexItem = { kind: "int"; value: number } | { kind: "slice"; start: number | null; stop: number | null; step: number | null } | { kind: "none" } | { kind: "ellipsis" };

function parseIndex(v: JsonValue | undefined): IndexItem[] | string {
  if (!Array.isArray(v)) return "missing";
  const items: IndexItem[] = [];
  const intOrNull = (x: JsonValue | undefined) => x === null || x === undefined || typeof x === "number";
  for (const it of v) {
    if (!it || typeof it !== "object" || Array.isArray(it)) return "malformed";
    if (it.kind === "int" && typeof it.value === "number") items.push({ kind: "int", value: it.value });
    else if (it.kind === "slice" && intOrNull(it.start) && intOrNull(it.stop) && intOrNull(it.step)) {
      items.push({ kind: "slice", start: (it.start ?? null) as number | null, stop: (it.stop ?? null) as number | null, step: (it.step ?? null) as number | null });
    } else if (it.kind === "none" || it.kind === "ellipsis") items.push({ kind: it.kind });
    else return it.kind === "tensor" ? "tensor" : it.kind === "unknown" ? "unknown" : "malformed";
  }
  return items;
}

/** Per input axis (framework order): begin, end, stride; and the result's dims. */
interface Selection {
  begin: number[];
  end: number[];
  strides: number[];
  out: number[];
}

/** Python's slice.indices for a positive step: the selected range of an axis of `len`. */
function sliceRange(len: number, start: number | null, stop: number | null, step: number): [number, number, number] {
  const clamp = (v: number) => Math.min(len, Math.max(0, v < 0 ? v + len : v));
  const b = start === null ? 0 : clamp(start);
  const e = Math.max(b, stop === null ? len : clamp(stop));
  return [b, e, Math.ceil((e - b) / step)];
}

function select(items: IndexItem[], dims: number[]): Selection | string {
  const sel: Selection = { begin: [], end: [], strides: [], out: [] };
  const consumed = items.filter((it) => it.kind === "int" || it.kind === "slice").length;
  if (consumed > dims.length) return `it indexes ${consumed} axes of a ${dims.length}-D tensor`;
  const whole = (len: number) => {
    sel.begin.push(0);
    sel.end.push(len);
    sel.strides.push(1);
    sel.out.push(len);
  };
  let src = 0;
  for (const it of items) {
    if (it.kind === "none") sel.out.push(1);
    else if (it.kind === "ellipsis") for (let k = 0; k < dims.length - consumed; k++) whole(dims[src++]);
    else if (it.kind === "int") {
      const len = dims[src++];
      const i = it.value < 0 ? it.value + len : it.value;
      if (i < 0 || i >= len) return `index ${it.value} is out of range for an axis of size ${len}`;
      sel.begin.push(i);
      sel.end.push(i + 1);
      sel.strides.push(1);
    } else {
      const step = it.step ?? 1;
      if (step <= 0) return `a slice step of ${step} is not supported`;
      const [b, e, n] = sliceRange(dims[src++], it.start, it.stop, step);
      sel.begin.push(b);
      sel.end.push(e);
      sel.strides.push(step);
      sel.out.push(n);
    }
  }
  while (src < dims.length) whole(dims[src++]);
  return sel;
}

/** `x[...]` with ints, slices (positive steps), None and Ellipsis, from the node's `index` attr. */
export const lowerGetItem: Lowering = (c) => {
  const { tf, node } = c;
  const inShape = c.inShapes[0];
  const outShape = node.shape;
  if (!inShape || !outShape || c.inBuilt.length !== 1) return `${node.op} needs one input of known shape.`;
  const items = parseIndex(node.attrs.index);
  if (items === "missing") return `${node.op} does not record its index (the IR node has no 'index' attribute), so the slice cannot be rebuilt.`;
  if (items === "tensor") return `${node.op} indexes with a tensor (advanced indexing), which is not profiled.`;
  if (items === "unknown") return `${node.op} indexes with a value the analyzer could not compute, so the slice cannot be rebuilt.`;
  if (typeof items === "string") return `${node.op}'s 'index' attribute is not a list of index items.`;
  const built = c.inBuilt[0];
  const toFw = toFrameworkOrder(c.framework, inShape);
  const sel = select(items, toFw.map((a) => built[a]));
  if (typeof sel === "string") return `${node.op}: ${sel}.`;
  const toBuilt = toBuiltOrder(c.framework, outShape);
  const want = sel.out;
  if (toBuilt.map((a) => want[a]).join(",") !== c.outBuilt.join(",")) {
    return `${node.op} selects ${formatDims(want)} at batch ${c.batch}, where the analyzer's shape is ${formatDims(outShape)}; an index on the batch axis is profiled only at the analyzer's batch.`;
  }
  // The selection per built axis: framework axis i is built axis builtAxis(i).
  const begin = new Array<number>(built.length);
  const end = new Array<number>(built.length);
  const strides = new Array<number>(built.length);
  sel.begin.forEach((b, i) => {
    const ax = builtAxis(c.framework, inShape, i);
    begin[ax] = b;
    end[ax] = sel.end[i];
    strides[ax] = sel.strides[i];
  });
  const unit = strides.every((s) => s === 1);
  const sliced = begin.map((b, i) => Math.ceil((end[i] - b) / strides[i]));
  const whole = sliced.every((d, i) => d === built[i]);
  return (xs) =>
    tf.tidy(() => {
      let y = whole ? xs[0] : unit ? tf.slice(xs[0], begin, sliced) : tf.stridedSlice(xs[0], begin, end, strides);
      // Into framework order, drop / add axes, into the output's built order.
      y = permute(tf, y, sliced, toFw);
      const fwSliced = toFw.map((a) => sliced[a]);
      if (fwSliced.join(",") !== want.join(",")) y = tf.reshape(y, want);
      return permute(tf, y, want, toBuilt);
    });
};
