// Pooling, global pooling, zero padding, cropping and upsampling (1-3D, channels_last default).

import type { JsonValue } from "../../ir/types";
import type { NativeContext, PyClass, Value } from "../../interp/values";
import { toBool, toInt, toIntTuple, toStr } from "../../interp/args";
import { type BuiltinApply, type BuiltinResult } from "./builtin-def";
import { defineLayer } from "./layer-class";
import { convOutputLength, formatShape, spatialLayout } from "./shapes";

const channelsFirst = (ctx: NativeContext, v: Value | undefined): boolean =>
  toStr(ctx, v, "data_format", "channels_last") === "channels_first";

/** Checks the input rank; on mismatch reports and returns false (the shape passes through). */
function checkRank(x: BuiltinApply, rank: number): boolean {
  const s = x.shapes[0];
  if (s.length === rank + 2) return true;
  x.ctx.reportError(`${x.className} '${x.name}' expects a ${rank + 2}D input, got shape ${formatShape(s)}.`, "shape-mismatch");
  return false;
}

/** Replaces the spatial dims of the input by `f(dim, i)`. */
function mapSpatial(x: BuiltinApply, rank: number, f: (d: number | null, i: number) => number | null): BuiltinResult {
  if (!checkRank(x, rank)) return { shape: x.shapes[0] };
  const s = x.shapes[0].slice();
  const { spatial } = spatialLayout(s.length, x.cfg.channels_first as boolean);
  spatial.forEach((axis, i) => (s[axis] = f(s[axis], i)));
  return { shape: s };
}

function pooling(className: string, rank: number): PyClass {
  return defineLayer({
    className,
    category: "pooling",
    args: ["pool_size=", "strides=", "padding=", "data_format="],
    configure(ctx, a) {
      const pool = toIntTuple(ctx, a.pool_size, rank, "pool_size", 2);
      const strides = a.strides && a.strides.kind !== "none" ? toIntTuple(ctx, a.strides, rank, "strides") : pool;
      return { pool_size: pool, strides, padding: toStr(ctx, a.padding, "padding", "valid").toLowerCase(), channels_first: channelsFirst(ctx, a.data_format) };
    },
    apply: (x) =>
      mapSpatial(x, rank, (d, i) =>
        convOutputLength(d, (x.cfg.pool_size as number[])[i], x.cfg.padding as string, (x.cfg.strides as number[])[i]),
      ),
  });
}

function globalPooling(className: string, rank: number): PyClass {
  return defineLayer({
    className,
    category: "pooling",
    args: ["data_format=", "keepdims="],
    configure: (ctx, a) => ({ channels_first: channelsFirst(ctx, a.data_format), keepdims: toBool(ctx, a.keepdims, false) }),
    apply(x) {
      if (!checkRank(x, rank)) return { shape: x.shapes[0] };
      const s = x.shapes[0];
      const { spatial, channel } = spatialLayout(s.length, x.cfg.channels_first as boolean);
      if (x.cfg.keepdims) return { shape: s.map((d, i) => (spatial.includes(i) ? 1 : d)) };
      return { shape: [s[0], s[channel]] };
    },
  });
}

/** ZeroPadding / Cropping amounts: int, (a, b) per dim, or ((before, after), ...). */
function padPairs(ctx: NativeContext, v: Value | undefined, rank: number, what: string, fallback: number): [number, number][] {
  if (!v || v.kind === "none") return new Array(rank).fill([fallback, fallback]);
  if (v.kind === "int") return new Array(rank).fill([v.v, v.v]);
  if ((v.kind === "tuple" || v.kind === "list") && rank === 1 && v.items.length === 2 && v.items.every((i) => i.kind === "int")) {
    return [toIntTuple(ctx, v, 2, what) as [number, number]];
  }
  if (v.kind === "tuple" || v.kind === "list") {
    if (v.items.length !== rank) ctx.raise("ValueError", `'${what}' must have ${rank} entries, got ${v.items.length}.`);
    return v.items.map((item, i) => {
      if (item.kind === "int") return [item.v, item.v];
      return toIntTuple(ctx, item, 2, `${what}[${i}]`) as [number, number];
    });
  }
  return ctx.raise("TypeError", `'${what}' must be an integer or a tuple, got ${ctx.repr(v)}.`);
}

function padding(className: string, rank: number, sign: 1 | -1): PyClass {
  const argName = sign > 0 ? "padding" : "cropping";
  return defineLayer({
    className,
    category: "reshape",
    args: [`${argName}=`, "data_format="],
    configure: (ctx, a) => ({
      [argName]: padPairs(ctx, a[argName], rank, argName, sign > 0 ? 1 : 0) as unknown as JsonValue,
      channels_first: channelsFirst(ctx, a.data_format),
    }),
    apply(x) {
      const pairs = x.cfg[argName] as unknown as [number, number][];
      return mapSpatial(x, rank, (d, i) => (d === null ? null : d + sign * (pairs[i][0] + pairs[i][1])));
    },
  });
}

function upsampling(className: string, rank: number): PyClass {
  return defineLayer({
    className,
    category: "reshape",
    args: rank === 1 ? ["size="] : ["size=", "data_format=", "interpolation="],
    configure: (ctx, a) => ({
      size: toIntTuple(ctx, a.size, rank, "size", 2),
      channels_first: channelsFirst(ctx, a.data_format),
      ...(a.interpolation ? { interpolation: toStr(ctx, a.interpolation, "interpolation") } : {}),
    }),
    apply: (x) => mapSpatial(x, rank, (d, i) => (d === null ? null : d * (x.cfg.size as number[])[i])),
  });
}

export function poolingLayers(): Record<string, PyClass> {
  const out: Record<string, PyClass> = {};
  for (const rank of [1, 2, 3]) {
    const max = pooling(`MaxPooling${rank}D`, rank);
    const avg = pooling(`AveragePooling${rank}D`, rank);
    const gavg = globalPooling(`GlobalAveragePooling${rank}D`, rank);
    const gmax = globalPooling(`GlobalMaxPooling${rank}D`, rank);
    Object.assign(out, {
      [`MaxPooling${rank}D`]: max,
      [`MaxPool${rank}D`]: max,
      [`AveragePooling${rank}D`]: avg,
      [`AvgPool${rank}D`]: avg,
      [`GlobalAveragePooling${rank}D`]: gavg,
      [`GlobalAvgPool${rank}D`]: gavg,
      [`GlobalMaxPooling${rank}D`]: gmax,
      [`GlobalMaxPool${rank}D`]: gmax,
      [`ZeroPadding${rank}D`]: padding(`ZeroPadding${rank}D`, rank, 1),
      [`Cropping${rank}D`]: padding(`Cropping${rank}D`, rank, -1),
      [`UpSampling${rank}D`]: upsampling(`UpSampling${rank}D`, rank),
    });
  }
  return out;
}
