// ReflectionPad, ReplicationPad, ZeroPad and ConstantPad (1d/2d/3d). They record the same attrs as
// F.pad (op "pad", `pad` in PyTorch's last-dimension-first order, `mode`), so the profiler builds the
// constant ones the way it builds F.pad.

import type { PyClass } from "../../interp/values";
import { float } from "../../interp/values";
import { toIntTuple, toNumber } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { checkRank, defineLayer, intTuple, layerLabel, setAttrs } from "./define-layer";
import { moduleNode } from "./nodes";
import { formatShape } from "./shape-math";

type PadMode = "constant" | "reflect" | "replicate";

interface PadConfig {
  /** (left, right, top, bottom, front, back): pairs from the last dimension backwards. */
  pad: number[];
  value: number;
}

/** Output shape of padding `pad` (last-dimension-first pairs). */
export function paddedShape(shape: Shape, pad: number[]): Shape {
  const out: Shape = [...shape];
  for (let i = 0; i < pad.length / 2; i++) {
    const d = out.length - 1 - i;
    const cur = out[d];
    if (d >= 0) out[d] = cur === null ? null : cur + pad[2 * i] + pad[2 * i + 1];
  }
  return out;
}

function padClass(name: string, n: number, mode: PadMode, withValue: boolean): PyClass {
  return defineLayer<PadConfig>({
    name,
    spec: withValue ? ["padding", "value"] : ["padding"],
    init(ctx, self, a) {
      // An int pads every side; a tuple lists 2n values (left, right[, top, bottom[, front, back]]).
      const pad = toIntTuple(ctx, a.padding, 2 * n, "padding");
      const value = withValue ? toNumber(ctx, a.value, "value") : 0;
      setAttrs(self, { padding: intTuple(pad), ...(withValue || mode === "constant" ? { value: float(value) } : {}) });
      return { pad, value };
    },
    forward(ctx, self, c, x) {
      checkRank(ctx, self, name, x, [n + 1, n + 2]);
      let shape = paddedShape(x.shape, c.pad);
      if (mode === "reflect") {
        // Reflection needs each padding smaller than the dimension it pads.
        for (let i = 0; i < n; i++) {
          const len = x.shape[x.shape.length - 1 - i];
          const worst = Math.max(c.pad[2 * i], c.pad[2 * i + 1]);
          if (len !== null && len !== undefined && worst >= len) {
            ctx.reportError(
              `${layerLabel(self, name)}: padding ${worst} must be smaller than the input dimension ${len} it reflects (input shape ${formatShape(x.shape)}).`,
              "shape-mismatch",
            );
          }
        }
      }
      if (shape.some((d) => d !== null && d <= 0)) {
        ctx.reportError(`${layerLabel(self, name)}: the padded shape ${formatShape(shape)} has an empty dimension.`, "shape-mismatch");
        shape = shape.map((d) => (d !== null && d <= 0 ? 1 : d));
      }
      const attrs = { pad: c.pad, mode, ...(mode === "constant" ? { value: c.value } : {}) };
      return moduleNode(ctx, self, { op: "pad", category: "reshape", inputs: [x], shape, attrs });
    },
  });
}

export const PAD_CLASSES: Record<string, PyClass> = {};
for (const n of [1, 2, 3]) {
  PAD_CLASSES[`ReflectionPad${n}d`] = padClass(`ReflectionPad${n}d`, n, "reflect", false);
  PAD_CLASSES[`ReplicationPad${n}d`] = padClass(`ReplicationPad${n}d`, n, "replicate", false);
  PAD_CLASSES[`ZeroPad${n}d`] = padClass(`ZeroPad${n}d`, n, "constant", false);
  PAD_CLASSES[`ConstantPad${n}d`] = padClass(`ConstantPad${n}d`, n, "constant", true);
}
