// A JSON parser that remembers where each object and array starts, so a layer's entry in a model
// config can be shown as "source", and keeps whether a number was written as a float ("1.0") so it
// reaches the Keras stubs as a Python float. Errors name the byte offset and what was expected.

import type { JsonValue } from "../ir/types";
import { SourceText, type Range } from "../python/source";

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface LocatedJson {
  value: JsonValue;
  /** Start/end offset of every object and array value. */
  spans: WeakMap<object, { from: number; to: number }>;
  /** Numbers written with a fraction or exponent, by containing object/array and key/index. */
  floats: WeakMap<object, Set<string | number>>;
  source: SourceText;
  rangeOf(v: object | undefined): Range | undefined;
}

const WS = new Set([9, 10, 13, 32]);
/** Deeper nesting than any model config needs: stops hostile input from exhausting the stack. */
const MAX_DEPTH = 512;

export function parseLocatedJson(text: string): LocatedJson {
  const spans = new WeakMap<object, { from: number; to: number }>();
  const floats = new WeakMap<object, Set<string | number>>();
  let i = 0;
  const n = text.length;

  const fail = (what: string): never => {
    const got = i >= n ? "the end of the text" : `'${text[i]}'`;
    throw new JsonSyntaxError(`Invalid JSON at character ${i}: expected ${what}, found ${got}.`, i);
  };
  const skip = (): void => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const markFloat = (holder: object, key: string | number): void => {
    let s = floats.get(holder);
    if (!s) floats.set(holder, (s = new Set()));
    s.add(key);
  };

  const parseString = (): string => {
    if (text[i] !== '"') fail("a string");
    const start = ++i;
    let out = "";
    let chunk = start;
    while (true) {
      if (i >= n) fail("the closing quote of a string");
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          i++;
          fail("a valid escape sequence");
        }
        chunk = i;
        continue;
      }
      i++;
    }
    out += text.slice(chunk, i);
    i++;
    return out;
  };

  const parseNumber = (): { v: number; isFloat: boolean } => {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) return fail("a value");
    i += m[0].length;
    return { v: Number(m[0]), isFloat: m[1] !== undefined || m[2] !== undefined };
  };

  const parseValue = (holder: object | null, key: string | number, depth: number): JsonValue => {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`JSON nested deeper than ${MAX_DEPTH} levels at character ${i}.`, i);
    skip();
    const c = text[i];
    if (c === "{") {
      const obj: { [k: string]: JsonValue } = {};
      const from = i++;
      skip();
      if (text[i] === "}") i++;
      else {
        while (true) {
          skip();
          const k = parseString();
          skip();
          if (text[i] !== ":") fail("':'");
          i++;
          obj[k] = parseValue(obj, k, depth + 1);
          skip();
          if (text[i] === ",") i++;
          else if (text[i] === "}") {
            i++;
            break;
          } else fail("',' or '}'");
        }
      }
      spans.set(obj, { from, to: i });
      return obj;
    }
    if (c === "[") {
      const arr: JsonValue[] = [];
      const from = i++;
      skip();
      if (text[i] === "]") i++;
      else {
        while (true) {
          arr.push(parseValue(arr, arr.length, depth + 1));
          skip();
          if (text[i] === ",") i++;
          else if (text[i] === "]") {
            i++;
            break;
          } else fail("',' or ']'");
        }
      }
      spans.set(arr, { from, to: i });
      return arr;
    }
    if (c === '"') return parseString();
    if (text.startsWith("true", i)) return (i += 4), true;
    if (text.startsWith("false", i)) return (i += 5), false;
    if (text.startsWith("null", i)) return (i += 4), null;
    // Python's json module writes these for non-finite floats.
    if (text.startsWith("NaN", i)) return (i += 3), NaN;
    if (text.startsWith("Infinity", i)) return (i += 8), Infinity;
    if (text.startsWith("-Infinity", i)) return (i += 9), -Infinity;
    const num = parseNumber();
    if (num.isFloat && holder) markFloat(holder, key);
    return num.v;
  };

  const value = parseValue(null, "", 0);
  skip();
  if (i < n) fail("the end of the JSON text");
  const source = new SourceText(text);
  return {
    value,
    spans,
    floats,
    source,
    rangeOf(v) {
      const s = v ? spans.get(v) : undefined;
      return s ? source.range(s.from, s.from + 1) : undefined;
    },
  };
}

/** Plain JSON.parse results behave like a located parse without positions. */
export function unlocated(value: JsonValue, text = ""): LocatedJson {
  const source = new SourceText(text);
  return { value, spans: new WeakMap(), floats: new WeakMap(), source, rangeOf: () => undefined };
}
