// Fixed-width text tables: left- or right-aligned columns, widths from the content, and an optional
// total width that the shrinkable column gives way to (cut with an ellipsis).

export interface Column {
  header: string;
  align: "left" | "right";
  /** May be cut to fit `maxWidth`; at most one column should say so (the layer names). */
  shrink?: boolean;
  /** Narrowest a shrinkable column gets. */
  minWidth?: number;
}

export interface TableOptions {
  /** Total width to fit in (terminal columns); unlimited when absent. */
  maxWidth?: number;
  /** Spaces between columns. */
  gap?: number;
}

/** Renders header, a rule, and the rows; every line has the same width and no trailing spaces beyond it. */
export function renderTable(columns: Column[], rows: string[][], options: TableOptions = {}): string[] {
  const gap = options.gap ?? 2;
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? "").length)));
  const total = () => widths.reduce((s, w) => s + w, 0) + gap * (columns.length - 1);
  if (options.maxWidth !== undefined && total() > options.maxWidth) {
    const i = columns.findIndex((c) => c.shrink);
    if (i >= 0) widths[i] = Math.max(columns[i].minWidth ?? 12, widths[i] - (total() - options.maxWidth));
  }
  const line = (cells: string[]) =>
    columns
      .map((c, i) => {
        const text = fit(cells[i] ?? "", widths[i]);
        return c.align === "right" ? text.padStart(widths[i]) : text.padEnd(widths[i]);
      })
      .join(" ".repeat(gap))
      .trimEnd();
  return [line(columns.map((c) => c.header)), "-".repeat(total()), ...rows.map(line)];
}

/** Cuts text to `width` characters, marking the cut with "…". */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/** The width of a rendered table (its rule line), for matching separators. */
export function tableWidth(lines: string[]): number {
  return lines[1]?.length ?? 0;
}
