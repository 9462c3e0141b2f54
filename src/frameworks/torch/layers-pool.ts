// Pooling layers (max/avg, fixed and adaptive) and the shape rules F.max_pool2d & co. share with them.

import { type NativeContext, type PyClass, type Value, bool, int, NONE } from "../../interp/values";
import { toBool, toInt, toIntTuple } from "../../interp/args";
import type { JsonValue, Shape } from "../../ir/types";
import { checkRank, defineLayer, intTuple, layerLabel, setAttrs } from "./define-layer";
import { moduleNode } from "./nodes";
import { formatShape, poolOut } from "./shape-math";

export interface PoolParams {
  kind: "max" | "avg";
  k: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceil: boolean;
}

/** Parses kernel_size/stride/padding/dilation/ceil_mode for an n-d pool (stride defaults to the kernel). */
export function parsePool(ctx: NativeContext, a: Record<string, Value | undefined>, n: number, kind: "max" | "avg"): PoolParams {
  const k = toIntTuple(ctx, a.kernel_size, n, "kernel_size");
  const stride = a.stride === undefined || a.stride.kind === "none" || (a.stride.kind === "tuple" && a.stride.items.length === 0)
    ? [...k]
    : toIntTuple(ctx, a.stride, n, "stride");
  const padding = toIntTuple(ctx, a.padding, n, "padding", 0);
  const dilation = toIntTuple(ctx, a.dilation, n, "dilation", 1);
  return { kind, k, stride, padding, dilation, ceil: toBool(ctx, a.ceil_mode, false) };
}

export function poolAttrs(p: PoolParams): Record<string, JsonValue> {
  return { kernel_size: p.k, stride: p.stride, padding: p.padding, dilation: p.dilation, ceil_mode: p.ceil };
}

/** Output shape of an n-d pool over the last n dims; a message when the output would be empty. */
export function pooledShape(shape: Shape, n: number, p: PoolParams): Shape | string {
  const lead = shape.slice(0, shape.length - n);
  const spatial = shape.slice(shape.length - n).map((len, i) => poolOut(len, p.k[i], p.stride[i], p.padding[i], p.dilation[i], p.ceil));
  const out = [...lead, ...spatial];
  if (spatial.some((d) => d !== null && d <= 0)) {
    return `the output size is too small: input ${formatShape(shape)} gives ${formatShape(out)}`;
  }
  return out;
}

/** Adaptive pooling output: the given sizes, None keeping the input size. */
export function adaptiveShape(shape: Shape, n: number, outSize: (number | null)[]): Shape {
  const lead = shape.slice(0, shape.length - n);
  const spatial = shape.slice(shape.length - n).map((len, i) => outSize[i] ?? len);
  return [...lead, ...spatial];
}

/** output_size as an int, or a tuple whose entries may be None. */
export function parseOutputSize(ctx: NativeContext, v: Value | undefined, n: number): (number | null)[] {
  if (v && (v.kind === "tuple" || v.kind === "list")) {
    const xs = v.items.map((x, i) => (x.kind === "none" ? null : toInt(ctx, x, `output_size[${i}]`)));
    if (xs.length === 1) return new Array(n).fill(xs[0]);
    if (xs.length !== n) ctx.raise("ValueError", `'output_size' must have ${n} values, got ${xs.length}.`);
    return xs;
  }
  if (v && v.kind === "none") return new Array(n).fill(null);
  return new Array(n).fill(toInt(ctx, v, "output_size"));
}

function poolClass(name: string, n: number, kind: "max" | "avg"): PyClass {
  const spec =
    kind === "max"
      ? ["kernel_size", "stride=", "padding=", "dilation=", "return_indices=", "ceil_mode="]
      : ["kernel_size", "stride=", "padding=", "ceil_mode=", "count_include_pad=", "divisor_override="];
  return defineLayer<PoolParams>({
    name,
    spec,
    init(ctx, self, a) {
      const p = parsePool(ctx, a, n, kind);
      setAttrs(self, {
        kernel_size: n === 1 ? int(p.k[0]) : intTuple(p.k),
        stride: n === 1 ? int(p.stride[0]) : intTuple(p.stride),
        padding: n === 1 ? int(p.padding[0]) : intTuple(p.padding),
        dilation: intTuple(p.dilation),
        ceil_mode: bool(p.ceil),
        return_indices: bool(toBool(ctx, a.return_indices, false)),
      });
      return p;
    },
    forward(ctx, self, p, x) {
      checkRank(ctx, self, name, x, [n + 1, n + 2]);
      let shape = pooledShape(x.shape.length >= n ? x.shape : [...x.shape, ...new Array(n).fill(1)], n, p);
      if (typeof shape === "string") {
        ctx.reportError(`${layerLabel(self, name)}: ${shape}.`, "shape-mismatch");
        shape = x.shape.map((d, i) => (i >= x.shape.length - n ? 1 : d));
      }
      return moduleNode(ctx, self, { op: name, category: "pooling", inputs: [x], shape, attrs: poolAttrs(p) });
    },
  });
}

function adaptiveClass(name: string, n: number): PyClass {
  return defineLayer<(number | null)[]>({
    name,
    spec: ["output_size", "return_indices="],
    init(ctx, self, a) {
      const out = parseOutputSize(ctx, a.output_size, n);
      self.dict.set("output_size", a.output_size ?? NONE);
      return out;
    },
    forward(ctx, self, out, x) {
      checkRank(ctx, self, name, x, [n + 1, n + 2]);
      const shape = x.shape.length >= n ? adaptiveShape(x.shape, n, out) : [...x.shape, ...out];
      return moduleNode(ctx, self, { op: name, category: "pooling", inputs: [x], shape, attrs: { output_size: out } });
    },
  });
}

export const POOL_CLASSES: Record<string, PyClass> = {
  MaxPool1d: poolClass("MaxPool1d", 1, "max"),
  MaxPool2d: poolClass("MaxPool2d", 2, "max"),
  MaxPool3d: poolClass("MaxPool3d", 3, "max"),
  AvgPool1d: poolClass("AvgPool1d", 1, "avg"),
  AvgPool2d: poolClass("AvgPool2d", 2, "avg"),
  AvgPool3d: poolClass("AvgPool3d", 3, "avg"),
  AdaptiveAvgPool1d: adaptiveClass("AdaptiveAvgPool1d", 1),
  AdaptiveAvgPool2d: adaptiveClass("AdaptiveAvgPool2d", 2),
  AdaptiveAvgPool3d: adaptiveClass("AdaptiveAvgPool3d", 3),
  AdaptiveMaxPool1d: adaptiveClass("AdaptiveMaxPool1d", 1),
  AdaptiveMaxPool2d: adaptiveClass("AdaptiveMaxPool2d", 2),
};
