// The graph view application: turns snapshots from the host into the view model, collapse state and
// layout (src/view, via core.ts), draws them (graph-view.ts) with the toolbar, legend, minimap and the
// two tables, and keeps the user's zoom, selection and open groups across re-renders and reloads.
// A profile result (from the host, the snapshot, or a run in this view) is an overlay keyed by node
// id: latency heat, table columns, legend, skipped marks and the slowest block; the IR is untouched.
// Big layouts run in a Web Worker (layout-client.ts): the drawing follows when the layout arrives,
// and whatever needs the new layout (fit, centring, keeping a group in place) waits for it (whenDrawn).

import type { ModelSummary } from "../src/analysis/summary";
import { PROTOCOL_VERSION, createIdSource, isRunProfile, type HostToWebview, type Snapshot, type WebviewBackend } from "../src/protocol";
import type { ProfileResult } from "../src/profile/result";
import { latencyValues } from "../src/view/heat";
import type { CollapseState, Layout, ViewGroup, ViewModel, ViewNode } from "../src/view/types";
import { formatScaled } from "../src/cli/format";
import * as core from "./core";
import { el } from "./dom";
import { exportSvgText, svgToPng } from "./export";
import { GraphView, type Transform } from "./graph-view";
import type { SceneData } from "./graph-svg";
import type { ViewHost } from "./host";
import { installKeyboard } from "./keyboard";
import { createLayerTable, type LayerTable } from "./layer-table";
import { createLayoutClient, type LayoutPlace } from "./layout-client";
import { viewLayout } from "./layout-job";
import { createLegend, type Legend } from "./legend";
import { createMinimap, type Minimap } from "./minimap";
import { createProfileSession, type ProfileSession } from "./profile-session";
import { slowestBlockGroup } from "./slowest-block";
import { computeHeat, searchNodes, type HeatMetric, type HeatResult } from "./overlays";
import { createStageTable } from "./stage-table";
import { createToolbar, type Toolbar } from "./toolbar";
import { formatInt } from "../src/view/format";

/** What survives a reload of the view (through the host's getState/setState). */
interface SavedState {
  modelKey: string;
  expanded: string[];
  selected: string | null;
  heat: HeatMetric;
  transform: Transform | null;
}

export type CollapseMode = "default" | "expanded" | "collapsed";

export class App {
  private readonly nextId = createIdSource();
  private readonly toolbar: Toolbar;
  private readonly graph: GraphView;
  private readonly legend: Legend;
  private readonly minimap: Minimap;
  private readonly table: LayerTable;
  private readonly side: HTMLElement;
  private readonly status: HTMLElement;
  private readonly graphPane: HTMLElement;
  private readonly appElement: HTMLElement;
  /** "Laying out N nodes…", over the graph while the worker lays out. */
  private readonly layoutNote: HTMLElement;
  private readonly layouter = createLayoutClient();
  /** Bumped per layout request: a worker reply for an older request is dropped. */
  private layoutSeq = 0;
  private layoutPending = false;
  /** The model the drawn layout belongs to. */
  private layoutModel: ViewModel | null = null;
  private afterLayout: (() => void)[] = [];
  private snapshot: Snapshot | null = null;
  private model: ViewModel | null = null;
  private modelKey = "";
  private collapse: CollapseState = { expanded: new Set() };
  private layout: Layout | null = null;
  private selected: string | null = null;
  private heatMetric: HeatMetric = "none";
  private heat: HeatResult | null = null;
  private matches: string[] = [];
  private matchIndex = -1;
  private saveTimer = 0;
  private edgeShapes: ReadonlyMap<string, string> = new Map();
  private indexedModel: ViewModel | null = null;
  private nodesById: ReadonlyMap<string, ViewNode> = new Map();
  private groupsById: ReadonlyMap<string, ViewGroup> = new Map();
  /** Milliseconds of the phases of the last render (view model, tables, layout, draw, ...), for benchmarks. */
  readonly timings: Record<string, number> = {};
  /** Per-group layouts reused between expand/collapse of one model (new model: new cache). */
  private layoutCache: core.LayoutCache = core.createLayoutCache();
  private profile: ProfileResult | null = null;
  private latency: Map<string, number> | null = null;
  private skipped: Map<string, string> = new Map();
  private readonly profiler: ProfileSession;

