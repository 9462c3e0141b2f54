// A minimap for graphs larger than the view: every box as a dot-sized rectangle on a canvas (cheap at
// 20,000 boxes), the visible area as a frame; click or drag to move there. Colours are read from the
// --graph-* CSS variables, never written in code.

import type { Layout } from "../src/view/types";

export interface Minimap {
  element: HTMLCanvasElement;
  update(layout: Layout | null, view: { x: number; y: number; width: number; height: number }): void;
}

const MAX_W = 150;
const MAX_H = 220;

export function createMinimap(moveTo: (x: number, y: number) => void): Minimap {
  const canvas = document.createElement("canvas");
  canvas.className = "rg-minimap";
  canvas.setAttribute("data-role", "minimap");
  canvas.hidden = true;
  let scale = 1;
  let layout: Layout | null = null;
  let base: ImageData | null = null;
  let drawnFor: Layout | null = null;
  let colours: { frame: string; box: string; focus: string } | null = null;
  let pending: { layout: Layout | null; view: { x: number; y: number; width: number; height: number } } | null = null;

  const pointer = (e: PointerEvent): void => {
    const r = canvas.getBoundingClientRect();
    moveTo((e.clientX - r.left) / scale, (e.clientY - r.top) / scale);
  };
  canvas.addEventListener("pointerdown", (e) => {
    canvas.setPointerCapture(e.pointerId);
    pointer(e);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (canvas.hasPointerCapture(e.pointerId)) pointer(e);
  });

  const api: Minimap = {
    element: canvas,
    // Drawn in the next animation frame (after the graph's first paint), at most once per frame.
    update(next, view) {
      const first = pending === null;
      pending = { layout: next, view };
      if (first) requestAnimationFrame(() => {
        const p = pending!;
        pending = null;
        draw(p.layout, p.view);
      });
    },
  };

  function draw(next: Layout | null, view: { x: number; y: number; width: number; height: number }): void {
    {
      layout = next;
      const big = layout !== null && (layout.width > view.width * 1.3 || layout.height > view.height * 1.3);
      canvas.hidden = !big;
      if (!layout || !big) return;
      const ctx = canvas.getContext("2d")!;
      if (drawnFor !== layout) {
        scale = Math.min(MAX_W / layout.width, MAX_H / layout.height);
        canvas.width = Math.max(20, Math.ceil(layout.width * scale));
        canvas.height = Math.max(20, Math.ceil(layout.height * scale));
        if (!colours) {
          const css = getComputedStyle(canvas);
          colours = {
            frame: css.getPropertyValue("--graph-frame-stroke").trim() || "gray",
            box: css.getPropertyValue("--graph-main-edge").trim() || "gray",
            focus: css.getPropertyValue("--graph-focus").trim() || "blue",
          };
        }
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.fillStyle = colours.frame;
        ctx.globalAlpha = 0.25;
        for (const g of layout.groups) ctx.fillRect(g.x * scale, g.y * scale, g.width * scale, g.height * scale);
        ctx.globalAlpha = 1;
        ctx.fillStyle = colours.box;
        for (const n of layout.nodes) {
          ctx.fillRect((n.x - n.width / 2) * scale, (n.y - n.height / 2) * scale, Math.max(1, n.width * scale), Math.max(1, n.height * scale));
        }
        base = ctx.getImageData(0, 0, canvas.width, canvas.height);
        drawnFor = layout;
      }
      if (base) ctx.putImageData(base, 0, 0);
      ctx.strokeStyle = colours?.focus ?? "blue";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(view.x * scale, view.y * scale, view.width * scale, view.height * scale);
    }
  }
  return api;
}
