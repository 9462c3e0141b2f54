// PixelShuffle / PixelUnshuffle (sub-pixel convolution): channels traded for spatial size, no params.

import type { PyClass } from "../../interp/values";
import { int } from "../../interp/values";
import { toInt } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { checkRank, defineLayer, layerLabel, setAttrs } from "./define-layer";
import { moduleNode } from "./nodes";
import { formatShape } from "./shape-math";

/** [*, C*r², H, W] -> [*, C, H*r, W*r] (shuffle) or its inverse (unshuffle); a string when it does not divide. */
export function pixelShuffleShape(shape: Shape, r: number, inverse: boolean): Shape | string {
  const lead = shape.slice(0, -3);
  const [c, h, w] = shape.slice(-3);
  if (!inverse) {
    if (c !== null && c % (r * r) !== 0) return `the channel count ${c} is not divisible by the upscale factor squared (${r * r})`;
    return [...lead, c === null ? null : c / (r * r), h === null ? null : h * r, w === null ? null : w * r];
  }
  if ((h !== null && h % r !== 0) || (w !== null && w % r !== 0)) return `the spatial size ${h}x${w} is not divisible by the downscale factor ${r}`;
  return [...lead, c === null ? null : c * r * r, h === null ? null : h / r, w === null ? null : w / r];
}

function shuffleClass(name: string, argName: string, inverse: boolean): PyClass {
  return defineLayer<{ r: number }>({
    name,
    spec: [argName],
    init(ctx, self, a) {
      const r = toInt(ctx, a[argName], argName);
      if (r <= 0) ctx.raise("ValueError", `${name}: ${argName} must be a positive integer, got ${r}.`);
      setAttrs(self, { [argName]: int(r) });
      return { r };
    },
    forward(ctx, self, c, x) {
      if (x.shape.length < 3) {
        checkRank(ctx, self, name, x, [3, 4]);
        return moduleNode(ctx, self, { op: name, category: "reshape", inputs: [x], shape: null, attrs: { [argName]: c.r } });
      }
      let shape = pixelShuffleShape(x.shape, c.r, inverse);
      if (typeof shape === "string") {
        ctx.reportError(`${layerLabel(self, name)}: ${shape} (input shape ${formatShape(x.shape)}).`, "shape-mismatch");
        shape = x.shape.map(() => null);
      }
      return moduleNode(ctx, self, { op: name, category: "reshape", inputs: [x], shape, attrs: { [argName]: c.r } });
    },
  });
}

export const SHUFFLE_CLASSES: Record<string, PyClass> = {
  PixelShuffle: shuffleClass("PixelShuffle", "upscale_factor", false),
  PixelUnshuffle: shuffleClass("PixelUnshuffle", "downscale_factor", true),
};
