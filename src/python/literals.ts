// Python number and string literal decoding (pure functions over source text).

export interface NumberValue {
  value: number;
  isFloat: boolean;
  isComplex: boolean;
}

/** `1_000`, `0x1F`, `0o7`, `0b101`, `1e-5`, `3.`, `.5`, `2j`. */
export function parseNumber(raw: string): NumberValue {
  let s = raw.includes("_") ? raw.replace(/_/g, "") : raw;
  const c1 = s.charCodeAt(1) | 0x20; // lower-cased second char
  if (s.charCodeAt(0) === 48 /* 0 */ && s.length > 2 && (c1 === 120 || c1 === 111 || c1 === 98)) {
    const radix = c1 === 120 ? 16 : c1 === 111 ? 8 : 2;
    return { value: parseInt(s.slice(2), radix), isFloat: false, isComplex: false };
  }
  let isComplex = false;
  const last = s.charCodeAt(s.length - 1) | 0x20;
  if (last === 106 /* j */) {
    isComplex = true;
    s = s.slice(0, -1);
  }
  const isFloat = /[.eE]/.test(s);
  return { value: Number(s), isFloat: isFloat || isComplex, isComplex };
}

export interface StringShape {
  /** Lower-cased prefix letters, e.g. "rb". */
  prefix: string;
  /** Offsets (relative to the literal) of the content between the quotes. */
  contentFrom: number;
  contentTo: number;
  raw: boolean;
  bytes: boolean;
}

/** Finds prefix and quotes of a literal such as `rb'''x'''`; tolerates a missing closing quote. */
export function stringShape(lit: string): StringShape {
  let i = 0;
  while (i < lit.length && i < 3) {
    const c = lit.charCodeAt(i);
    if (c === 39 || c === 34) break;
    i++;
  }
  const prefix = lit.slice(0, i).toLowerCase();
  const q = lit.charCodeAt(i);
  // `''` is an empty short string; only three quotes open a long one.
  const quoteLen = lit.charCodeAt(i + 1) === q && lit.charCodeAt(i + 2) === q ? 3 : 1;
  const contentFrom = Math.min(i + quoteLen, lit.length);
  const quote = lit.slice(i, i + quoteLen);
  const closed = lit.length >= contentFrom + quoteLen && lit.endsWith(quote);
  const contentTo = closed ? lit.length - quoteLen : lit.length;
  return {
    prefix,
    contentFrom,
    contentTo: Math.max(contentTo, contentFrom),
    raw: prefix.includes("r"),
    bytes: prefix.includes("b"),
  };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
};

/** Decodes backslash escapes. `\N{...}` is left as written; unknown escapes keep their backslash, as Python does. */
export function decodeEscapes(s: string, bytes: boolean): string {
  if (!s.includes("\\")) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    const bs = s.indexOf("\\", i);
    if (bs < 0 || bs === s.length - 1) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, bs);
    const c = s[bs + 1];
    i = bs + 2;
    if (c in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[c];
    else if (c === "\n") continue;
    else if (c === "\r") {
      if (s[i] === "\n") i++;
    } else if (c >= "0" && c <= "7") {
      let j = bs + 1;
      while (j < s.length && j < bs + 4 && s[j] >= "0" && s[j] <= "7") j++;
      out += String.fromCharCode(parseInt(s.slice(bs + 1, j), 8));
      i = j;
    } else if (c === "x" || (!bytes && (c === "u" || c === "U"))) {
      const len = c === "x" ? 2 : c === "u" ? 4 : 8;
      const hex = s.slice(i, i + len);
      if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
        const code = parseInt(hex, 16);
        out += code <= 0x10ffff ? String.fromCodePoint(code) : "\\" + c + hex;
        i += len;
      } else out += "\\" + c;
    } else out += "\\" + c;
  }
  return out;
}

/** The value of one plain (non-f) string literal. */
export function decodeStringLiteral(lit: string): string {
  const shape = stringShape(lit);
  const body = lit.slice(shape.contentFrom, shape.contentTo);
  return shape.raw ? body : decodeEscapes(body, shape.bytes);
}

/** Literal text inside an f-string: escapes (unless raw) and doubled braces. */
export function decodeFStringText(s: string, raw: boolean): string {
  // Braces first, so that an escaped `\x7b\x7b` stays two braces.
  const unbraced = s.includes("{{") || s.includes("}}") ? s.replace(/\{\{/g, "{").replace(/\}\}/g, "}") : s;
  return raw ? unbraced : decodeEscapes(unbraced, false);
}
