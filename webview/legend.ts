// The legend in the graph's corner: how shortcuts are drawn, and, with a heat map on, the metric
// with its convention (MACs vs FLOPs), the colour scale and its range.

import { formatBytes, formatScaled } from "../src/cli/format";
import { formatMs } from "../src/view/heat";
import type { ProfileResult } from "../src/profile/result";
import { el } from "./dom";
import { HEAT_LEVELS, HEAT_TITLES, type HeatMetric, type HeatResult } from "./overlays";

const SVG_NS = "http://www.w3.org/2000/svg";

function keySample(kind: "identity" | "projection" | "main"): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("width", "26");
  svg.setAttribute("height", "10");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", kind === "main" ? "M1,5 L25,5" : "M1,8 C8,0 18,0 25,8");
  path.setAttribute("class", kind === "main" ? "rg-key-main" : `rg-arc rg-shortcut-${kind}`);
  svg.append(path);
  return svg;
}

export interface Legend {
  element: HTMLElement;
  update(metric: HeatMetric, heat: HeatResult | null, profile?: ProfileResult | null): void;
}

export function createLegend(): Legend {
  const heatPart = el("div", { attrs: { "data-role": "heat-legend" } });
  const keys = el("div", { className: "rg-legend-keys" }, [
    el("span", {}, [keySample("identity"), " identity shortcut"]),
    el("span", {}, [keySample("projection"), " projection (1×1 conv)"]),
  ]);
  const element = el("div", { className: "rg-legend", attrs: { "data-role": "legend" } }, [heatPart, keys]);
  return {
    element,
    update(metric, heat, profile) {
      if (metric === "none" || !heat) {
        heatPart.replaceChildren();
        return;
      }
      if (metric === "latency" && !profile) {
        heatPart.replaceChildren(el("div", { className: "rg-legend-note", text: "No profile yet: run ResGraph: Profile on GPU (or the Profile button) to colour by latency." }));
        return;
      }
      const fmt = metric === "memory" ? formatBytes : metric === "latency" ? formatMs : formatScaled;
      const swatches = Array.from({ length: HEAT_LEVELS }, (_, i) => el("span", { className: `heat-swatch-${i}` }));
      heatPart.replaceChildren(
        el("div", { className: "rg-legend-title", text: HEAT_TITLES[metric] }),
        el("div", { className: "rg-legend-scale" }, swatches),
        el("div", { className: "rg-legend-range" }, [el("span", { text: fmt(heat.min) }), el("span", { text: "quantiles" }), el("span", { text: fmt(heat.max) })]),
        ...(metric === "latency" && profile
          ? profileLines(profile)
          : [el("div", { className: "rg-legend-note", text: metric === "macs" ? "Conv + linear/dense (+ matmul) only, as the ResNet paper counts them. Uncoloured: 0." : "Uncoloured: 0." })]),
      );
    },
  };
}

const METHOD_WORDS: Record<ProfileResult["method"], string> = {
  "kernel-profile": "per-kernel times from tf.profile",
  "in-pass": "each layer timed inside a forward pass",
  "in-pass-readback": "each layer timed with a one-element read-back (its cost subtracted)",
};

/** What was measured, where and how: the numbers mean nothing without it. */
function profileLines(r: ProfileResult): HTMLElement[] {
  const input = r.input.map((s) => `[${s.join(", ")}]`).join(", ");
  const lines = [
    `${r.backend}: ${r.device}`,
    `batch ${r.batch} · input ${input} · ${r.layout}`,
    `Latency = median of ${r.runs} run${r.runs === 1 ? "" : "s"} after ${r.warmup} warm-up${r.warmup === 1 ? "" : "s"} (${METHOD_WORDS[r.method]}).`,
    `Whole model ${formatMs(r.wholeModel.medianMs)}; layer sum / whole = ${r.ratio.toFixed(2)}.`,
  ];
  if (r.skipped.length > 0) lines.push(`${r.skipped.length} layer${r.skipped.length === 1 ? "" : "s"} not profiled (hatched; hover for why).`);
  const fused = r.fused?.length ?? 0;
  if (fused > 0) lines.push(`${fused} BatchNorm/activation layer${fused === 1 ? "" : "s"} ran fused into the conv before them: uncoloured, their time is in that conv.`);
  lines.push("Uncoloured: not measured.");
  return lines.map((text, i) => el("div", { className: "rg-legend-note", text, attrs: i === 0 ? { "data-role": "profile-device" } : {} }));
}