  constructor(root: HTMLElement, private readonly host: ViewHost) {
    this.toolbar = createToolbar({
      expandAll: () => this.setCollapse(core.expandAll(this.model!)),
      collapseAll: () => this.setCollapse(core.collapseAll(this.model!)),
      expandToDepth: (d) => this.setCollapse(core.expandToDepth(this.model!, d)),
      fit: () => this.graph.fit(),
      zoom: (f) => this.graph.zoomBy(f),
      search: (q) => this.search(q),
      searchStep: (d) => this.searchStep(d),
      heat: (m) => this.setHeat(m),
      edgeLabels: (on) => this.graph.svg.classList.toggle("rg-show-edge-labels", on),
      exportSvg: () => this.exportSvg(),
      exportPng: () => void this.exportPng(),
      copyDetails: () => void this.copyDetails(),
      slowestBlock: () => this.selectSlowestBlock(),
      profile: (backend) => this.requestProfile(backend),
      cancelProfile: () => this.profiler.cancel(),
    });
    this.profiler = createProfileSession({
      post: (msg) => this.host.post(msg),
      nextId: () => this.nextId(),
      ir: () => this.snapshot?.ir ?? null,
      status: (text) => this.setStatus(text),
      running: (on) => this.toolbar.setProfiling(on),
      result: (result) => this.setProfile(result, { showLatency: true }),
    });
    this.graphPane = el("div", { className: "rg-graph" });
    this.graph = new GraphView(this.graphPane, {
      select: (id) => this.select(id),
      toggle: (id) => this.toggleGroup(id),
      reveal: (id) => this.host.post({ type: "revealSource", id: this.nextId(), nodeId: id }),
      viewportChanged: () => {
        this.minimap.update(this.layout, this.graph.visibleRect());
        this.saveSoon();
      },
    });
    this.legend = createLegend();
    this.minimap = createMinimap((x, y) => {
      const { width, height } = this.graph.viewportSize();
      const k = this.graph.getTransform().k;
      this.graph.setTransform({ x: width / 2 - x * k, y: height / 2 - y * k, k });
    });
    this.layoutNote = el("div", { className: "rg-layout-note", attrs: { "data-role": "layout-pending", role: "status", hidden: "" } });
    this.graphPane.append(this.legend.element, this.minimap.element, this.layoutNote);
    this.table = createLayerTable((id) => this.select(id, { center: true }));
    this.side = el("aside", { className: "rg-side" });
    this.status = el("div", { className: "rg-status", attrs: { "data-role": "status", role: "status" } });
    this.appElement = el("div", { className: "rg-app" }, [this.toolbar.element, el("div", { className: "rg-main" }, [this.graphPane, this.side]), this.status]);
    root.replaceChildren(this.appElement);
    installKeyboard(this.graph.svg, {
      layout: () => this.layout,
      selected: () => this.selected,
      select: (id) => this.select(id, { center: true }),
      toggleAt: (id) => this.toggleAt(id),
      focusSearch: () => this.toolbar.searchInput.focus(),
      zoom: (f) => this.graph.zoomBy(f),
      fit: () => this.graph.fit(),
      clear: () => this.select(null),
    });
    this.setStatus("Waiting for the analysis…");
  }

