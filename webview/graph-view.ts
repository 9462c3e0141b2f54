// The SVG graph panel: owns the <svg>, d3-zoom, viewport culling for huge graphs and pointer events
// (delegated once on the root, so 20,000 boxes cost no listeners). Drawing itself is graph-svg.ts.
//
// Pan and zoom gestures move pixels, not SVG: while the user drags or turns the wheel, the zoom
// change is a CSS transform of the <svg> element, a composited layer (will-change: transform), so a
// frame costs no SVG layout, paint or raster. Changing the SVG's own transform instead re-lays out
// every label at each new scale (Blink sizes SVG text for the screen), which took 5-7 ms a frame at
// 5,000 layers. When the gesture ends the transform moves into the SVG (one re-layout, crisp text)
// and the CSS transform goes back to none. Programmatic moves (fit, centre, buttons) commit at once.

import { select, type Selection } from "d3-selection";
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from "d3-zoom";
import "d3-transition";
import type { LaidEdge, LaidGroup, LaidNode, Layout } from "../src/view/types";
import { drawScene, updateMarks, type SceneData, type SceneItems } from "./graph-svg";

/** Above this many visible boxes only what is near the viewport is drawn (text layout of every label
 * is what a first paint costs; 400 keeps ResNet-50 fully in the DOM, ResNet-152 expanded culled). */
export const CULL_THRESHOLD = 400;
/** Below this zoom the box and frame labels are hidden (11px text would be under 4px tall). */
export const LABEL_ZOOM = 0.35;
const SVG_NS = "http://www.w3.org/2000/svg";

export interface GraphEvents {
  select(id: string): void;
  toggle(groupId: string): void;
  reveal(nodeId: string): void;
  viewportChanged(): void;
}

export interface Transform {
  x: number;
  y: number;
  k: number;
}

export class GraphView {
  readonly svg: SVGSVGElement;
  private readonly root: Selection<SVGGElement, unknown, null, undefined>;
  /** The zoom listens on the pane, which is never transformed (pointer positions stay true). */
  private readonly pane: Selection<HTMLElement, unknown, null, undefined>;
  private readonly zoomer: ZoomBehavior<HTMLElement, unknown>;
  /** The transform the SVG content is drawn with; during a gesture a CSS transform covers the rest. */
  private committed: ZoomTransform = zoomIdentity;
  private layout: Layout | null = null;
  private data: SceneData | null = null;
  private transform: ZoomTransform = zoomIdentity;
  private cullPending = false;
  private culling = false;
  private labelsHidden = false;
  /** The region (layout coordinates) whose boxes are in the DOM while culling. */
  private drawnRect: { x: number; y: number; width: number; height: number } | null = null;
  /** Drawing-area size, tracked by a ResizeObserver so fitting or culling never forces a layout. */
  private size = { width: 0, height: 0 };

