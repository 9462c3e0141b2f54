// The toolbar: expand/collapse/depth, fit and zoom, search with next/previous, heat-map metric,
// edge labels, export and copy. It only raises intents; the app decides what they do.

import { button, el } from "./dom";
import type { HeatMetric } from "./overlays";
import { WEBVIEW_BACKENDS, type WebviewBackend } from "../src/protocol";

export interface ToolbarIntents {
  expandAll(): void;
  collapseAll(): void;
  expandToDepth(depth: number): void;
  fit(): void;
  zoom(factor: number): void;
  search(query: string): void;
  searchStep(direction: 1 | -1): void;
  heat(metric: HeatMetric): void;
  edgeLabels(on: boolean): void;
  exportSvg(): void;
  exportPng(): void;
  copyDetails(): void;
  slowestBlock(): void;
  /** Profile in this view on `backend` (the host may decide otherwise inside VS Code). */
  profile(backend: WebviewBackend): void;
  cancelProfile(): void;
}

export interface Toolbar {
  element: HTMLElement;
  searchInput: HTMLInputElement;
  setTitle(title: string, sub: string): void;
  setSearchCount(text: string): void;
  setHeat(metric: HeatMetric): void;
  /** A profile result is shown: latency heat and "slowest block" become usable. */
  setProfileAvailable(on: boolean): void;
  /** A profile is running: the Profile menu is replaced by Cancel. */
  setProfiling(running: boolean): void;
}

export function createToolbar(intents: ToolbarIntents): Toolbar {
  const title = el("span", { className: "rg-title" });
  const depth = el("select", { title: "Expand groups down to this depth", attrs: { "data-action": "depth", "aria-label": "Depth" } }, [
    el("option", { text: "Depth…", attrs: { value: "" } }),
    ...[1, 2, 3, 4].map((d) => el("option", { text: `${d}`, attrs: { value: String(d) } })),
  ]);
  depth.addEventListener("change", () => {
    if (depth.value) intents.expandToDepth(Number(depth.value));
    depth.value = "";
  });

  const searchInput = el("input", {
    title: "Search layers by name or op (/ to focus, Enter next, Shift+Enter previous)",
    attrs: { type: "search", placeholder: "Search name or op  ( / )", "aria-label": "Search layers", "data-action": "search" },
  });
  searchInput.addEventListener("input", () => intents.search(searchInput.value));
  searchInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      intents.searchStep(e.shiftKey ? -1 : 1);
    } else if (e.key === "Escape") {
      searchInput.value = "";
      intents.search("");
    }
  });
  const count = el("span", { className: "rg-search-count", attrs: { "data-role": "search-count" } });

  const heat = el("select", { title: "Colour boxes by a metric", attrs: { "data-action": "heat", "aria-label": "Heat map" } }, [
    el("option", { text: "none", attrs: { value: "none" } }),
    el("option", { text: "MACs", attrs: { value: "macs" } }),
    el("option", { text: "params", attrs: { value: "params" } }),
    el("option", { text: "activation memory", attrs: { value: "memory" } }),
    el("option", { text: "latency", attrs: { value: "latency", disabled: "", title: "Profile the model first" } }),
  ]);
  const latencyOption = heat.querySelector<HTMLOptionElement>('option[value="latency"]')!;
  heat.addEventListener("change", () => intents.heat(heat.value as HeatMetric));

  const edgeLabels = el("input", { attrs: { type: "checkbox", "data-action": "edge-labels" } });
  edgeLabels.addEventListener("change", () => intents.edgeLabels(edgeLabels.checked));

  const profile = el("select", { title: "Measure each layer's latency in this view (webgpu/webgl use your GPU)", attrs: { "data-action": "profile", "aria-label": "Profile" } }, [
    el("option", { text: "Profile…", attrs: { value: "" } }),
    ...WEBVIEW_BACKENDS.map((b) => el("option", { text: b, attrs: { value: b } })),
  ]);
  profile.addEventListener("change", () => {
    const backend = profile.value as WebviewBackend | "";
    profile.value = "";
    if (backend) intents.profile(backend);
  });
  const cancel = button("cancel-profile", "Cancel", "Stop the running profile");
  cancel.hidden = true;
  cancel.addEventListener("click", intents.cancelProfile);
  const slowest = button("slowest-block", "Slowest block", "Select and centre the residual block that takes longest (needs a profile)");
  slowest.disabled = true;
  slowest.addEventListener("click", intents.slowestBlock);

  const on = (b: HTMLButtonElement, f: () => void): HTMLButtonElement => {
    b.addEventListener("click", f);
    return b;
  };
  const element = el("div", { className: "rg-toolbar", attrs: { role: "toolbar" } }, [
    title,
    on(button("expand-all", "Expand all", "Open every group"), intents.expandAll),
    on(button("collapse-all", "Collapse all", "Close every group (blocks stay visible as glyphs)"), intents.collapseAll),
    depth,
    el("span", { className: "rg-sep" }),
    on(button("fit", "Fit", "Fit the graph to the view"), intents.fit),
    on(button("zoom-in", "+", "Zoom in"), () => intents.zoom(1.25)),
    on(button("zoom-out", "−", "Zoom out"), () => intents.zoom(0.8)),
    el("span", { className: "rg-sep" }),
    searchInput,
    on(button("search-prev", "▲", "Previous match (Shift+Enter)"), () => intents.searchStep(-1)),
    on(button("search-next", "▼", "Next match (Enter)"), () => intents.searchStep(1)),
    count,
    el("span", { className: "rg-sep" }),
    el("label", { text: "Heat" }, [heat]),
    el("label", { title: "Show tensor shapes on edges" }, [edgeLabels, "shapes"]),
    el("span", { className: "rg-sep" }),
    on(button("export-svg", "SVG", "Export the graph as SVG"), intents.exportSvg),
    on(button("export-png", "PNG", "Export the graph as PNG"), intents.exportPng),
    on(button("copy-details", "Copy", "Copy the selected node's details"), intents.copyDetails),
    el("span", { className: "rg-sep" }),
    profile,
    cancel,
    slowest,
  ]);
  return {
    element,
    searchInput,
    setTitle(text, sub) {
      title.replaceChildren(text, el("span", { className: "rg-sub", text: sub }));
    },
    setSearchCount: (text) => void (count.textContent = text),
    setHeat: (metric) => void (heat.value = metric),
    setProfileAvailable(on) {
      latencyOption.disabled = !on;
      latencyOption.title = on ? "Colour by measured latency" : "Profile the model first";
      slowest.disabled = !on;
    },
    setProfiling(running) {
      profile.hidden = running;
      cancel.hidden = !running;
    },
  };
}
