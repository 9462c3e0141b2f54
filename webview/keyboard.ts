// Keyboard navigation over what is drawn: arrows move the selection along edges (down/up follow the
// main path first, left/right step between parallel branches), Enter opens or closes a group, "/"
// focuses search, +/- zoom, 0 fits, Escape clears the selection.

import type { Layout } from "../src/view/types";

export interface KeyboardTarget {
  layout(): Layout | null;
  selected(): string | null;
  select(id: string): void;
  toggleAt(id: string): void;
  focusSearch(): void;
  zoom(factor: number): void;
  fit(): void;
  clear(): void;
}

export function nextAlongEdges(layout: Layout, from: string, key: "ArrowDown" | "ArrowUp" | "ArrowLeft" | "ArrowRight"): string | null {
  const out = layout.edges.filter((e) => e.source === from);
  const into = layout.edges.filter((e) => e.target === from);
  const mainFirst = (a: { shortcut?: string }, b: { shortcut?: string }): number => Number(!!a.shortcut) - Number(!!b.shortcut);
  if (key === "ArrowDown") return [...out].sort(mainFirst)[0]?.target ?? null;
  if (key === "ArrowUp") return [...into].sort(mainFirst)[0]?.source ?? null;
  // Siblings: the other successors of this box's predecessors, ordered left to right.
  const pos = new Map(layout.nodes.map((n) => [n.id, n.x]));
  const siblings = new Set<string>([from]);
  for (const e of into) for (const s of layout.edges) if (s.source === e.source) siblings.add(s.target);
  const row = [...siblings].filter((id) => pos.has(id)).sort((a, b) => pos.get(a)! - pos.get(b)!);
  const i = row.indexOf(from) + (key === "ArrowRight" ? 1 : -1);
  return row[i] ?? null;
}

export function installKeyboard(svg: SVGSVGElement, target: KeyboardTarget): void {
  document.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement;
    if (e.key === "/" && !typing) {
      e.preventDefault();
      target.focusSearch();
    }
  });
  svg.addEventListener("keydown", (e) => {
    const layout = target.layout();
    const current = target.selected();
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
      case "ArrowLeft":
      case "ArrowRight": {
        e.preventDefault();
        if (!layout) return;
        const start = current && layout.nodes.some((n) => n.id === current) ? current : null;
        const next = start ? nextAlongEdges(layout, start, e.key) : layout.nodes[0]?.id ?? null;
        if (next) target.select(next);
        return;
      }
      case "Enter":
        e.preventDefault();
        if (current) target.toggleAt(current);
        return;
      case "+":
      case "=":
        target.zoom(1.25);
        return;
      case "-":
        target.zoom(0.8);
        return;
      case "0":
        target.fit();
        return;
      case "Escape":
        target.clear();
        return;
    }
  });
}
