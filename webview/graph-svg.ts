// Draws a laid-out graph into an SVG <g> with keyed d3 joins: one element per node, collapsed group,
// expanded group frame and edge, keyed by id, so re-rendering after a change touches only what
// changed and keeps every other element (and the user's zoom, selection and open groups) intact.
// Code sets classes and geometry only; colours live in media/webview.css.

import { select, type Selection } from "d3-selection";
import { line, curveBasis, curveLinear } from "d3-shape";
import type { LaidEdge, LaidGroup, LaidNode, ViewGroup, ViewNode } from "../src/view/types";
import { formatScaled } from "../src/cli/format";
import { formatInt } from "../src/view/format";

export interface SceneData {
  nodes: ReadonlyMap<string, ViewNode>;
  groups: ReadonlyMap<string, ViewGroup>;
  /** Heat level (0..9) per visible id when a heat map is on. */
  heat: ReadonlyMap<string, number> | null;
  selected: string | null;
  matches: ReadonlySet<string>;
  /** Tensor shape per edge id, shown on edges when the user asks (CSS class rg-show-edge-labels). */
  edgeShapes: ReadonlyMap<string, string>;
  /** Nodes a profile skipped, with the profiler's reason (hatched, reason in the tooltip). */
  skipped?: ReadonlyMap<string, string>;
}

export interface SceneItems {
  nodes: LaidNode[];
  groups: LaidGroup[];
  edges: LaidEdge[];
}

type G = Selection<SVGGElement, unknown, null, undefined>;

/**
 * What an element was last drawn from. A re-render (expand, collapse, re-analysis) compares and skips
 * elements whose geometry and content are unchanged: rewriting even an identical attribute makes the
 * browser lay out and repaint that SVG subtree again.
 */
