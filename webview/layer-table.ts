// The per-layer table beside the graph: sortable columns, a filter box, a totals row with % of the
// model total, selection synced with the graph both ways. Rows are virtualised above a few hundred
// layers (only the rows in view exist), so a 20,000-layer model opens as fast as a small one.
// With a profile result the table gains ms, % of time and GFLOP/s (profile-columns.ts); the
// result stays an overlay keyed by node id.

import type { ViewNode } from "../src/view/types";
import type { ProfileResult } from "../src/profile/result";
import { formatCount, formatPercent, formatScaled } from "../src/cli/format";
import { el } from "./dom";
import { profileCells, profileColumns, profileIndex, profileTotalsRow, type ProfileIndex, type ProfileSortKey } from "./profile-columns";

type SortKey = "order" | "label" | "op" | "shape" | "params" | "macs" | ProfileSortKey;
const ROW_HEIGHT = 21;
/** Above this many rows only those in view exist (a big table's layout would dominate first paint). */
const VIRTUAL_ABOVE = 60;
/** The latency columns go after #, Layer and Op, where they are in view without scrolling sideways. */
const PROFILE_AFTER = 3;

interface Column {
  key: SortKey;
  header: string;
  numeric: boolean;
  cell(n: ViewNode, i: number): string;
}

export interface LayerTable {
  element: HTMLElement;
  setNodes(nodes: ViewNode[], totals: { params: number; macs: number }): void;
  /** Shows (or, with null, removes) the latency columns of a profile result. */
  setProfile(result: ProfileResult | null): void;
  select(id: string | null): void;
}

