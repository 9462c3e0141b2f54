// Export of the whole graph (not only the part near the viewport) as SVG or PNG. The SVG carries its
// own <style>: the stylesheet's rules plus the current --graph-* colours resolved to values, so the
// file looks the same outside this page.

import { select } from "d3-selection";
import type { Layout } from "../src/view/types";
import { drawScene, type SceneData } from "./graph-svg";

const SVG_NS = "http://www.w3.org/2000/svg";

export function exportSvgText(source: SVGSVGElement, layout: Layout, data: SceneData): string {
  const pad = 20;
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("xmlns", SVG_NS);
  svg.setAttribute("class", `rg-export ${source.classList.contains("rg-show-edge-labels") ? "rg-show-edge-labels" : ""}`.trim());
  const w = Math.ceil(layout.width + 2 * pad);
  const h = Math.ceil(layout.height + 2 * pad);
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("viewBox", `${-pad} ${-pad} ${w} ${h}`);
  const style = document.createElementNS(SVG_NS, "style");
  style.textContent = exportCss();
  svg.append(style);
  const bg = document.createElementNS(SVG_NS, "rect");
  bg.setAttribute("class", "rg-export-bg");
  bg.setAttribute("x", String(-pad));
  bg.setAttribute("y", String(-pad));
  bg.setAttribute("width", String(w));
  bg.setAttribute("height", String(h));
  svg.append(bg);
  const defs = source.querySelector("defs");
  if (defs) svg.append(defs.cloneNode(true));
  const root = document.createElementNS(SVG_NS, "g");
  svg.append(root);
  drawScene(select(root), data, { nodes: layout.nodes, groups: layout.groups, edges: layout.edges });
  root.querySelectorAll("title").forEach((t) => t.remove());
  return new XMLSerializer().serializeToString(svg);
}

/** The stylesheet rules that apply to the graph, plus every --graph-* variable resolved now. */
function exportCss(): string {
  const rules: string[] = [];
  const names = new Set<string>();
  for (const sheet of Array.from(document.styleSheets)) {
    let list: CSSRuleList;
    try {
      list = sheet.cssRules;
    } catch {
      continue; // a cross-origin sheet cannot be read; ours never is
    }
    for (const rule of Array.from(list)) {
      const text = rule.cssText;
      for (const m of text.matchAll(/--graph-[a-z0-9-]+/g)) names.add(m[0]);
      if (rule instanceof CSSStyleRule && /\.(rg-|cat-|heat-)|marker/.test(rule.selectorText) && !/\.rg-(toolbar|table|side|legend|minimap|status)/.test(rule.selectorText)) {
        rules.push(text);
      }
    }
  }
  const computed = getComputedStyle(document.body);
  const vars = [...names].map((n) => `${n}: ${computed.getPropertyValue(n).trim()};`).join(" ");
  return `svg.rg-export { ${vars} font-family: ${computed.getPropertyValue("--graph-font").trim() || "sans-serif"}; }\n.rg-export-bg { fill: var(--graph-bg); }\n${rules.join("\n")}`;
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Rasterises the exported SVG at 2x (capped to what a canvas can hold). */
export async function svgToPng(svgText: string, width: number, height: number): Promise<Blob> {
  const maxSide = 16_000;
  const scale = Math.max(0.1, Math.min(2, maxSide / Math.max(width, height), Math.sqrt(120e6 / (width * height))));
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("The SVG could not be rasterised."));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext("2d")!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed."))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}
