// Python semantics of the primitive values: arithmetic, comparison, equality, text.
// Anything involving objects or tensors is dispatched by the interpreter before reaching here.

import type { BinOperator } from "../python/ast";
import { type Value, PyException, float, int, str, bool, tuple, list, NONE, hashKey } from "./values";
import { formatInt } from "../view/format";

export function isNumber(v: Value): v is Extract<Value, { kind: "int" | "float" | "bool" }> {
  return v.kind === "int" || v.kind === "float" || v.kind === "bool";
}

export function numValue(v: Value): number {
  return (v as { v: number | boolean }).v as number;
}

function num(v: Value): number {
  return v.kind === "bool" ? (v.v ? 1 : 0) : (v as { v: number }).v;
}

/** Python floor division and modulo on numbers. */
function floorDiv(a: number, b: number): number {
  if (b === 0) throw new PyException("ZeroDivisionError", "integer division or modulo by zero");
  return Math.floor(a / b);
}
function pyMod(a: number, b: number): number {
  if (b === 0) throw new PyException("ZeroDivisionError", "integer division or modulo by zero");
  const m = a % b;
  return m !== 0 && m < 0 !== b < 0 ? m + b : m;
}

/** The largest string or sequence the interpreter builds: model code never needs more, runaway code does. */
export const MAX_SEQUENCE = 1_000_000;

function checkSize(n: number): void {
  if (n > MAX_SEQUENCE) {
    throw new PyException("MemoryError", `a sequence of ${formatInt(n)} items is too large to analyse`, undefined, "budget");
  }
}

/** Arithmetic on numbers, strings, tuples and lists. Returns undefined when the operands do not support `op`. */
export function binaryPrimitive(op: BinOperator, a: Value, b: Value): Value | undefined {
  if ((op === "+" || op === "*") && !(isNumber(a) && isNumber(b))) guardSize(op, a, b);
  if (isNumber(a) && isNumber(b)) {
    const x = num(a);
    const y = num(b);
    const isFloat = a.kind === "float" || b.kind === "float";
    const mk = (r: number) => (isFloat ? float(r) : int(r));
    switch (op) {
      case "+": return mk(x + y);
      case "-": return mk(x - y);
      case "*": return mk(x * y);
      case "/":
        if (y === 0) throw new PyException("ZeroDivisionError", "division by zero");
        return float(x / y);
      case "//": return mk(floorDiv(x, y));
      case "%": return mk(pyMod(x, y));
      case "**": {
        const r = Math.pow(x, y);
        return isFloat || y < 0 ? float(r) : int(r);
      }
      case "<<": return int(x * Math.pow(2, y));
      case ">>": return int(Math.floor(x / Math.pow(2, y)));
      case "&": return a.kind === "bool" && b.kind === "bool" ? bool(a.v && b.v) : int(x & y);
      case "|": return a.kind === "bool" && b.kind === "bool" ? bool(a.v || b.v) : int(x | y);
      case "^": return a.kind === "bool" && b.kind === "bool" ? bool(a.v !== b.v) : int(x ^ y);
      default: return undefined;
    }
  }
  if (a.kind === "str" && b.kind === "str" && op === "+") return str(a.v + b.v);
  if (a.kind === "str" && (b.kind === "int" || b.kind === "bool") && op === "*") return str(a.v.repeat(Math.max(0, num(b))));
  if ((a.kind === "int" || a.kind === "bool") && b.kind === "str" && op === "*") return str(b.v.repeat(Math.max(0, num(a))));
  if (a.kind === "tuple" && b.kind === "tuple" && op === "+") return tuple([...a.items, ...b.items]);
  if (a.kind === "list" && b.kind === "list" && op === "+") return list([...a.items, ...b.items]);
  if ((a.kind === "tuple" || a.kind === "list") && (b.kind === "int" || b.kind === "bool") && op === "*") {
    const out: Value[] = [];
    for (let i = 0; i < num(b); i++) out.push(...a.items);
    return a.kind === "tuple" ? tuple(out) : list(out);
  }
  if ((b.kind === "tuple" || b.kind === "list") && a.kind === "int" && op === "*") return binaryPrimitive(op, b, a);
  if (a.kind === "set" && b.kind === "set") {
    const m = new Map<string, Value>();
    if (op === "|") {
      for (const [k, v] of a.map) m.set(k, v);
      for (const [k, v] of b.map) m.set(k, v);
    } else if (op === "&") {
      for (const [k, v] of a.map) if (b.map.has(k)) m.set(k, v);
    } else if (op === "-") {
      for (const [k, v] of a.map) if (!b.map.has(k)) m.set(k, v);
    } else return undefined;
    return { kind: "set", map: m };
  }
  if (a.kind === "dict" && b.kind === "dict" && op === "|") {
    const m = new Map(a.map);
    for (const [k, v] of b.map) m.set(k, v);
    return { kind: "dict", map: m };
  }
  if (a.kind === "str" && op === "%") return str(percentFormat(a.v, b));
  return undefined;
}

