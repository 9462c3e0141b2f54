// Lays out big graphs in a Web Worker so the page stays responsive. The worker's code is a string
// inside this bundle (scripts/build.mjs builds webview/layout-worker.ts into the virtual module
// "resgraph:layout-worker"), started from a blob: URL: the report stays one self-contained file and
// the VS Code panel needs no second script, only `worker-src blob:` in its CSP. Where a worker cannot
// start or dies (a stricter CSP, no Worker), layouts run on the page and the console says why once.

import workerSource from "resgraph:layout-worker";
import type { CollapseState, Layout, ViewModel } from "../src/view/types";
import { visibleItems } from "../src/view/collapse";
import { unpackLayout, type FromLayoutWorker, type ToLayoutWorker } from "./layout-job";

/**
 * From this many visible boxes up, layouts go to the worker. Measured in headless Chromium on the
 * render bench's residual networks (2-core machine, load ~2-3): on the page 2,000 boxes take
 * 12-28 ms, 2,860 ~40 ms, 5,000 60-90 ms and 20,000 ~220 ms, and a task over 50 ms is a visible
 * hitch. Through the worker the page spends ~1 ms per 1,000 boxes unpacking and drawing what is
 * near the viewport, plus posting the model once (~15 ms per 5,000 nodes, done ahead by prepare()),
 * and waits longer in all (expand all at 5,000 layers: ~150 ms against ~115 ms on the page, with a
 * longest main-thread task of ~34 ms against ~86 ms). Below ~3,000 boxes the page wins outright.
 */
export const WORKER_MIN_BOXES = 3000;

/** How long after the first picture of a big model it is sent to the worker. */
const PREPARE_DELAY_MS = 100;

export type LayoutPlace = "page" | "worker";

export interface LayoutClient {
  /** Where a layout of this state would run now. */
  placeFor(model: ViewModel, state: CollapseState): { place: LayoutPlace; boxes: number };
  /**
   * A model big enough to need the worker some day goes to it after the next frame, so that a later
   * "expand all" sends only the open groups and finds the worker's indexes built.
   */
  prepare(model: ViewModel): void;
  /** Lays out in the worker; rejects when the worker fails (the caller then lays out on the page). */
  layout(model: ViewModel, state: CollapseState): Promise<Layout>;
  /** Of the last worker layout, for benchmarks: page time spent posting, worker time spent laying out. */
  readonly stats: { postMs: number; workerMs: number };
  dispose(): void;
}

export function createLayoutClient(minBoxes = WORKER_MIN_BOXES): LayoutClient {
  let worker: Worker | null = null;
  let url = "";
  /** Why the worker cannot be used (then every layout runs on the page). */
  let broken: string | null = null;
  let sentModel: ViewModel | null = null;
  let prepareFrame = 0;
  let prepareTimer = 0;
  let modelId = 0;
  let nextRequest = 0;
  const waiting = new Map<number, { model: ViewModel; resolve(l: Layout): void; reject(e: Error): void }>();
  const stats = { postMs: 0, workerMs: 0 };

  const fail = (why: string): void => {
    if (broken === null) console.warn(`ResGraph: big graphs are laid out on the page, not in a Web Worker: ${why}`);
    broken ??= why;
    worker?.terminate();
    worker = null;
    sentModel = null;
    if (url) URL.revokeObjectURL(url);
    url = "";
    const error = new Error(why);
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };

  const start = (): Worker | null => {
    if (worker || broken !== null) return worker;
    try {
      if (typeof Worker !== "function") throw new Error("this page has no Worker.");
      url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
      const w = new Worker(url, { name: "resgraph-layout" });
      w.onmessage = (e: MessageEvent<FromLayoutWorker>) => {
        const reply = e.data;
        const request = waiting.get(reply.requestId);
        if (!request) return;
        waiting.delete(reply.requestId);
        if (reply.type === "layout") {
          stats.workerMs = reply.ms;
          request.resolve(unpackLayout(reply.packed, request.model));
        } else {
          console.warn(`ResGraph: this layout is done on the page instead: ${reply.message}`);
          request.reject(new Error(reply.message));
        }
      };
      // A worker refused by the page's Content-Security-Policy, or failing to load, reports here.
      w.onerror = (e) => {
        e.preventDefault();
        fail(`the layout worker failed (${e.message || "it could not start; the page's Content-Security-Policy may forbid blob: workers"}).`);
      };
      w.onmessageerror = () => fail("a layout could not be passed back from the worker.");
      worker = w;
    } catch (e) {
      fail(`the worker could not be created (${e instanceof Error ? e.message : String(e)}).`);
    }
    return worker;
  };

  /** Posts the model unless the worker already has it. */
  const send = (w: Worker, model: ViewModel): void => {
    if (sentModel === model) return;
    sentModel = model;
    const msg: ToLayoutWorker = { type: "model", modelId: ++modelId, model };
    w.postMessage(msg);
  };

  return {
    placeFor(model, state) {
      // Never more boxes than nodes and groups: small models skip the count.
      if (model.nodes.length + model.groups.length < minBoxes) return { place: "page", boxes: 0 };
      const boxes = visibleItems(model, state).boxes.length;
      return { place: boxes >= minBoxes && start() !== null ? "worker" : "page", boxes };
    },
    layout(model, state) {
      const w = start();
      if (!w) return Promise.reject(new Error(broken ?? "the layout worker is not running."));
      const t0 = performance.now();
      send(w, model);
      const requestId = ++nextRequest;
      const done = new Promise<Layout>((resolve, reject) => waiting.set(requestId, { model, resolve, reject }));
      const msg: ToLayoutWorker = { type: "layout", requestId, modelId, expanded: [...state.expanded] };
      w.postMessage(msg);
      stats.postMs = performance.now() - t0;
      return done;
    },
    prepare(model) {
      cancelAnimationFrame(prepareFrame);
      window.clearTimeout(prepareTimer);
      if (model.nodes.length + model.groups.length < minBoxes || broken !== null) return;
      // A moment after the frame that shows the model (and only for the latest model): posting
      // clones the model on this thread (~15 ms per 5,000 nodes), which must not delay that picture.
      prepareFrame = requestAnimationFrame(() => {
        prepareTimer = window.setTimeout(() => {
          const w = start();
          if (w) send(w, model);
        }, PREPARE_DELAY_MS);
      });
    },
    stats,
    dispose() {
      cancelAnimationFrame(prepareFrame);
      window.clearTimeout(prepareTimer);
      // Marked broken first so fail() stays quiet; it terminates the worker, rejects pending layouts, and
      // keeps a late prepare from starting another.
      broken ??= "the graph view was closed.";
      fail(broken);
    },
  };
}