  start(): void {
    this.host.onMessage((msg) => this.onMessage(msg));
    this.host.post({ type: "ready", id: this.nextId(), protocolVersion: PROTOCOL_VERSION });
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  /** Handles one host message (public so tests and benchmarks can play the host). */
  onMessage(msg: HostToWebview): void {
    switch (msg.type) {
      case "runProfile": {
        const requestId = msg.id;
        if (isRunProfile(msg)) void this.profiler.run(msg);
        else this.host.post({ type: "profileFailed", id: this.nextId(), inReplyTo: requestId, code: "input", message: "The runProfile request is malformed (backend, warmup, runs or batch out of range)." });
        break;
      }
      case "cancelProfile":
        this.profiler.cancel();
        break;
      case "profileResult":
        this.setProfile(msg.result, { showLatency: true });
        break;
      case "snapshot":
        this.showSnapshot(msg.snapshot);
        break;
      case "selectNode":
        this.select(msg.nodeId, { center: true, fromHost: true });
        break;
      case "error":
        this.setStatus(`Error: ${msg.message}`);
        break;
    }
  }

  /**
   * Shows a snapshot. The same model again (a re-analysis) keeps open groups, selection and zoom;
   * a different one starts from `mode` (default: blocks collapsed inside open stages).
   */
  showSnapshot(snapshot: Snapshot, mode: CollapseMode = "default"): void {
    this.snapshot = snapshot;
    const { ir, summary } = snapshot;
    if (!ir || !summary) {
      this.model = null;
      this.layout = null;
      this.layoutModel = null;
      this.layoutSeq++; // drops a layout still on its way from the worker
      this.finishPending();
      const why = snapshot.diagnostics.map((d) => d.message).join(" ");
      this.graph.svg.replaceChildren();
      this.setStatus(`No model could be analysed in ${snapshot.file}. ${why}`);
      return;
    }
    const key = `${snapshot.file}::${ir.modelName}::${snapshot.entry ?? ""}`;
    const saved = this.restoreState(key);
    const sameModel = key === this.modelKey && this.model !== null;
    // A snapshot that carries a profile replaces ours; another model drops it (its ids mean nothing here).
    if (snapshot.profile !== undefined) this.setProfile(snapshot.profile, { redraw: false });
    else if (!sameModel) this.setProfile(null, { redraw: false });
    const t0 = performance.now();
    this.model = core.buildViewModel(ir, summary);
    this.timings.viewModel = performance.now() - t0;
    this.layoutCache = core.createLayoutCache();
    this.edgeShapes = new Map(this.model.edges.map((e) => [e.id, e.shapeText]));
    const groupIds = new Set(this.model.groups.map((g) => g.id));
    const nodeIds = new Set(this.model.nodes.map((n) => n.id));
    if (sameModel && mode === "default") {
      this.collapse = { expanded: new Set([...this.collapse.expanded].filter((id) => groupIds.has(id))) };
    } else if (saved && mode === "default") {
      this.collapse = { expanded: new Set(saved.expanded.filter((id) => groupIds.has(id))) };
      this.selected = saved.selected;
      this.heatMetric = saved.heat === "latency" && !this.profile ? "none" : saved.heat;
      this.toolbar.setHeat(this.heatMetric);
    } else {
      this.collapse = this.initialCollapse(mode);
      this.selected = null;
    }
    if (this.selected && !nodeIds.has(this.selected) && !groupIds.has(this.selected)) this.selected = null;
    this.modelKey = key;
    this.toolbar.setTitle(ir.modelName, headline(summary));
    const t1 = performance.now();
    this.side.replaceChildren(createStageTable(summary.stages, (id) => this.select(id, { center: true })), this.table.element);
    this.table.setNodes(this.model.nodes, { params: summary.totals.params, macs: summary.totals.macs });
    this.timings.tables = performance.now() - t1;
    this.relayout();
    this.layouter.prepare(this.model);
    if (sameModel) return;
    this.whenDrawn(() => {
      const t2 = performance.now();
      if (saved?.transform && mode === "default") this.graph.setTransform(saved.transform);
      else this.graph.fit();
      this.timings.fit = performance.now() - t2;
    });
    if (this.selected) this.table.select(nodeIds.has(this.selected) ? this.selected : null);
    this.setStatus(`${ir.modelName}: ${summary.totals.nodes} nodes, ${summary.residualBlocks.length} residual blocks. Click a box to select it, its header to open it; double-click a layer to show its source.`);
  }

  /** Back to a starting view (default, all open, all closed), fitted. */
  reset(mode: CollapseMode): void {
    if (!this.model) return;
    this.collapse = this.initialCollapse(mode);
    this.relayout();
    this.whenDrawn(() => this.graph.fit());
  }

  /** Pans so that a box (a node or a collapsed group) is in the middle of the view. */
  centerOn(id: string): void {
    this.graph.centerOn(id);
  }

  centerOnPoint(x: number, y: number): void {
    this.graph.centerOnPoint(x, y);
  }

  private initialCollapse(mode: CollapseMode): CollapseState {
    const model = this.model!;
    if (mode === "expanded") return core.expandAll(model);
    if (mode === "collapsed") return core.collapseAll(model);
    return core.defaultCollapse(model);
  }

  /**
   * Lays out and draws; the view-model is unchanged. A big layout goes to the worker and is drawn
   * when it arrives (the drawing of this model stays meanwhile); a failed worker means the page does it.
   */
  private relayout(): void {
    const model = this.model;
    if (!model) return;
    const state = this.collapse;
    const seq = ++this.layoutSeq;
    const t0 = performance.now();
    const onPage = (): void => {
      const layout = viewLayout(model, state, this.layoutCache);
      this.timings.layout = performance.now() - t0;
      this.draw(model, layout, "page");
    };
    const { place, boxes } = this.layouter.placeFor(model, state);
    if (place === "page") return onPage();
    this.layoutPending = true;
    this.layoutNote.textContent = `Laying out ${formatInt(boxes)} nodes…`;
    this.layoutNote.hidden = false;
    if (this.layoutModel !== model) {
      // Another model's drawing must not answer clicks meanwhile.
      this.layout = null;
      this.layoutModel = null;
      this.graph.render(EMPTY_LAYOUT, this.sceneData());
      this.minimap.update(null, this.graph.visibleRect());
    }
    this.layouter.layout(model, state).then(
      (layout) => {
        if (seq !== this.layoutSeq) return;
        this.timings.layout = performance.now() - t0;
        this.timings.layoutPost = this.layouter.stats.postMs;
        this.timings.layoutWorker = this.layouter.stats.workerMs;
        this.draw(model, layout, "worker");
      },
      () => {
        // layout-client.ts has said why on the console; the page lays it out instead.
        if (seq === this.layoutSeq) onPage();
      },
    );
  }

  /** Runs `fn` once the latest layout is drawn: now, or when the worker's layout arrives. */
  private whenDrawn(fn: () => void): void {
    if (this.layoutPending) this.afterLayout.push(fn);
    else fn();
  }

  /** Resolves once the latest layout is drawn (for tests and benchmarks). */
  whenLaidOut(): Promise<void> {
    return new Promise((resolve) => this.whenDrawn(resolve));
  }

  private draw(model: ViewModel, layout: Layout, place: LayoutPlace): void {
    this.layout = layout;
    this.layoutModel = model;
    this.appElement.dataset.layout = place;
    const t1 = performance.now();
    this.computeHeat();
    this.graph.render(this.layout, this.sceneData());
    const t2 = performance.now();
    this.legend.update(this.heatMetric, this.heat, this.profile);
    this.minimap.update(this.layout, this.graph.visibleRect());
    this.timings.draw = t2 - t1;
    this.timings.minimap = performance.now() - t2;
    this.saveSoon();
    this.finishPending();
  }

  /** Runs what waited for the layout: the one now drawn, or none when there is nothing to draw. */
  private finishPending(): void {
    this.layoutPending = false;
    this.layoutNote.hidden = true;
    const after = this.afterLayout;
    this.afterLayout = [];
    for (const fn of after) fn();
  }

  private sceneData(): SceneData {
    const model = this.model!;
    if (this.indexedModel !== model) {
      // Built once per model: selection, search and expand/collapse only reuse them.
      this.nodesById = new Map(model.nodes.map((n) => [n.id, n]));
      this.groupsById = new Map(model.groups.map((g) => [g.id, g]));
      this.indexedModel = model;
    }
    return {
      nodes: this.nodesById,
      groups: this.groupsById,
      heat: this.heat ? this.heat.levels : null,
      selected: this.selected,
      matches: this.matchMarks(),
      edgeShapes: this.edgeShapes,
      skipped: this.skipped,
    };
  }

  /** Search hits, plus the collapsed boxes that hide a hit (so a hit is never invisible). */
  private matchMarks(): Set<string> {
    const marks = new Set(this.matches);
    if (!this.model || this.matches.length === 0) return marks;
    const parent = new Map(this.model.groups.map((g) => [g.id, g.parent]));
    const groupOf = new Map(this.model.nodes.map((n) => [n.id, n.group]));
    for (const id of this.matches) for (let g = groupOf.get(id) ?? null; g; g = parent.get(g) ?? null) marks.add(g);
    return marks;
  }

  private setCollapse(state: CollapseState): void {
    if (!this.model) return;
    this.collapse = state;
    this.relayout();
    this.whenDrawn(() => this.graph.fit());
  }

  /** Opens or closes one group, keeping it at the same place on screen. */
  toggleGroup(id: string): void {
    if (!this.model) return;
    const before = this.anchorOf(id);
    this.collapse = core.toggle(this.collapse, id);
    this.relayout();
    this.whenDrawn(() => {
      const after = this.anchorOf(id);
      if (before && after) {
        const t = this.graph.getTransform();
        this.graph.setTransform({ x: t.x + (before.x - after.x) * t.k, y: t.y + (before.y - after.y) * t.k, k: t.k });
      }
    });
  }

  /** Top-centre of a group's box or frame, in layout coordinates. */
  private anchorOf(id: string): { x: number; y: number } | null {
    const box = this.layout?.nodes.find((n) => n.id === id);
    if (box) return { x: box.x, y: box.y - box.height / 2 };
    const frame = this.layout?.groups.find((g) => g.id === id);
    return frame ? { x: frame.x + frame.width / 2, y: frame.y } : null;
  }

  /** Enter: a collapsed group opens; a node closes its innermost group (which becomes selected). */
  private toggleAt(id: string): void {
    const model = this.model;
    if (!model) return;
    if (model.groups.some((g) => g.id === id)) return this.toggleGroup(id);
    const group = model.nodes.find((n) => n.id === id)?.group;
    if (group) {
      this.toggleGroup(group);
      this.select(group);
    }
  }

  select(id: string | null, options: { center?: boolean; fromHost?: boolean } = {}): void {
    if (!this.model) return;
    const isNode = id !== null && this.model.nodes.some((n) => n.id === id);
    if (isNode && this.layout && !this.layout.nodes.some((n) => n.id === id)) {
      // Selecting a layer hidden in a collapsed group opens the groups around it.
      this.collapse = core.revealNode(this.model, this.collapse, id!);
      this.selected = id;
      this.relayout();
    }
    this.selected = id;
    this.graph.updateMarks(this.sceneData());
    this.table.select(isNode ? id : null);
    if (options.center && id) this.whenDrawn(() => this.graph.centerOn(id));
    if (!options.fromHost && (isNode || id === null)) this.host.post({ type: "selectNode", id: this.nextId(), nodeId: id });
    const text = id ? this.describe(id) : null;
    if (text) this.setStatus(text.split("\n").join("  ·  "));
    this.saveSoon();
  }

  private describe(id: string): string | null {
    const model = this.model!;
    const node = model.nodes.find((n) => n.id === id);
    const total = this.snapshot?.summary?.totals;
    if (node) {
      const pct = total && total.macs > 0 ? ` (${((node.macs / total.macs) * 100).toFixed(2)}% of MACs)` : "";
      const lines = [`${node.label}: ${node.op}`, `output ${node.shapeText}`, `params ${formatInt(node.params)}`, `MACs ${formatInt(node.macs)}${pct}`];
      if (node.line !== null) lines.push(`${this.snapshot?.file ?? ""}:${node.line}`);
      return lines.join("\n");
    }
    const group = model.groups.find((g) => g.id === id);
    if (!group) return null;
    return [`${group.label} (${group.kind}${group.shortcut ? `, ${group.shortcut} shortcut` : ""})`, group.detail, `output ${group.outShapeText}`, `params ${formatInt(group.params)}`, `MACs ${formatInt(group.macs)}`]
      .filter((s) => s !== "")
      .join("\n");
  }

  private search(query: string): void {
    if (!this.model) return;
    this.matches = searchNodes(this.model, query);
    this.matchIndex = -1;
    this.toolbar.setSearchCount(query.trim() === "" ? "" : this.matches.length === 0 ? "no match" : `${this.matches.length} found`);
    this.graph.updateMarks(this.sceneData());
  }

  private searchStep(direction: 1 | -1): void {
    if (this.matches.length === 0) {
      this.search(this.toolbar.searchInput.value);
      if (this.matches.length === 0) return;
    }
    this.matchIndex = (this.matchIndex + direction + this.matches.length) % this.matches.length;
    this.toolbar.setSearchCount(`${this.matchIndex + 1} / ${this.matches.length}`);
    this.select(this.matches[this.matchIndex], { center: true });
  }

  private setHeat(metric: HeatMetric): void {
    this.heatMetric = metric;
    this.computeHeat();
    this.graph.updateMarks(this.sceneData());
    this.legend.update(metric, this.heat, this.profile);
    this.saveSoon();
  }

  private computeHeat(): void {
    this.heat = this.heatMetric === "none" || !this.model || !this.layout ? null : computeHeat(this.model, this.layout.nodes.map((n) => n.id), this.heatMetric, this.latency);
  }

  /**
   * Shows a profile result (null removes it). `showLatency` switches the heat map to latency, as
   * when a run the user asked for finishes; `redraw: false` when the caller redraws anyway.
   */
  setProfile(result: ProfileResult | null, options: { showLatency?: boolean; redraw?: boolean } = {}): void {
    if (result === this.profile) return;
    this.profile = result;
    this.latency = result ? latencyValues(result) : null;
    this.skipped = new Map(result ? result.skipped.map((s) => [s.id, s.reason]) : []);
    this.toolbar.setProfileAvailable(result !== null);
    this.table.setProfile(result);
    if (!result && this.heatMetric === "latency") this.heatMetric = "none";
    if (result && options.showLatency) this.heatMetric = "latency";
    this.toolbar.setHeat(this.heatMetric);
    if (options.redraw === false || !this.model) return;
    this.setHeat(this.heatMetric);
    if (result) {
      const slowest = slowestBlockGroup(result);
      this.setStatus(
        `Profiled ${result.modelName} on ${result.backend}: whole model ${result.wholeModel.medianMs.toFixed(3)} ms (median of ${result.runs}), ` +
          `${result.nodes.length} layers measured${result.skipped.length ? `, ${result.skipped.length} skipped` : ""}` +
          (slowest ? `; slowest block ${slowest.name} (${slowest.percent.toFixed(1)}%).` : "."),
      );
    }
  }

  /** The profile result on screen, or null. */
  currentProfile(): ProfileResult | null {
    return this.profile;
  }

  /** Asks the host to profile (in VS Code it may pick a Node backend instead; the report runs it here). */
  requestProfile(backend?: WebviewBackend): void {
    this.host.post(backend ? { type: "requestProfile", id: this.nextId(), backend } : { type: "requestProfile", id: this.nextId() });
  }

  /** Selects and centres the residual block with the largest summed median, opening what hides it. */
  selectSlowestBlock(): void {
    const model = this.model;
    const found = this.profile ? slowestBlockGroup(this.profile) : null;
    if (!model || !found) return this.setStatus("Profile the model first: the slowest block comes from measured latency.");
    const group = model.groups.find((g) => g.id === found.groupId);
    if (!group) return this.setStatus(`The slowest block ${found.name} is not in the graph on screen (the profile is of another analysis).`);
    const expanded = new Set(this.collapse.expanded);
    expanded.delete(group.id);
    const parentOf = new Map(model.groups.map((g) => [g.id, g.parent]));
    for (let p = group.parent; p; p = parentOf.get(p) ?? null) expanded.add(p);
    this.collapse = { expanded };
    this.relayout();
    this.select(group.id, { center: true });
    this.setStatus(`Slowest block: ${found.name} (${found.kind} shortcut), ${found.medianMs.toFixed(3)} ms, ${found.percent.toFixed(1)}% of the layer sum.`);
  }

  /** The whole graph as SVG text (every box, not only the drawn ones). */
  exportSvgText(): string | null {
    if (!this.layout || !this.model) return null;
    return exportSvgText(this.graph.svg, this.layout, this.sceneData());
  }

  private fileStem(): string {
    return (this.model?.modelName ?? "model").replace(/[^\w.-]+/g, "_");
  }

  private exportSvg(): void {
    const text = this.exportSvgText();
    if (text) void this.host.saveFile(this.nextId(), `${this.fileStem()}.svg`, new Blob([text], { type: "image/svg+xml" }));
  }

  private async exportPng(): Promise<void> {
    const text = this.exportSvgText();
    if (!text || !this.layout) return;
    try {
      await this.host.saveFile(this.nextId(), `${this.fileStem()}.png`, await svgToPng(text, this.layout.width + 40, this.layout.height + 40));
    } catch (e) {
      this.setStatus(e instanceof Error ? e.message : String(e));
    }
  }

  private async copyDetails(): Promise<void> {
    const text = this.selected ? this.describe(this.selected) : null;
    if (!text) return this.setStatus("Select a layer or block first, then copy its details.");
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // file:// pages and some webviews refuse the async clipboard; the old way still works there.
      const area = el("textarea");
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    this.setStatus(`Copied: ${text.split("\n")[0]}`);
  }

  private restoreState(key: string): SavedState | null {
    const s = this.host.getState() as SavedState | undefined;
    return s && s.modelKey === key && Array.isArray(s.expanded) ? s : null;
  }

  private saveSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = 0;
      const state: SavedState = {
        modelKey: this.modelKey,
        expanded: [...this.collapse.expanded],
        selected: this.selected,
        heat: this.heatMetric,
        transform: this.graph.getTransform(),
      };
      this.host.setState(state);
    }, 200);
  }

  /** The zoom/pan transform of the graph (screen = layout × k + (x, y)). */
  getTransform(): Transform {
    return this.graph.getTransform();
  }

  setTransform(t: Transform): void {
    this.graph.setTransform(t);
  }

  /** The snapshot on screen (a host re-sends a changed copy of it after an edit). */
  currentSnapshot(): Snapshot | null {
    return this.snapshot;
  }

  /** For tests and benchmarks: what is drawn now. */
  debugInfo(): { layout: Layout | null; model: ViewModel | null; expanded: string[] } {
    return { layout: this.layout, model: this.model, expanded: [...this.collapse.expanded] };
  }
}

const EMPTY_LAYOUT: Layout = { width: 0, height: 0, nodes: [], groups: [], edges: [], engine: "series-parallel" };

function headline(summary: ModelSummary): string {
  const t = summary.totals;
  return `${summary.framework} · ${formatScaled(t.params)} params · ${formatScaled(t.macs)} MACs · depth ${t.depth}`;
}
