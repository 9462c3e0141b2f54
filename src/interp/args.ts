// Binding of call arguments for native functions, Python-style:
// bindArgs(ctx, "Conv2d", args, kwargs, ["in_channels", "out_channels", "kernel_size", "stride=", ...])

import { type Kwargs, type NativeContext, type Value, NONE, unknownCode } from "./values";

/**
 * Parameter spec: "name" is required, "name=" optional (missing -> undefined unless a default
 * is supplied in `defaults`), "*name" collects extra positionals, "**name" extra keywords.
 * Keyword-only parameters come after "*" or "*name".
 */
interface CompiledParam {
  name: string;
  kind: "required" | "optional" | "varargs" | "kwargs";
  kwOnly: boolean;
}

interface CompiledSpec {
  params: CompiledParam[];
  /** The position of each parameter a keyword can bind (the required and optional ones), by name. */
  byName: Map<string, number>;
}

/** Specs are constant per native function: parse each once. */
const compiled = new WeakMap<string[], CompiledSpec>();

/** For callers that build a fresh spec array per call: the same spec text compiles once too. */
const compiledByText = new Map<string, CompiledSpec>();

function compile(spec: string[]): CompiledSpec {
  let out = compiled.get(spec);
  if (out) return out;
  const key = spec.join("\u0000");
  out = compiledByText.get(key);
  if (out) {
    compiled.set(spec, out);
    return out;
  }
  const params: CompiledParam[] = [];
  let kwOnly = false;
  for (const raw of spec) {
    if (raw === "*") kwOnly = true;
    else if (raw.startsWith("**")) params.push({ name: raw.slice(2), kind: "kwargs", kwOnly: true });
    else if (raw.startsWith("*")) {
      params.push({ name: raw.slice(1), kind: "varargs", kwOnly: false });
      kwOnly = true;
    } else if (raw.endsWith("=")) params.push({ name: raw.slice(0, -1), kind: "optional", kwOnly });
    else params.push({ name: raw, kind: "required", kwOnly });
  }
  const byName = new Map<string, number>();
  params.forEach((p, i) => {
    if ((p.kind === "required" || p.kind === "optional") && !byName.has(p.name)) byName.set(p.name, i);
  });
  out = { params, byName };
  compiled.set(spec, out);
  compiledByText.set(key, out);
  return out;
}

/**
 * Parameter spec: "name" is required, "name=" optional (missing -> undefined unless a default
 * is supplied in `defaults`), "*name" collects extra positionals, "**name" extra keywords.
 * Keyword-only parameters come after "*" or "*name".
 */
export function bindArgs(
  ctx: NativeContext,
  fnName: string,
  args: Value[],
  kwargs: Kwargs,
  spec: string[],
  defaults?: Record<string, Value>,
): Record<string, Value | undefined> {
  const out: Record<string, Value | undefined> = {};
  const { params, byName } = compile(spec);
  // The keywords given (a few) matched to their parameters at once, rather than each parameter
  // looked up among the keywords.
  let byKeyword: (Value | undefined)[] | undefined;
  if (kwargs.size > 0) {
    for (const [k, v] of kwargs) {
      const at = byName.get(k);
      if (at !== undefined) (byKeyword ??= new Array<Value | undefined>(params.length))[at] = v;
    }
  }
  let pos = 0;
  let usedKw = 0;
  let extraKw: string | undefined;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.kind === "kwargs") {
      extraKw = p.name;
      continue;
    }
    if (p.kind === "varargs") {
      out[p.name] = { kind: "tuple", items: args.slice(pos) };
      pos = args.length;
      continue;
    }
    const name = p.name;
    const keyword = byKeyword === undefined ? undefined : byKeyword[i];
    let v: Value | undefined;
    if (!p.kwOnly && pos < args.length) {
      v = args[pos++];
      if (keyword !== undefined) ctx.raise("TypeError", `${fnName}() got multiple values for argument '${name}'.`);
    } else if (keyword !== undefined) {
      v = keyword;
      usedKw++;
    }
    // Most callers have no defaults: no lookup per parameter then.
    if (v === undefined && defaults !== undefined) v = defaults[name];
    if (v === undefined && p.kind === "required") ctx.raise("TypeError", `${fnName}() is missing the required argument '${name}'.`);
    out[name] = v;
  }
  if (pos < args.length) {
    ctx.raise("TypeError", `${fnName}() takes ${pos} positional arguments but ${args.length} were given.`);
  }
  if (usedKw < kwargs.size || extraKw) {
    const d = { kind: "dict" as const, map: new Map<string, { key: Value; value: Value }>() };
    for (const [k, v] of kwargs) {
      if (byName.has(k)) continue;
      if (!extraKw) ctx.raise("TypeError", `${fnName}() got an unexpected keyword argument '${k}'.`);
      d.map.set("s" + k, { key: { kind: "str", v: k }, value: v });
    }
    if (extraKw) out[extraKw] = d;
  }
  return out;
}