interface Drawn {
  __rgGeometry?: string;
  __rgContent?: string;
}
function changed(el: Element, key: "__rgGeometry" | "__rgContent", value: string): boolean {
  const d = el as Element & Drawn;
  if (d[key] === value) return false;
  d[key] = value;
  return true;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- builders accept any datum type
type AnyG = Selection<SVGGElement, any, any, any>;

/** Layers in paint order: frames under edges under boxes. Creates them on first use. */
export function ensureLayers(root: G): { frames: G; edges: G; boxes: G } {
  const layer = (name: string): G => {
    const existing = root.select<SVGGElement>(`g.rg-layer-${name}`);
    return (existing.empty() ? root.append("g").attr("class", `rg-layer-${name}`) : existing) as unknown as G;
  };
  return { frames: layer("frames"), edges: layer("edges"), boxes: layer("boxes") };
}

/** Layout coordinates are box centres (dagre's convention, also used by src/view/layout). */
export function corner(b: { x: number; y: number; width: number; height: number }): [number, number] {
  return [b.x - b.width / 2, b.y - b.height / 2];
}

export function drawScene(root: G, data: SceneData, items: SceneItems): void {
  const { frames, edges, boxes } = ensureLayers(root);
  drawFrames(frames, data, items.groups);
  drawEdges(edges, items.edges, data.edgeShapes);
  drawBoxes(boxes, data, items.nodes);
  updateMarks(root, data);
}

/** Selection, search hits and heat classes only: cheap, no join. */
export function updateMarks(root: G, data: SceneData): void {
  root.classed("rg-heat", data.heat !== null);
  root.selectAll<SVGGElement, LaidNode>("g.rg-node, g.rg-collapsed").each(function (d) {
    const el = this;
    el.classList.toggle("rg-selected", d.id === data.selected);
    el.classList.toggle("rg-match", data.matches.has(d.id));
    markSkipped(el, data.skipped?.get(d.id));
    const level = data.heat?.get(d.id);
    const want = level === undefined ? "" : `heat-${level}`;
    const have = el.getAttribute("data-heat") ?? "";
    if (want !== have) {
      if (have) el.classList.remove(have);
      if (want) el.classList.add(want);
      el.classList.toggle("heat-hot", level !== undefined && level >= 6);
      if (want) el.setAttribute("data-heat", want);
      else el.removeAttribute("data-heat");
    }
  });
}

/** Hatches a node the profiler skipped and puts the reason in its tooltip (restored when cleared). */
function markSkipped(el: SVGGElement, reason: string | undefined): void {
  const had = el.getAttribute("data-skipped");
  if ((had ?? undefined) === reason) return;
  el.classList.toggle("rg-skipped", reason !== undefined);
  const title = el.querySelector(":scope > title") as (SVGTitleElement & { __rgBase?: string }) | null;
  if (reason === undefined) {
    el.removeAttribute("data-skipped");
    if (title?.__rgBase !== undefined) title.textContent = title.__rgBase;
    return;
  }
  el.setAttribute("data-skipped", reason);
  if (title) {
    title.__rgBase ??= title.textContent ?? "";
    title.textContent = `${title.__rgBase}\nnot profiled: ${reason}`;
  }
}

// ---- Frames of expanded groups ------------------------------------------------------------------

const FRAME_HEADER = 18;

function drawFrames(layer: G, data: SceneData, laid: LaidGroup[]): void {
  const sorted = [...laid].sort((a, b) => a.depth - b.depth);
  layer
    .selectAll<SVGGElement, LaidGroup>("g.rg-frame")
    .data(sorted, (d) => d.id)
    .join((enter) => {
      const g = enter.append("g");
      g.append("rect").attr("class", "rg-frame-box").attr("rx", 6);
      const header = g.append("g").attr("class", "rg-frame-header");
      header.append("rect").attr("height", FRAME_HEADER);
      header.append("text").attr("class", "rg-frame-label").attr("x", 8).attr("y", 13);
      return g;
    })
    .each(function (d) {
      const group = data.groups.get(d.id);
      const g = select(this);
      const title = group ? `▾ ${frameTitle(group)}` : d.id;
      if (changed(this, "__rgContent", `${group?.kind}|${title}`)) {
        g.attr("class", `rg-frame kind-${group?.kind ?? "scope"}`)
          .attr("data-group-id", d.id)
          .attr("data-block-id", group?.kind === "block" ? d.id : null);
        g.select("text.rg-frame-label").text(title);
      }
      if (changed(this, "__rgGeometry", `${d.x},${d.y},${d.width},${d.height}`)) {
        g.attr("transform", `translate(${d.x},${d.y})`);
        g.select("rect.rg-frame-box").attr("width", d.width).attr("height", d.height);
        g.select(".rg-frame-header rect").attr("width", d.width);
      }
    });
}

function frameTitle(g: ViewGroup): string {
  const repeat = g.repeat > 1 ? ` × ${g.repeat}` : "";
  return `${g.label}${repeat} · ${formatScaled(g.params)} params · ${formatScaled(g.macs)} MACs`;
}

// ---- Edges ------------------------------------------------------------------------------------------

const straight = line().curve(curveLinear);
const smooth = line().curve(curveBasis);

function drawEdges(layer: G, laid: LaidEdge[], shapes: ReadonlyMap<string, string>): void {
  layer
    .selectAll<SVGGElement, LaidEdge>("g.rg-edge")
    .data(laid, (d) => d.id)
    .join((enter) => {
      const g = enter.append("g");
      g.append("path").attr("class", "rg-line");
      g.append("text").attr("class", "rg-edge-label");
      return g;
    })
    .each(function (d) {
      const label = shapes.get(d.id) ?? "";
      if (!changed(this, "__rgGeometry", `${d.shortcut}|${d.block}|${d.source}|${d.target}|${label}|${d.points.join(";")}`)) return;
      const g = select(this);
      const kind = d.shortcut ? `rg-shortcut-${d.shortcut}` : "rg-main";
      g.attr("class", `rg-edge ${kind}`)
        .attr("data-edge-id", d.id)
        .attr("data-shortcut", d.shortcut ?? null)
        .attr("data-block", d.block ?? null);
      // The main path is drawn with straight segments; a shortcut is a smooth bypass arc.
      const path = (d.shortcut && d.points.length > 2 ? smooth : straight)(d.points) ?? "";
      g.select("path.rg-line")
        .attr("d", path)
        .attr("marker-end", `url(#rg-arrow-${d.shortcut ?? "main"})`);
      const mid = d.points[Math.floor((d.points.length - 1) / 2)];
      const end = d.points[Math.min(d.points.length - 1, Math.floor((d.points.length - 1) / 2) + 1)];
      g.select("text.rg-edge-label")
        .attr("x", (mid[0] + end[0]) / 2 + 4)
        .attr("y", (mid[1] + end[1]) / 2 + 3)
        .text(label);
      // A collapsed projection block's bypass passes through its 1x1 conv: a small square on the arc.
      const conv = d.shortcut === "projection" && d.source === d.target ? bypassMidpoint(d.points) : null;
      g.selectAll("rect.rg-arc-conv")
        .data(conv ? [conv] : [])
        .join("rect")
        .attr("class", "rg-arc-conv")
        .attr("x", (p) => p[0] - 5)
        .attr("y", (p) => p[1] - 5)
        .attr("width", 10)
        .attr("height", 10)
        .attr("rx", 1.5);
    });
}

/** The point of a bypass polyline farthest from the box: the middle of its outer segment. */
function bypassMidpoint(points: [number, number][]): [number, number] | null {
  if (points.length < 2) return null;
  let best = 0;
  for (let i = 1; i < points.length; i++) if (points[i][0] > points[best][0]) best = i;
  const next = points[Math.min(points.length - 1, best + 1)];
  return [points[best][0], (points[best][1] + next[1]) / 2];
}

// ---- Boxes: real nodes and collapsed groups -----------------------------------------------------

function drawBoxes(layer: G, data: SceneData, laid: LaidNode[]): void {
  layer
    .selectAll<SVGGElement, LaidNode>("g.rg-node, g.rg-collapsed")
    .data(laid, (d) => d.id)
    .join((enter) => enter.append("g"))
    .each(function (d) {
      const g = select(this);
      // The same id can change kind (a node id never becomes a group id, but be safe): rebuild then.
      const kind = d.kind === "node" ? "node" : "collapsed";
      // Rebuilt when the kind, the size or the shown content changed (a re-analysis with new numbers).
      if (changed(this, "__rgContent", `${kind}|${d.width}x${d.height}|${boxContent(d, data)}`)) {
        this.replaceChildren();
        this.setAttribute("data-kind", kind);
        this.setAttribute("data-size", `${d.width}x${d.height}`);
        const heat = this.getAttribute("data-heat");
        this.removeAttribute("data-heat");
        if (heat) this.classList.remove(heat);
        this.removeAttribute("data-skipped"); // the rebuilt tooltip has no reason yet; updateMarks adds it
        if (d.kind === "node") buildNode(g, d, data.nodes.get(d.id));
        else buildCollapsed(g, d, data.groups.get(d.id), data.groups);
      }
      const [x, y] = corner(d);
      if (changed(this, "__rgGeometry", `${x},${y}`)) g.attr("transform", `translate(${x},${y})`);
    });
}

/** Everything a box shows, as one string (a change means the box is rebuilt). */
function boxContent(d: LaidNode, data: SceneData): string {
  if (d.kind === "node") {
    const n = data.nodes.get(d.id);
    return n ? `${n.category}|${n.op}|${n.label}|${n.shapeText}|${n.params}|${n.macs}|${n.line}` : "";
  }
  const g = data.groups.get(d.id);
  if (!g) return "";
  return `${g.kind}|${g.label}|${g.repeat}|${g.detail}|${g.outShapeText}|${g.shortcut}|${g.params}|${g.macs}|${g.groups.length}`;
}

function buildNode(g: AnyG, d: LaidNode, node: ViewNode | undefined): void {
  const el = g.node()!;
  el.setAttribute("class", `rg-node cat-${node?.category ?? "opaque"}`);
  el.setAttribute("data-node-id", d.id);
  const rx = node?.category === "merge" ? d.height / 2 : 5;
  g.append("rect").attr("class", "rg-box").attr("width", d.width).attr("height", d.height).attr("rx", rx);
  const maxChars = Math.floor((d.width - 14) / 6.2);
  const cx = d.width / 2;
  g.append("text").attr("class", "rg-op").attr("x", cx).attr("y", 15).attr("text-anchor", "middle").text(fit(node?.op ?? d.id, maxChars));
  g.append("text").attr("class", "rg-name").attr("x", cx).attr("y", 28).attr("text-anchor", "middle").text(fit(node?.label ?? "", maxChars));
  g.append("text").attr("class", "rg-shape").attr("x", cx).attr("y", 40).attr("text-anchor", "middle").text(fit(node?.shapeText ?? "", maxChars));
  g.append("title").text(node ? nodeTooltip(node) : d.id);
}

function buildCollapsed(g: AnyG, d: LaidNode, group: ViewGroup | undefined, groups: ReadonlyMap<string, ViewGroup>): void {
  const el = g.node()!;
  const kind = group?.kind ?? "scope";
  el.setAttribute("class", `rg-collapsed kind-${kind}`);
  el.setAttribute("data-group-id", d.id);
  if (kind === "block") el.setAttribute("data-block-id", d.id);
  const boxX = 0;
  const boxW = d.width;
  g.append("rect").attr("class", "rg-box").attr("x", boxX).attr("width", boxW).attr("height", d.height).attr("rx", 7);
  const maxChars = Math.floor((boxW - 14) / 6.4);
  const cx = d.width / 2;
  // The header line toggles the group (like an expanded frame's header); the rest selects.
  const header = g.append("g").attr("class", "rg-frame-header");
  header.append("rect").attr("x", boxX).attr("width", boxW).attr("height", 18);
  header.append("text").attr("class", "rg-kind").attr("x", cx).attr("y", 13).attr("text-anchor", "middle").text(`▸ ${kindWord(group)}`);
  g.append("text").attr("class", "rg-title-text").attr("x", cx).attr("y", 32).attr("text-anchor", "middle").text(fit(titleLine(group, d.id), maxChars));
  g.append("text").attr("class", "rg-detail").attr("x", cx).attr("y", 47).attr("text-anchor", "middle").text(fit(detailWithoutTitle(group, d.id), maxChars));
  // The detail line already carries channels, params and MACs; the last line is the output shape.
  const out = group?.outShapeText ? `→ ${group.outShapeText}` : "";
  g.append("text").attr("class", "rg-numbers").attr("x", cx).attr("y", 61).attr("text-anchor", "middle").text(fit(out, maxChars + 4));
  g.append("title").text(group ? groupTooltip(group) : d.id);
  // A collapsed block's shortcut is the layout's bypass edge beside the box (drawn with the edges);
  // a collapsed stage shows each block inside it as a glyph with its shortcut.
  if (group && group.kind !== "block") drawBlockGlyphs(g, group, groups, boxX + 8, d.height - 13, boxW - 16);
}

/**
 * A collapsed stage (or scope) still shows each residual block inside it as a small glyph with its
 * shortcut, so the blocks and their identity/projection kind stay visible with everything collapsed.
 */
function drawBlockGlyphs(
  g: AnyG,
  group: ViewGroup,
  groups: ReadonlyMap<string, ViewGroup>,
  x: number,
  y: number,
  width: number,
): void {
  const blocks: ViewGroup[] = [];
  const visit = (id: string): void => {
    const c = groups.get(id);
    if (!c) return;
    if (c.kind === "block") blocks.push(c);
    else c.groups.forEach(visit);
  };
  group.groups.forEach(visit);
  if (blocks.length === 0) return;
  const step = Math.min(18, width / blocks.length);
  const start = x + (width - step * blocks.length) / 2;
  blocks.forEach((b, i) => {
    const gx = start + i * step;
    const glyph = g.append("g").attr("class", "rg-glyph").attr("data-block-id", b.id).attr("data-group-id", b.id);
    glyph.append("rect").attr("class", "rg-chip cat-conv").attr("x", gx).attr("y", y - 4).attr("width", Math.max(2, step * 0.45)).attr("height", 8).attr("rx", 1);
    if (b.shortcut) {
      const ax = gx + Math.max(2, step * 0.45);
      const bulge = Math.max(2, step * 0.4);
      const path = `M${ax},${y - 4} C${ax + bulge},${y - 4} ${ax + bulge},${y + 4} ${ax},${y + 4}`;
      glyph.append("path").attr("class", `rg-arc rg-shortcut-${b.shortcut}`).attr("data-shortcut", b.shortcut).attr("d", path);
    }
    glyph.append("title").text(`${b.label}: ${b.shortcut ?? "no"} shortcut`);
  });
}

/** The view core's detail line may repeat the title ("Residual block × 2 · 256 ch ..."): drop it. */
function detailWithoutTitle(g: ViewGroup | undefined, id: string): string {
  const detail = g?.detail ?? "";
  const title = titleLine(g, id);
  return detail.startsWith(`${title} · `) ? detail.slice(title.length + 3) : detail;
}

function kindWord(g: ViewGroup | undefined): string {
  if (!g) return "group";
  if (g.kind === "block") return `residual block · ${g.shortcut ?? "?"} shortcut`;
  return g.kind;
}

function titleLine(g: ViewGroup | undefined, id: string): string {
  if (!g) return id;
  return g.repeat > 1 ? `${g.label} × ${g.repeat}` : g.label;
}

export function nodeTooltip(n: ViewNode): string {
  const lines = [`${n.label} (${n.op})`, `output ${n.shapeText}`];
  if (n.params) lines.push(`params ${formatInt(n.params)}`);
  if (n.macs) lines.push(`MACs ${formatInt(n.macs)}`);
  if (n.line !== null) lines.push(`line ${n.line}`);
  return lines.join("\n");
}

function groupTooltip(g: ViewGroup): string {
  return [`${g.label} (${g.kind})`, g.detail, `output ${g.outShapeText}`, `params ${formatInt(g.params)}`, `MACs ${formatInt(g.macs)}`]
    .filter((s) => s !== "")
    .join("\n");
}

/** Cuts text to `max` characters with an ellipsis (no DOM measurement). */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(1, max - 1)) + "…";
}
