// Python reads `1.` as a float; lezer's Python grammar has no such token and reads member access on
// 1, taking whatever name follows as the member, even a keyword: `x if p > 0. else y` loses its
// `else`. So lezer is handed a copy of the text in which each such dot is blanked (`1.e-5` becomes
// `1e-5 `), the same length, so every offset still holds; the converter reads those numbers from the
// original text, up to the end recorded here.

/** Digits, a dot, then an exponent or nothing that could continue a name, a number or a member. */
const TRAILING_DOT = /(?<![\w.])(\d[\d_]*)\.(?:([eE][+-]?\d[\d_]*)|(?![\w.]))/g;

export interface LezerText {
  /** What lezer parses: `text` itself when it has no trailing-dot float. */
  text: string;
  /** Start offset of each rewritten number -> its end in the original text. */
  numberEnds: ReadonlyMap<number, number>;
}

const NONE: ReadonlyMap<number, number> = new Map();

export function lezerText(text: string): LezerText {
  if (!/\d\./.test(text)) return { text, numberEnds: NONE };
  const numberEnds = new Map<number, number>();
  const patched = text.replace(TRAILING_DOT, (whole: string, digits: string, exponent: string | undefined, at: number) => {
    numberEnds.set(at, at + whole.length);
    return exponent === undefined ? `${digits} ` : `${digits}${exponent} `;
  });
  return numberEnds.size ? { text: patched, numberEnds } : { text, numberEnds: NONE };
}
