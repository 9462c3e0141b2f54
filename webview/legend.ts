// The legend in the graph's corner: how shortcuts are drawn, and, with a heat map on, the metric
// with its convention (MACs vs FLOPs), the colour scale and its range.

import { formatBytes, formatScaled } from "../src/cli/format";
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
  update(metric: HeatMetric, heat: HeatResult | null): void;
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
    update(metric, heat) {
      if (metric === "none" || !heat) {
        heatPart.replaceChildren();
        return;
      }
      const fmt = metric === "memory" ? formatBytes : formatScaled;
      const swatches = Array.from({ length: HEAT_LEVELS }, (_, i) => el("span", { className: `heat-swatch-${i}` }));
      heatPart.replaceChildren(
        el("div", { className: "rg-legend-title", text: HEAT_TITLES[metric] }),
        el("div", { className: "rg-legend-scale" }, swatches),
        el("div", { className: "rg-legend-range" }, [el("span", { text: fmt(heat.min) }), el("span", { text: "quantiles" }), el("span", { text: fmt(heat.max) })]),
        el("div", { className: "rg-legend-note", text: metric === "macs" ? "Conv + linear/dense (+ matmul) only, as the ResNet paper counts them. Uncoloured: 0." : "Uncoloured: 0." }),
      );
    },
  };
}
