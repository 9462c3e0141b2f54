// Preprocessing and augmentation layers: random augmentations are identity at inference;
// Resizing / CenterCrop change the spatial size.

import type { PyClass } from "../../interp/values";
import { toInt, toStr } from "../../interp/args";
import { defineLayer } from "./layer-class";
import { formatShape } from "./shapes";

const identityLayer = (className: string): PyClass =>
  defineLayer({ className, category: "math", args: ["*args"], apply: (x) => ({ shape: x.shapes[0] }) });

const resizeLayer = (className: string): PyClass =>
  defineLayer({
    className,
    category: "reshape",
    args: ["height", "width", "interpolation=", "crop_to_aspect_ratio=", "pad_to_aspect_ratio=", "fill_mode=", "fill_value=", "data_format="],
    configure: (ctx, a) => ({
      height: toInt(ctx, a.height, "height"),
      width: toInt(ctx, a.width, "width"),
      channels_first: toStr(ctx, a.data_format, "data_format", "channels_last") === "channels_first",
    }),
    apply(x) {
      const s = x.shapes[0].slice();
      if (s.length !== 4) {
        x.ctx.reportError(`${x.className} '${x.name}' expects a 4D image batch, got shape ${formatShape(s)}.`, "shape-mismatch");
        return { shape: s };
      }
      const [h, w] = x.cfg.channels_first ? [2, 3] : [1, 2];
      s[h] = x.cfg.height as number;
      s[w] = x.cfg.width as number;
      return { shape: s };
    },
  });

export function preprocessingLayers(): Record<string, PyClass> {
  const out: Record<string, PyClass> = {
    Resizing: resizeLayer("Resizing"),
    CenterCrop: resizeLayer("CenterCrop"),
    RandomCrop: resizeLayer("RandomCrop"),
  };
  for (const n of ["RandomFlip", "RandomRotation", "RandomZoom", "RandomContrast", "RandomTranslation", "RandomBrightness"]) {
    out[n] = identityLayer(n);
  }
  return out;
}