  constructor(container: HTMLElement, private readonly events: GraphEvents) {
    this.svg = document.createElementNS(SVG_NS, "svg");
    this.svg.setAttribute("class", "rg-svg");
    this.svg.setAttribute("tabindex", "0");
    this.svg.setAttribute("role", "img");
    this.svg.setAttribute("aria-label", "Model graph");
    container.append(this.svg);
    const svg = select(this.svg);
    appendDefs(this.svg);
    this.root = svg.append("g").attr("class", "rg-viewport");
    this.pane = select(container);
    this.zoomer = zoom<HTMLElement, unknown>()
      .scaleExtent([0.02, 4])
      // The legend scrolls and the minimap drags on their own; neither pans the graph.
      .filter((event: Event & { ctrlKey?: boolean; button?: number }) => (!event.ctrlKey || event.type === "wheel") && !event.button && !(event.target as Element | null)?.closest?.(".rg-legend, .rg-minimap"))
      // d3-zoom's default extent reads clientWidth (a forced layout per zoom event): use our size.
      .extent(() => {
        const { width, height } = this.viewportSize();
        return [
          [0, 0],
          [width, height],
        ];
      })
      .on("zoom", (event: D3ZoomEvent<HTMLElement, unknown>) => {
        this.transform = event.transform;
        if (event.sourceEvent) this.moveLayer();
        else this.commit();
        // Far out, labels are unreadable anyway: hiding them makes each frame's SVG layout cheap.
        const far = event.transform.k < LABEL_ZOOM;
        if (far !== this.labelsHidden) {
          this.labelsHidden = far;
          this.svg.classList.toggle("rg-zoomed-out", far);
        }
        if (this.culling) this.scheduleCull();
        this.events.viewportChanged();
      })
      .on("end", () => this.commit());
    this.pane.call(this.zoomer).on("dblclick.zoom", null);
    new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      this.size = { width: r.width, height: r.height };
    }).observe(this.svg);
    this.svg.addEventListener("click", (e) => this.onClick(e));
    this.svg.addEventListener("dblclick", (e) => this.onDoubleClick(e));
  }

  /** Re-joins everything (keyed by id): call after the layout or the model changed. */
  render(layout: Layout, data: SceneData): void {
    this.layout = layout;
    this.data = data;
    this.culling = layout.nodes.length + layout.groups.length > CULL_THRESHOLD;
    this.drawnRect = null;
    drawScene(this.root, data, this.itemsToDraw());
  }

  /** Selection, search hits, heat: class changes only. */
  updateMarks(data: SceneData): void {
    this.data = data;
    updateMarks(this.root, data);
  }

  getTransform(): Transform {
    return { x: this.transform.x, y: this.transform.y, k: this.transform.k };
  }

  setTransform(t: Transform): void {
    this.pane.call(this.zoomer.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
  }

  /** Mid-gesture: shows the current transform by moving the SVG's pixels (screen = M ∘ committed). */
  private moveLayer(): void {
    const t = this.transform;
    const c = this.committed;
    const s = t.k / c.k;
    this.svg.style.transform = `translate(${t.x - c.x * s}px, ${t.y - c.y * s}px) scale(${s})`;
  }

  /** Draws the SVG with the current transform and drops the CSS one. */
  private commit(): void {
    if (this.committed !== this.transform) {
      this.committed = this.transform;
      this.root.attr("transform", this.transform.toString());
    }
    if (this.svg.style.transform) this.svg.style.transform = "";
  }

  /** Size of the drawing area in CSS pixels. */
  viewportSize(): { width: number; height: number } {
    if (this.size.width === 0) {
      // Before the first observation (the very first render) measure once.
      const r = this.svg.getBoundingClientRect();
      this.size = { width: r.width, height: r.height };
    }
    return { width: this.size.width || 800, height: this.size.height || 600 };
  }

  /** Fits the whole graph; a tall narrow graph is fitted to the width, starting at its top. */
  fit(): void {
    if (!this.layout) return;
    const { width, height } = this.viewportSize();
    const pad = 24;
    const w = Math.max(1, this.layout.width);
    const h = Math.max(1, this.layout.height);
    const kAll = Math.min((width - 2 * pad) / w, (height - 2 * pad) / h);
    // Fitting 500 layers into one screen makes every label unreadable: never below a readable
    // scale; a graph taller than that starts at its top and scrolls.
    const k = Math.min(1.1, Math.max(kAll, Math.min(0.7, (width - 2 * pad) / w)));
    const x = (width - w * k) / 2;
    const y = h * k < height ? (height - h * k) / 2 : pad;
    this.setTransform({ x, y, k });
  }

  zoomBy(factor: number): void {
    this.pane.call(this.zoomer.scaleBy, factor);
  }

  /** Pans so that the box `id` is in the middle, keeping the zoom level. */
  centerOn(id: string): void {
    const box = this.layout?.nodes.find((n) => n.id === id);
    if (box) this.centerOnPoint(box.x, box.y);
  }

  centerOnPoint(x: number, y: number): void {
    const { width, height } = this.viewportSize();
    const k = Math.max(this.transform.k, 0.6);
    this.setTransform({ x: width / 2 - x * k, y: height / 2 - y * k, k });
  }

  /** The part of the graph (layout coordinates) currently on screen. */
  visibleRect(): { x: number; y: number; width: number; height: number } {
    const { width, height } = this.viewportSize();
    const t = this.transform;
    return { x: -t.x / t.k, y: -t.y / t.k, width: width / t.k, height: height / t.k };
  }

  private scheduleCull(): void {
    // Hysteresis: while the view stays inside the region drawn last time (one viewport of margin on
    // every side) a pan or small zoom only moves the transform; nothing is re-joined.
    // Re-joined once the view comes within half a viewport of the drawn region's edge, so each
    // re-join enters about half a viewport of new boxes (a small, steady cost instead of a spike).
    // A re-join is still the costliest frame of a pan: any change inside the SVG makes Blink lay
    // out all of its text again (~4-5 ms for the ~120 labels drawn at 5,000 layers).
    const v = this.visibleRect();
    const d = this.drawnRect;
    const mx = v.width / 2;
    const my = v.height / 2;
    if (d && v.x - mx >= d.x && v.y - my >= d.y && v.x + v.width + mx <= d.x + d.width && v.y + v.height + my <= d.y + d.height && v.width * 3.5 > d.width) return;
    if (this.cullPending) return;
    this.cullPending = true;
    requestAnimationFrame(() => {
      this.cullPending = false;
      if (this.layout && this.data) drawScene(this.root, this.data, this.itemsToDraw());
    });
  }

  private itemsToDraw(): SceneItems {
    const layout = this.layout!;
    if (!this.culling) return { nodes: layout.nodes, groups: layout.groups, edges: layout.edges };
    // One extra viewport on every side, so a pan shows boxes already drawn.
    const v = this.visibleRect();
    const x0 = v.x - v.width;
    const x1 = v.x + 2 * v.width;
    const y0 = v.y - v.height;
    const y1 = v.y + 2 * v.height;
    this.drawnRect = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    const near = (b: { x: number; y: number; width: number; height: number }): boolean =>
      b.x + b.width / 2 >= x0 && b.x - b.width / 2 <= x1 && b.y + b.height / 2 >= y0 && b.y - b.height / 2 <= y1;
    const nodes: LaidNode[] = layout.nodes.filter(near);
    const groups: LaidGroup[] = layout.groups.filter(
      (g) => g.x + g.width >= x0 && g.x <= x1 && g.y + g.height >= y0 && g.y <= y1,
    );
    const edges: LaidEdge[] = layout.edges.filter((e) =>
      e.points.some(([px, py]) => px >= x0 && px <= x1 && py >= y0 && py <= y1),
    );
    return { nodes, groups, edges };
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as Element | null;
    if (!target) return;
    const header = target.closest(".rg-frame-header");
    const owner = header?.closest("[data-group-id]");
    if (owner) return this.events.toggle(owner.getAttribute("data-group-id")!);
    const glyph = target.closest(".rg-glyph");
    if (glyph) return this.events.toggle(glyph.closest(".rg-collapsed")!.getAttribute("data-group-id")!);
    const box = target.closest(".rg-node, .rg-collapsed");
    if (box) this.events.select(box.getAttribute("data-node-id") ?? box.getAttribute("data-group-id")!);
  }

  private onDoubleClick(e: MouseEvent): void {
    const box = (e.target as Element | null)?.closest(".rg-node, .rg-collapsed");
    if (!box) return;
    const nodeId = box.getAttribute("data-node-id");
    if (nodeId) this.events.reveal(nodeId);
    else this.events.toggle(box.getAttribute("data-group-id")!);
  }
}