// ---------- conversions (raise TypeError with a sentence naming the argument) ----------

export function isNoneOrMissing(v: Value | undefined): boolean {
  return v === undefined || v.kind === "none";
}

/** An int (or bool) argument. Unknown values raise so the caller can degrade to an opaque node. */
export function toInt(ctx: NativeContext, v: Value | undefined, what: string, fallback?: number): number {
  if (v === undefined || v.kind === "none") {
    if (fallback !== undefined) return fallback;
    ctx.raise("TypeError", `'${what}' must be an integer, got None.`);
  }
  if (v.kind === "int") return v.v;
  if (v.kind === "bool") return v.v ? 1 : 0;
  if (v.kind === "float" && Number.isInteger(v.v)) return v.v;
  if (v.kind === "unknown") ctx.raise("ValueError", `'${what}' could not be determined: ${v.why}`, unknownCode(v));
  return ctx.raise("TypeError", `'${what}' must be an integer, got ${ctx.repr(v)}.`);
}

export function toNumber(ctx: NativeContext, v: Value | undefined, what: string, fallback?: number): number {
  if (v === undefined || v.kind === "none") {
    if (fallback !== undefined) return fallback;
    ctx.raise("TypeError", `'${what}' must be a number, got None.`);
  }
  if (v.kind === "int" || v.kind === "float") return v.v;
  if (v.kind === "bool") return v.v ? 1 : 0;
  if (v.kind === "unknown") ctx.raise("ValueError", `'${what}' could not be determined: ${v.why}`, unknownCode(v));
  return ctx.raise("TypeError", `'${what}' must be a number, got ${ctx.repr(v)}.`);
}

export function toBool(ctx: NativeContext, v: Value | undefined, fallback: boolean): boolean {
  if (v === undefined || v.kind === "none") return fallback;
  return ctx.truthy(v);
}

export function toStr(ctx: NativeContext, v: Value | undefined, what: string, fallback?: string): string {
  if (v === undefined || v.kind === "none") {
    if (fallback !== undefined) return fallback;
    ctx.raise("TypeError", `'${what}' must be a string, got None.`);
  }
  if (v.kind === "str") return v.v;
  if (v.kind === "unknown") ctx.raise("ValueError", `'${what}' could not be determined: ${v.why}`, unknownCode(v));
  return ctx.raise("TypeError", `'${what}' must be a string, got ${ctx.repr(v)}.`);
}

/** An int or a tuple/list of `n` ints (kernel_size=3 or (3, 3)). */
export function toIntTuple(ctx: NativeContext, v: Value | undefined, n: number, what: string, fallback?: number): number[] {
  if (v === undefined || v.kind === "none") {
    if (fallback !== undefined) return repeated(n, fallback);
    ctx.raise("TypeError", `'${what}' must be an integer or a tuple of ${n} integers, got None.`);
  }
  if (v.kind === "tuple" || v.kind === "list") {
    // Plain ints need no conversion, nor the item's name that only a message would use.
    const xs = v.items.map((x, i) => (x.kind === "int" ? x.v : toInt(ctx, x, `${what}[${i}]`)));
    if (xs.length === 1) return repeated(n, xs[0]);
    if (xs.length !== n) ctx.raise("ValueError", `'${what}' must have ${n} values, got ${xs.length}.`);
    return xs;
  }
  return repeated(n, toInt(ctx, v, what));
}

/** `n` copies of `x`; `new Array(n).fill(x)` would take a slow runtime path for these few items. */
function repeated(n: number, x: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(x);
  return out;
}

export { NONE };
