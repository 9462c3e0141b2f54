// `re` as model code uses it: decoding architecture strings such as timm's EfficientNet block
// strings ("ir_r2_k3_s2_e6_c24_se0.25") with split / match / findall / sub. Python patterns run as
// JavaScript regular expressions after the few spellings that differ are translated ((?P<name>...),
// (?P=name), \A, \Z); the flags I, M, S and X are honoured.

import { type NativeContext, type PyClass, type PyInstance, type PyModule, type Value, NONE, OBJECT_CLASS, PyException, bool, builtin, dict, int, list, nativeClass, str, tuple } from "./values";

const FLAG_I = 2;
const FLAG_M = 8;
const FLAG_S = 16;
const FLAG_X = 64;

interface Compiled {
  source: string;
  flags: number;
  groupNames: string[];
}

function translate(pattern: string, flags: number): string {
  let p = pattern
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, "(?<$1>")
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$");
  // Verbose patterns: whitespace and comments outside classes are not part of the pattern.
  if (flags & FLAG_X) p = p.replace(/\\#/g, "\u0000").replace(/#.*$/gm, "").replace(/\s+/g, "").replace(/\u0000/g, "\\#");
  return p;
}

function jsFlags(flags: number, extra = ""): string {
  return (flags & FLAG_I ? "i" : "") + (flags & FLAG_M ? "m" : "") + (flags & FLAG_S ? "s" : "") + extra;
}

function compileIn(ctx: NativeContext, pattern: Value, flags: Value | undefined): Compiled {
  if (pattern.kind === "instance" && pattern.cls === PATTERN_CLASS) return pattern.native as Compiled;
  if (pattern.kind !== "str") return ctx.raise("TypeError", `re expects a string pattern, got ${ctx.repr(pattern)}`);
  const f = flags?.kind === "int" ? flags.v : 0;
  const source = translate(pattern.v, f);
  try {
    const probe = new RegExp(source, jsFlags(f));
    return { source, flags: f, groupNames: Object.keys(new RegExp(`${probe.source}|`).exec("")?.groups ?? {}) };
  } catch (e) {
    return ctx.raise("error", `The regular expression ${ctx.repr(pattern)} is not supported here (${e instanceof Error ? e.message : String(e)})`);
  }
}

const regex = (c: Compiled, extra = "") => new RegExp(c.source, jsFlags(c.flags, extra));

const MATCH_CLASS: PyClass = nativeClass("Match", "re", [OBJECT_CLASS], {
  group: builtin("group", (a, _k, ctx) => {
    const m = matchOf(a[0]);
    const which = a.length > 1 ? a.slice(1) : [int(0)];
    const one = (g: Value): Value => {
      const v = g.kind === "int" ? m[g.v] : g.kind === "str" ? m.groups?.[g.v] : ctx.raise("IndexError", "no such group");
      return v === undefined ? NONE : str(v);
    };
    return which.length === 1 ? one(which[0]) : tuple(which.map(one));
  }),
  groups: builtin("groups", (a) => tuple(matchOf(a[0]).slice(1).map((g) => (g === undefined ? a[1] ?? NONE : str(g))))),
  groupdict: builtin("groupdict", (a) => dict(Object.entries(matchOf(a[0]).groups ?? {}).map(([k, v]) => [str(k), v === undefined ? NONE : str(v)]))),
  start: builtin("start", (a) => int(matchOf(a[0]).index)),
  end: builtin("end", (a) => int(matchOf(a[0]).index + matchOf(a[0])[0].length)),
  span: builtin("span", (a) => tuple([int(matchOf(a[0]).index), int(matchOf(a[0]).index + matchOf(a[0])[0].length)])),
  __getitem__: builtin("__getitem__", (a) => {
    const m = matchOf(a[0]);
    const v = a[1]?.kind === "int" ? m[a[1].v] : a[1]?.kind === "str" ? m.groups?.[a[1].v] : undefined;
    return v === undefined ? NONE : str(v);
  }),
  __bool__: builtin("__bool__", () => bool(true)),
});

function matchOf(v: Value | undefined): RegExpExecArray {
  if (v?.kind !== "instance" || v.cls !== MATCH_CLASS) throw new PyException("TypeError", "not a match object");
  return v.native as RegExpExecArray;
}

function matchValue(ctx: NativeContext, m: RegExpExecArray | null): Value {
  if (!m) return NONE;
  const inst: PyInstance = ctx.newInstance(MATCH_CLASS);
  inst.native = m;
  return inst;
}

function text(ctx: NativeContext, v: Value | undefined, fn: string): string {
  if (v?.kind === "str") return v.v;
  return ctx.raise("TypeError", `re.${fn}() expects a string, got ${v ? ctx.repr(v) : "nothing"}`);
}

