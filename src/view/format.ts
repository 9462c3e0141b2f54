// Number and shape formatting shared by the view model, the renderer and the tables. Pure and
// locale-independent (no Intl), so the same IR always renders the same text in Node and browsers.

import type { Shape } from "../ir/types";

/** "1×64×56×56"; unknown dimensions read "?", an unknown shape "?". */
export function formatShape(shape: Shape | null | undefined): string {
  if (!shape) return "?";
  if (shape.length === 0) return "scalar";
  return shape.map((d) => (d === null ? "?" : String(d))).join("×");
}

/** 215808 -> "215,808". */
export function formatInt(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.round(Math.abs(n)));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return sign + out;
}

const UNITS: [number, string][] = [
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "K"],
];

/**
 * Three significant digits and a unit: 25557032 -> "25.6 M", 4089184256 -> "4.09 G", 1234 -> "1.23 K";
 * below 1000 the plain integer ("512").
 */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  for (const [scale, unit] of UNITS) {
    if (abs >= scale * 0.9995) return `${threeDigits(n / scale)} ${unit}`;
  }
  return Number.isInteger(n) ? String(n) : threeDigits(n);
}

function threeDigits(x: number): string {
  const abs = Math.abs(x);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return x.toFixed(decimals);
}

/**
 * MACs the way the ResNet paper quotes them: "3.86 GMACs" for whole models and big blocks,
 * "231.21 MMACs" below 0.1 G, so a block never reads "0.00 GMACs".
 */
export function formatMacs(macs: number): string {
  if (macs >= 1e8) return `${(macs / 1e9).toFixed(2)} GMACs`;
  if (macs >= 1e5) return `${(macs / 1e6).toFixed(2)} MMACs`;
  if (macs >= 1e2) return `${(macs / 1e3).toFixed(2)} KMACs`;
  return `${macs} MACs`;
}

/** 1 -> "1 param", 215808 -> "215,808 params". */
export function formatParams(params: number): string {
  return `${formatInt(params)} ${params === 1 ? "param" : "params"}`;
}

/** Bytes with binary-free decimal units, as activation memory is quoted: "3.21 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(2)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(2)} KB`;
  return `${bytes} B`;
}

/** "64→256 ch", "→256 ch" or "" when neither is known. */
export function formatChannels(inChannels: number | null, outChannels: number | null): string {
  if (inChannels === null && outChannels === null) return "";
  if (inChannels === outChannels) return `${inChannels} ch`;
  return `${inChannels ?? "?"}→${outChannels ?? "?"} ch`;
}