export function createLayerTable(onSelect: (id: string) => void): LayerTable {
  let nodes: ViewNode[] = [];
  let order = new Map<string, number>();
  let totals = { params: 0, macs: 0 };
  let rows: ViewNode[] = [];
  let sortKey: SortKey = "order";
  let sortDir: 1 | -1 = 1;
  let filter = "";
  let selected: string | null = null;
  let frame = 0;
  let profile: ProfileIndex | null = null;
  /** Height of the scroll area, tracked by a ResizeObserver so drawing never forces a layout. */
  let viewHeight = 600;
  /** Scroll position, tracked from scroll events (reading scrollTop would force a layout). */
  let scrollTop = 0;

  const columns: Column[] = [
    { key: "order", header: "#", numeric: true, cell: (n) => String((order.get(n.id) ?? 0) + 1) },
    // The scope path ("layer1/0/conv1"): leaf names alone repeat in every block.
    { key: "label", header: "Layer", numeric: false, cell: (n) => n.path },
    { key: "op", header: "Op", numeric: false, cell: (n) => n.op },
    { key: "shape", header: "Output", numeric: false, cell: (n) => n.shapeText },
    { key: "params", header: "Params", numeric: true, cell: (n) => formatCount(n.params) },
    { key: "macs", header: "MACs", numeric: true, cell: (n) => formatCount(n.macs) },
  ];

  const filterInput = el("input", {
    className: "rg-filter",
    attrs: { type: "search", placeholder: "Filter layers (name, op, shape)", "aria-label": "Filter layers", "data-action": "table-filter" },
  });
  const headRow = el("tr");
  const thead = el("thead", {}, [headRow]);
  const tbody = el("tbody");
  const tfoot = el("tfoot");
  const table = el("table", { className: "rg-table rg-layer-table", attrs: { "data-role": "layer-table" } }, [thead, tbody, tfoot]);
  const wrap = el("div", { className: "rg-layer-wrap" }, [table]);
  const element = el("section", { className: "rg-layers" }, [el("h2", { text: "Layers" }), filterInput, wrap]);
  element.style.display = "contents";

  /** Header cells: #, Layer, Op, the profile's columns when there is one (in view first), the rest, % MACs. */
  function buildHeader(): void {
    const all: { key: SortKey | "pct"; header: string; numeric: boolean; title?: string }[] = [
      ...columns.slice(0, PROFILE_AFTER),
      ...(profile ? profileColumns(profile.result) : []),
      ...columns.slice(PROFILE_AFTER),
      { key: "pct", header: "% MACs", numeric: true },
    ];
    headRow.replaceChildren();
    for (const c of all) {
      const th = el("th", { text: c.header, className: c.numeric ? "rg-num" : "" });
      if (c.key !== "pct") {
        th.classList.add("rg-sortable");
        th.setAttribute("data-sort", c.key);
        th.title = c.title ?? `Sort by ${c.header}`;
        th.addEventListener("click", () => {
          if (sortKey === c.key) sortDir = sortDir === 1 ? -1 : 1;
          else {
            sortKey = c.key as SortKey;
            sortDir = c.numeric && c.key !== "order" ? -1 : 1; // heaviest first for numbers
          }
          refresh();
        });
      }
      headRow.append(th);
    }
  }
  buildHeader();

  new ResizeObserver((entries) => {
    const h = entries[entries.length - 1].contentRect.height;
    if (h > 0 && Math.abs(h - viewHeight) > 1) {
      viewHeight = h;
      if (rows.length > VIRTUAL_ABOVE) drawRows();
    }
  }).observe(wrap);
  filterInput.addEventListener("input", () => {
    filter = filterInput.value.trim().toLowerCase();
    refresh();
  });
  tbody.addEventListener("click", (e) => {
    const tr = (e.target as Element).closest("tr[data-row-id]");
    if (tr) onSelect(tr.getAttribute("data-row-id")!);
  });
  wrap.addEventListener("scroll", () => {
    scrollTop = wrap.scrollTop;
    if (rows.length <= VIRTUAL_ABOVE || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      drawRows();
    });
  });

  function refresh(): void {
    rows = filter === "" ? [...nodes] : nodes.filter((n) => `${n.path} ${n.label} ${n.op} ${n.shapeText}`.toLowerCase().includes(filter));
    const key = sortKey;
    const val = (n: ViewNode): string | number =>
      key === "ms" || key === "timePct" || key === "gflops"
        ? (profile?.sortValue(n.id, key) ?? -1)
        : key === "order" ? order.get(n.id)! : key === "params" ? n.params : key === "macs" ? n.macs : key === "shape" ? n.shapeText : key === "op" ? n.op : n.path;
    rows.sort((a, b) => {
      const x = val(a);
      const y = val(b);
      const c = typeof x === "number" ? x - (y as number) : x.localeCompare(y as string);
      return c !== 0 ? c * sortDir : order.get(a.id)! - order.get(b.id)!;
    });
    headRow.querySelectorAll("th[data-sort]").forEach((th) => {
      th.setAttribute("aria-sort", th.getAttribute("data-sort") === sortKey ? (sortDir === 1 ? "ascending" : "descending") : "none");
    });
    drawTotals();
    drawRows();
  }

  function drawTotals(): void {
    let params = 0;
    let macs = 0;
    for (const n of rows) {
      params += n.params;
      macs += n.macs;
    }
    const pct = totals.macs > 0 ? (macs / totals.macs) * 100 : 0;
    const label = filter === "" ? `Total (${rows.length} layers)` : `Filtered (${rows.length} of ${nodes.length})`;
    // Label over Layer and Op (and Output when there are no latency columns between).
    const labelCells = profile
      ? [el("td", { text: label, attrs: { colspan: "2" } }), ...profile.totalsCells(rows.map((n) => n.id)), el("td")]
      : [el("td", { text: label, attrs: { colspan: "3" } })];
    tfoot.replaceChildren(
      el("tr", { attrs: { "data-role": "totals" } }, [
        el("td"),
        ...labelCells,
        el("td", { className: "rg-num", text: formatCount(params), title: `${formatScaled(params)} of ${formatScaled(totals.params)} params` }),
        el("td", { className: "rg-num", text: formatCount(macs), title: `${formatScaled(macs)} MACs; FLOPs = 2 × MACs` }),
        el("td", { className: "rg-num", text: formatPercent(pct) }),
      ]),
      ...(profile ? [profileTotalsRow(profile.result, columns.length + 1 + 3)] : []),
    );
  }

  function rowFor(n: ViewNode): HTMLTableRowElement {
    const tr = el("tr", { attrs: { "data-row-id": n.id } });
    if (n.id === selected) {
      tr.className = "rg-row-selected";
      tr.setAttribute("aria-selected", "true");
    }
    columns.forEach((c, i) => {
      if (i === PROFILE_AFTER && profile) tr.append(...profileCells(profile, n.id));
      const td = el("td", { text: c.cell(n, 0), className: c.numeric ? "rg-num" : c.key === "label" ? "rg-label" : "" });
      if (c.key === "label") td.title = `${n.path} (${n.label})`;
      tr.append(td);
    });
    const pct = totals.macs > 0 ? (n.macs / totals.macs) * 100 : 0;
    const pctCell = el("td", { className: "rg-num", text: formatPercent(pct) });
    tr.append(pctCell);
    if (profile?.skipped.has(n.id)) tr.classList.add("rg-row-skipped");
    return tr;
  }

  function drawRows(): void {
    if (rows.length <= VIRTUAL_ABOVE) {
      tbody.replaceChildren(...rows.map(rowFor));
      return;
    }
    const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 8);
    const count = Math.ceil(viewHeight / ROW_HEIGHT) + 16;
    const last = Math.min(rows.length, first + count);
    const spacer = (h: number): HTMLTableRowElement => {
      const td = el("td", { attrs: { colspan: String(columns.length + 1 + (profile ? 3 : 0)) } });
      td.style.height = `${h}px`;
      return el("tr", { className: "rg-spacer" }, [td]);
    };
    const slice = rows.slice(first, last).map((n) => {
      const tr = rowFor(n);
      tr.style.height = `${ROW_HEIGHT}px`;
      return tr;
    });
    tbody.replaceChildren(spacer(first * ROW_HEIGHT), ...slice, spacer((rows.length - last) * ROW_HEIGHT));
  }

  return {
    element,
    setNodes(next, t) {
      nodes = next;
      totals = t;
      order = new Map(next.map((n, i) => [n.id, i]));
      refresh();
    },
    setProfile(result) {
      profile = result ? profileIndex(result) : null;
      table.classList.toggle("rg-profiled", profile !== null);
      if (!profile && (sortKey === "ms" || sortKey === "timePct" || sortKey === "gflops")) sortKey = "order";
      buildHeader();
      refresh();
    },
    select(id) {
      selected = id;
      const index = id === null ? -1 : rows.findIndex((n) => n.id === id);
      if (rows.length > VIRTUAL_ABOVE && index >= 0) {
        const top = index * ROW_HEIGHT;
        if (top < scrollTop || top > scrollTop + viewHeight - 2 * ROW_HEIGHT) wrap.scrollTop = scrollTop = Math.max(0, top - viewHeight / 2);
        drawRows();
      } else {
        tbody.querySelectorAll("tr.rg-row-selected").forEach((tr) => {
          tr.classList.remove("rg-row-selected");
          tr.removeAttribute("aria-selected");
        });
      }
      const tr = id === null ? null : tbody.querySelector<HTMLTableRowElement>(`tr[data-row-id="${CSS.escape(id)}"]`);
      if (tr) {
        tr.classList.add("rg-row-selected");
        tr.setAttribute("aria-selected", "true");
        if (rows.length <= VIRTUAL_ABOVE) {
          const top = tr.offsetTop;
          if (top < wrap.scrollTop + ROW_HEIGHT || top > wrap.scrollTop + wrap.clientHeight - 2 * ROW_HEIGHT) wrap.scrollTop = Math.max(0, top - wrap.clientHeight / 2);
        }
      }
    },
  };
}
