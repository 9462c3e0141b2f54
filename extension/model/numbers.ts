// Compact numbers for one-line texts (CodeLens, status bar, hovers): three significant digits with
// an SI prefix, "25.6 M" / "4.09 G", exact below a thousand. Pure so it is unit-tested directly.

import { formatInt } from "../../src/view/format";

const PREFIXES: readonly [number, string][] = [
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "K"],
];

/** Splits a count into a 3-significant-digit mantissa and an SI prefix ("" below 1000). */
export function compactParts(n: number): { value: string; prefix: string } {
  const abs = Math.abs(n);
  for (let i = 0; i < PREFIXES.length; i++) {
    const [size, prefix] = PREFIXES[i];
    if (abs < size) continue;
    const value = Number((n / size).toPrecision(3));
    // 999.9 K rounds to "1000 K": say "1.00 M" instead (the next larger prefix).
    if (Math.abs(value) >= 1000 && i > 0) {
      const [bigger, biggerPrefix] = PREFIXES[i - 1];
      return { value: (n / bigger).toPrecision(3), prefix: biggerPrefix };
    }
    return { value: (n / size).toPrecision(3), prefix };
  }
  return { value: String(n), prefix: "" };
}

/** 25557032 -> "25.6 M params"; 512 -> "512 params". */
export function compactCount(n: number, noun: string): string {
  const { value, prefix } = compactParts(n);
  return prefix ? `${value} ${prefix} ${noun}` : `${value} ${noun}`;
}

/** 4089184256 -> "4.09 GMACs" (the prefix glued to the unit, as papers write it); 512 -> "512 MACs". */
export function compactUnit(n: number, unit: string): string {
  const { value, prefix } = compactParts(n);
  return `${value} ${prefix}${unit}`;
}

/** 25557032 -> "25,557,032" with a fixed locale, so texts are the same on every machine. */
export function thousands(n: number): string {
  return formatInt(n);
}

/** A shape as Python prints it: [1, 64, 56, 56]; unknown dimensions as None. */
export function shapeText(shape: readonly (number | null)[] | null | undefined): string {
  if (!shape) return "unknown";
  return `[${shape.map((d) => (d === null ? "None" : String(d))).join(", ")}]`;
}