/** The module-level functions, each taking the pattern first; Pattern methods bind it. */
const OPERATIONS: Record<string, (ctx: NativeContext, c: Compiled, args: Value[]) => Value> = {
  match: (ctx, c, [s]) => {
    const r = regex(c, "y");
    return matchValue(ctx, r.exec(text(ctx, s, "match")));
  },
  fullmatch: (ctx, c, [s]) => matchValue(ctx, new RegExp(`^(?:${c.source})$`, jsFlags(c.flags)).exec(text(ctx, s, "fullmatch"))),
  search: (ctx, c, [s]) => matchValue(ctx, regex(c).exec(text(ctx, s, "search"))),
  findall: (ctx, c, [s]) => {
    const out: Value[] = [];
    for (const m of text(ctx, s, "findall").matchAll(regex(c, "g"))) {
      const groups = m.slice(1).map((g) => str(g ?? ""));
      out.push(groups.length === 0 ? str(m[0]) : groups.length === 1 ? groups[0] : tuple(groups));
    }
    return list(out);
  },
  split: (ctx, c, [s, maxsplit]) => {
    const input = text(ctx, s, "split");
    const limit = maxsplit?.kind === "int" ? maxsplit.v : 0;
    const out: Value[] = [];
    let last = 0;
    let n = 0;
    for (const m of input.matchAll(regex(c, "g"))) {
      if (limit > 0 && n >= limit) break;
      if (m[0] === "" && m.index === last && m.index !== 0 && m.index === input.length) continue;
      out.push(str(input.slice(last, m.index)));
      for (const g of m.slice(1)) out.push(g === undefined ? NONE : str(g));
      last = m.index + m[0].length;
      n++;
    }
    out.push(str(input.slice(last)));
    return list(out);
  },
  sub: (ctx, c, [repl, s, count]) => {
    const input = text(ctx, s, "sub");
    const limit = count?.kind === "int" ? count.v : 0;
    let n = 0;
    return str(
      input.replace(regex(c, "g"), (...parts) => {
        const m = parts as unknown as RegExpExecArray;
        if (limit > 0 && n >= limit) return m[0];
        n++;
        const groups = parts.slice(1, -2) as (string | undefined)[];
        if (repl.kind === "str") {
          return repl.v.replace(/\\(\d+)|\\g<(\w+)>/g, (_all, num: string | undefined, name: string | undefined) => {
            if (num !== undefined) return (+num === 0 ? parts[0] : groups[+num - 1]) ?? "";
            const named = typeof parts[parts.length - 1] === "object" ? (parts[parts.length - 1] as Record<string, string>)[name!] : undefined;
            return named ?? (/^\d+$/.test(name!) ? groups[+name! - 1] ?? "" : "");
          });
        }
        const exec = regex(c).exec(parts[0] as string);
        const r = ctx.call(repl, [matchValue(ctx, exec)]);
        return r.kind === "str" ? r.v : "";
      }),
    );
  },
};

const PATTERN_CLASS: PyClass = nativeClass("Pattern", "re", [OBJECT_CLASS], {
  ...Object.fromEntries(
    Object.entries(OPERATIONS).map(([name, op]) => [name, builtin(name, (a, _k, ctx) => op(ctx, (a[0] as PyInstance).native as Compiled, a.slice(1)))]),
  ),
  pattern: { kind: "property", fget: builtin("pattern", (a) => str(((a[0] as PyInstance).native as Compiled).source)) },
});

/** Where each module-level function takes its flags argument (after the pattern). */
const FLAGS_AT: Record<string, number> = { match: 1, fullmatch: 1, search: 1, findall: 1, split: 2, sub: 3 };

export function makeRe(): PyModule {
  const members = new Map<string, Value>();
  for (const [name, op] of Object.entries(OPERATIONS)) {
    members.set(
      name,
      builtin(name, (a, k, ctx) => {
        const rest = a.slice(1);
        const flags = k.get("flags") ?? rest[FLAGS_AT[name]];
        const args = rest.slice(0, FLAGS_AT[name]);
        if (name === "split" && k.has("maxsplit")) args[1] = k.get("maxsplit")!;
        if (name === "sub" && k.has("count")) args[2] = k.get("count")!;
        return op(ctx, compileIn(ctx, a[0] ?? NONE, flags), args);
      }),
    );
  }
  members.set(
    "compile",
    builtin("compile", (a, k, ctx) => {
      const inst = ctx.newInstance(PATTERN_CLASS);
      inst.native = compileIn(ctx, a[0] ?? NONE, k.get("flags") ?? a[1]);
      return inst;
    }),
  );
  members.set("escape", builtin("escape", (a, _k, ctx) => str(text(ctx, a[0], "escape").replace(/[.*+?^${}()|[\]\\\-#&~\s]/g, "\\$&"))));
  for (const [names, v] of [[["I", "IGNORECASE"], FLAG_I], [["M", "MULTILINE"], FLAG_M], [["S", "DOTALL"], FLAG_S], [["X", "VERBOSE"], FLAG_X]] as const) {
    for (const n of names) members.set(n, int(v));
  }
  members.set("Pattern", PATTERN_CLASS);
  members.set("Match", MATCH_CLASS);
  members.set("__name__", str("re"));
  return { kind: "module", name: "re", dict: members };
}
