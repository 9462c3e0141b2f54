// Wording helpers for diagnostics: sentences, source excerpts, default diagnostic codes.

import type { Span } from "../python/ast";
import type { SourceText } from "../python/source";

export function exprText(info: { src: SourceText }, e: Span): string {
  return info.src.text.slice(e.from, e.to);
}

export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return "An error occurred.";
  // Code keeps its case: "asdict() should be ...", "x_train is ...".
  const cap = /^[a-z_][\w.]*[(_.[]/.test(t) || /^[a-z]+_/.test(t) ? t : t[0].toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(cap) ? (cap.endsWith(")") ? cap + "." : cap) : cap + ".";
}

export function defaultCode(pyType: string): string {
  switch (pyType) {
    case "NameError": return "unknown-name";
    case "AttributeError": return "attribute";
    case "TypeError": return "type";
    default: return "exception";
  }
}