function lengthOf(v: Value): number {
  return v.kind === "str" ? v.v.length : v.kind === "tuple" || v.kind === "list" ? v.items.length : 0;
}

function guardSize(op: "+" | "*", a: Value, b: Value): void {
  if (op === "+") checkSize(lengthOf(a) + lengthOf(b));
  else if (isNumber(b)) checkSize(lengthOf(a) * Math.max(0, num(b)));
  else if (isNumber(a)) checkSize(lengthOf(b) * Math.max(0, num(a)));
}

/** Python `==` on primitives and containers; objects by identity. */
export function pyEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isNumber(a) && isNumber(b)) return num(a) === num(b);
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "str": return a.v === (b as typeof a).v;
    case "none": return true;
    case "tuple":
    case "list": {
      const bi = (b as typeof a).items;
      return a.items.length === bi.length && a.items.every((x, i) => pyEquals(x, bi[i]));
    }
    case "dict": {
      const bm = (b as typeof a).map;
      if (a.map.size !== bm.size) return false;
      for (const [k, e] of a.map) {
        const o = bm.get(k);
        if (!o || !pyEquals(e.value, o.value)) return false;
      }
      return true;
    }
    case "set": {
      const bm = (b as typeof a).map;
      return a.map.size === bm.size && [...a.map.keys()].every((k) => bm.has(k));
    }
    case "range": {
      const br = b as typeof a;
      return a.start === br.start && a.stop === br.stop && a.step === br.step;
    }
    case "ellipsis": return true;
    default: return false;
  }
}

/** `<` / `<=` / `>` / `>=` on numbers, strings, tuples and lists; undefined when not orderable. */
export function pyCompare(a: Value, b: Value): number | undefined {
  if (isNumber(a) && isNumber(b)) return Math.sign(num(a) - num(b));
  if (a.kind === "str" && b.kind === "str") return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if ((a.kind === "tuple" && b.kind === "tuple") || (a.kind === "list" && b.kind === "list")) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (pyEquals(a.items[i], b.items[i])) continue;
      return pyCompare(a.items[i], b.items[i]);
    }
    return Math.sign(a.items.length - b.items.length);
  }
  return undefined;
}

export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  // Python's repr: the shortest digits that read back, in exponent form when the exponent is < -4 or
  // >= 16 (1e-05, 0.0001, 1234567890123456.0, 1e+16); JavaScript switches at other bounds.
  const [m, e] = x.toExponential().split("e");
  const exp = Number(e);
  if (x !== 0 && (exp < -4 || exp >= 16)) return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  if (Number.isInteger(x)) return Object.is(x, -0) ? "-0.0" : x.toFixed(1);
  return String(x);
}

