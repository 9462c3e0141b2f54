// Number and shape formatting for the CLI. Fixed locale ("en-US") so output is the same everywhere.

import type { Shape } from "../ir/types";

// Digit grouping is written out rather than taken from Intl: its first use loads ICU locale data, which
// cost a cold `resgraph summary` about 27 ms.
import { formatInt } from "../view/format";

export { formatInt };

const UNITS: [number, string][] = [
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "K"],
];

/** Decimal units with two decimals: 4089184256 -> "4.09 G"; below 1,000 the number itself. */
export function formatScaled(n: number): string {
  for (const [size, unit] of UNITS) if (Math.abs(n) >= size) return `${(n / size).toFixed(2)} ${unit}`;
  return String(n);
}

/** Decimal bytes, as torchinfo prints them: 150850000 -> "150.85 MB", 2840 -> "2.84 KB". */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)} KB`;
  return `${n} B`;
}

/** Share in percent with two decimals; "--" for zero so the column highlights what costs. */
/** `of` says whether the row has any share at all: 16 MACs beside 85 M round to 0% yet are not "--". */
export function formatPercent(p: number, of = p !== 0): string {
  if (!of) return "--";
  return p < 0.005 ? "<0.01%" : `${p.toFixed(2)}%`;
}

/** A count for a table cell: thousands separators, "--" for zero. */
export function formatCount(n: number): string {
  return n === 0 ? "--" : formatInt(n);
}

/** [1, 64, 56, 56]; unknown dimensions print as None (Python's spelling), unknown shapes as "?". */
export function formatShape(shape: Shape | null): string {
  if (!shape) return "?";
  return `[${shape.map((d) => (d === null ? "None" : String(d))).join(", ")}]`;
}

/** One shape alone, several joined with "; " (the same separator `--input` takes). */
export function formatShapes(shapes: (Shape | null)[]): string {
  return shapes.length === 0 ? "?" : shapes.map(formatShape).join("; ");
}