/** Arrowheads, one per edge style (markers cannot inherit the stroke colour in SVG 1.1). */
function appendDefs(svg: SVGSVGElement): void {
  const defs = document.createElementNS(SVG_NS, "defs");
  for (const kind of ["main", "identity", "projection"]) {
    const marker = document.createElementNS(SVG_NS, "marker");
    marker.setAttribute("id", `rg-arrow-${kind}`);
    marker.setAttribute("viewBox", "0 0 10 10");
    marker.setAttribute("refX", "9");
    marker.setAttribute("refY", "5");
    marker.setAttribute("markerWidth", "7");
    marker.setAttribute("markerHeight", "7");
    marker.setAttribute("orient", "auto-start-reverse");
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", "M0,0 L10,5 L0,10 z");
    path.setAttribute("class", `rg-arrow-${kind}`);
    marker.append(path);
    defs.append(marker);
  }
  // Diagonal hatching for layers a profile skipped (media/webview.css fills them with it).
  const hatch = document.createElementNS(SVG_NS, "pattern");
  hatch.setAttribute("id", "rg-hatch");
  hatch.setAttribute("width", "6");
  hatch.setAttribute("height", "6");
  hatch.setAttribute("patternUnits", "userSpaceOnUse");
  hatch.setAttribute("patternTransform", "rotate(45)");
  const stripe = document.createElementNS(SVG_NS, "rect");
  stripe.setAttribute("width", "2");
  stripe.setAttribute("height", "6");
  stripe.setAttribute("class", "rg-hatch-stripe");
  hatch.append(stripe);
  defs.append(hatch);
  svg.append(defs);
}