/** `repr()` of primitives and containers; objects get a generic form. */
export function reprPrimitive(v: Value, depth = 0): string {
  if (depth > 20) return "...";
  switch (v.kind) {
    case "none": return "None";
    case "bool": return v.v ? "True" : "False";
    case "int": return String(v.v);
    case "float": return formatFloat(v.v);
    case "str": return quote(v.v);
    case "tuple":
      return v.items.length === 1
        ? `(${reprPrimitive(v.items[0], depth + 1)},)`
        : `(${v.items.map((x) => reprPrimitive(x, depth + 1)).join(", ")})`;
    case "list": return `[${v.items.map((x) => reprPrimitive(x, depth + 1)).join(", ")}]`;
    case "dict":
      return `{${[...v.map.values()].map((e) => `${reprPrimitive(e.key, depth + 1)}: ${reprPrimitive(e.value, depth + 1)}`).join(", ")}}`;
    case "set": return v.map.size === 0 ? "set()" : `{${[...v.map.values()].map((x) => reprPrimitive(x, depth + 1)).join(", ")}}`;
    case "range": return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
    case "slice": return `slice(${reprPrimitive(v.start)}, ${reprPrimitive(v.stop)}, ${reprPrimitive(v.step)})`;
    case "ellipsis": return "Ellipsis";
    case "function": return `<function ${v.qualname}>`;
    case "builtin": return `<built-in function ${v.name}>`;
    case "method": return `<bound method ${reprPrimitive(v.fn)}>`;
    case "class": return `<class '${v.moduleName === "builtins" ? "" : v.moduleName + "."}${v.qualname}'>`;
    case "instance": return `<${v.cls.qualname} object>`;
    case "module": return `<module '${v.name}'>`;
    case "tensor": return `tensor(shape=[${v.shape.map((d) => (d === null ? "?" : d)).join(", ")}])`;
    case "unknown": return "<unknown>";
    default: return `<${v.kind}>`;
  }
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r");
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** `str()` of primitives. */
export function strPrimitive(v: Value): string {
  return v.kind === "str" ? v.v : reprPrimitive(v);
}

/** Python's round-half-to-even. */
export function bankersRound(x: number, digits = 0): number {
  if (!Number.isFinite(x)) return x;
  if (digits < 0) {
    const m = Math.pow(10, -digits);
    return bankersRound(x / m) * m;
  }
  // Decide on the exact binary value, as Python does: toFixed prints it exactly, so only a true
  // tie (…5000… to the end) is rounded to even; everything else rounds to nearest.
  const exact = Math.abs(x).toFixed(Math.min(digits + 40, 100));
  const tail = exact.slice(exact.indexOf(".") + 1 + digits);
  const isTie = /^50*$/.test(tail);
  let out = Number(Math.abs(x).toFixed(digits));
  if (isTie) {
    const m = Math.pow(10, digits);
    const down = Math.floor(Math.abs(x) * m);
    out = (down % 2 === 0 ? down : down + 1) / m;
  }
  return x < 0 ? -out : out;
}

/** The format-spec mini-language: [[fill]align][sign][#][0][width][,|_][.precision][type]. */
export function formatSpec(v: Value, spec: string): string {
  if (!spec) return strPrimitive(v);
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw new PyException("ValueError", `Invalid format specifier '${spec}'.`);
  const [, fillCh, align, sign, , zero, widthS, group, precS, type] = m;
  let body: string;
  const n = isNumber(v) ? num(v) : undefined;
  const prec = precS !== undefined ? Number(precS) : undefined;
  if (n !== undefined && type !== "s") {
    const abs = Math.abs(n);
    switch (type) {
      case "f": case "F": body = bankersRound(abs, prec ?? 6).toFixed(prec ?? 6); break;
      case "e": case "E": {
        const s = abs.toExponential(prec ?? 6);
        const [mm, ee] = s.split("e");
        body = `${mm}e${ee[0] === "-" ? "-" : "+"}${ee.replace(/^[+-]/, "").padStart(2, "0")}`;
        if (type === "E") body = body.toUpperCase();
        break;
      }
      case "%": body = (abs * 100).toFixed(prec ?? 6) + "%"; break;
      case "g": case "G": body = prec !== undefined ? String(Number(abs.toPrecision(prec || 1))) : String(abs); break;
      case "d": case "n": body = String(Math.trunc(abs)); break;
      case "x": body = Math.trunc(abs).toString(16); break;
      case "X": body = Math.trunc(abs).toString(16).toUpperCase(); break;
      case "o": body = Math.trunc(abs).toString(8); break;
      case "b": body = Math.trunc(abs).toString(2); break;
      default:
        body = v.kind === "float" ? (prec !== undefined ? abs.toFixed(prec) : formatFloat(abs)) : String(abs);
    }
    if (group) {
      const [ip, fp] = body.split(".");
      body = ip.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (fp !== undefined ? "." + fp : "");
    }
    const signStr = n < 0 || Object.is(n, -0) ? "-" : sign === "+" ? "+" : sign === " " ? " " : "";
    const width = widthS ? Number(widthS) : 0;
    if (zero && !align) return signStr + body.padStart(width - signStr.length, "0");
    body = signStr + body;
    return pad(body, width, fillCh ?? " ", align ?? ">");
  }
  body = strPrimitive(v);
  if (prec !== undefined) body = body.slice(0, prec);
  return pad(body, widthS ? Number(widthS) : 0, fillCh ?? " ", align ?? "<");
}

function pad(s: string, width: number, fill: string, align: string): string {
  if (s.length >= width) return s;
  const n = width - s.length;
  if (align === "<") return s + fill.repeat(n);
  if (align === "^") return fill.repeat(Math.floor(n / 2)) + s + fill.repeat(Math.ceil(n / 2));
  return fill.repeat(n) + s;
}

/** printf-style `"%d x %s" % (a, b)`. */
export function percentFormat(fmt: string, args: Value): string {
  const items = args.kind === "tuple" ? args.items : [args];
  let i = 0;
  return fmt.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifrgexX%])/g, (_all, flags: string, width, prec, type: string) => {
    if (type === "%") return "%";
    const v = items[i++] ?? NONE;
    let spec = "";
    if (flags.includes("-")) spec += "<";
    if (flags.includes("+")) spec += "+";
    if (flags.includes("0")) spec += "0";
    if (width) spec += width;
    if (prec) spec += "." + prec;
    if (type === "s") return formatSpec(str(strPrimitive(v)), spec);
    if (type === "r") return formatSpec(str(reprPrimitive(v)), spec);
    if (type === "i") type = "d";
    return formatSpec(v, spec + type);
  });
}

export { hashKey };
