// Methods of str, list, tuple, dict, set and numbers, bound on attribute access.

import { type Kwargs, type PyBuiltin, type Value, NONE, PyException, bool, dict, float, hashKey, int, list, str, tuple } from "./values";
import type { InterpreterCore as Interpreter } from "./runtime";
import { formatSpec, pyEquals, strPrimitive } from "./ops";
import { ordered } from "./rich-compare";

type Method = (self: any, args: Value[], kwargs: Kwargs, ctx: Interpreter) => Value;

function bound(ctx: Interpreter, self: Value, name: string, m: Method): PyBuiltin {
  return { kind: "builtin", name, fn: (args, kwargs) => m(self, args, kwargs, ctx) };
}

const asStr = (ctx: Interpreter, v: Value | undefined): string => (v === undefined || v.kind === "none" ? "" : v.kind === "str" ? v.v : ctx.toStr(v));

/** `"{} x {name}".format(...)` */
export function strFormat(ctx: Interpreter, fmt: string, args: Value[], kwargs: Kwargs): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*(?:\{[^{}]*\}[^{}]*)*))?\}/g, (all, field: string | undefined, conv, spec: string | undefined) => {
    if (all === "{{") return "{";
    if (all === "}}") return "}";
    const path = (field ?? "").trim();
    const head = path.split(/[.[]/)[0];
    let v: Value | undefined = head === "" ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kwargs.get(head);
    if (v === undefined) throw new PyException("KeyError", `format field '${head}' is missing`);
    for (const m of path.slice(head.length).matchAll(/\.(\w+)|\[([^\]]+)\]/g)) {
      if (m[1]) v = ctx.getAttr(v!, m[1]);
      else v = ctx.getItem(v!, /^\d+$/.test(m[2]) ? int(Number(m[2])) : str(m[2]));
    }
    const nestedSpec = spec ? spec.replace(/\{(\w*)\}/g, (_a, k: string) => asStr(ctx, k === "" ? args[auto++] : /^\d+$/.test(k) ? args[Number(k)] : kwargs.get(k))) : "";
    if (conv === "r") return formatSpec(str(ctx.repr(v!)), nestedSpec);
    if (v!.kind === "instance" || v!.kind === "tensor" || conv === "s") return formatSpec(str(ctx.toStr(v!)), nestedSpec);
    return formatSpec(v!, nestedSpec);
  });
}

const STR: Record<string, Method> = {
  format: (s, a, k, c) => str(strFormat(c, s.v, a, k)),
  join: (s, a, _k, c) => str(c.iterate(a[0]).map((x) => asStr(c, x)).join(s.v)),
  upper: (s) => str(s.v.toUpperCase()),
  lower: (s) => str(s.v.toLowerCase()),
  capitalize: (s) => str(s.v.charAt(0).toUpperCase() + s.v.slice(1).toLowerCase()),
  title: (s) => str(s.v.replace(/\w\S*/g, (w: string) => w[0].toUpperCase() + w.slice(1).toLowerCase())),
  strip: (s, a) => str(a[0]?.kind === "str" ? trimChars(s.v, a[0].v, true, true) : s.v.trim()),
  lstrip: (s, a) => str(a[0]?.kind === "str" ? trimChars(s.v, a[0].v, true, false) : s.v.trimStart()),
  rstrip: (s, a) => str(a[0]?.kind === "str" ? trimChars(s.v, a[0].v, false, true) : s.v.trimEnd()),
  startswith: (s, a, _k, c) => bool(a[0].kind === "tuple" ? a[0].items.some((x) => s.v.startsWith(asStr(c, x))) : s.v.startsWith(asStr(c, a[0]))),
  endswith: (s, a, _k, c) => bool(a[0].kind === "tuple" ? a[0].items.some((x) => s.v.endsWith(asStr(c, x))) : s.v.endsWith(asStr(c, a[0]))),
  split: (s, a) => {
    const sep = a[0] && a[0].kind === "str" ? a[0].v : undefined;
    const parts = sep === undefined ? s.v.trim().split(/\s+/).filter((x: string) => x) : s.v.split(sep);
    const max = a[1]?.kind === "int" ? a[1].v : -1;
    if (max >= 0 && parts.length > max + 1) parts.splice(max, parts.length, parts.slice(max).join(sep ?? " "));
    return list(parts.map((x: string) => str(x)));
  },
  rsplit: (s, a) => {
    const sep = a[0] && a[0].kind === "str" ? a[0].v : " ";
    const max = a[1]?.kind === "int" ? a[1].v : -1;
    const parts = s.v.split(sep);
    if (max >= 0 && parts.length > max + 1) parts.splice(0, parts.length - max, parts.slice(0, parts.length - max).join(sep));
    return list(parts.map((x: string) => str(x)));
  },
  replace: (s, a, _k, c) => str(s.v.split(asStr(c, a[0])).join(asStr(c, a[1]))),
  find: (s, a, _k, c) => int(s.v.indexOf(asStr(c, a[0]))),
  rfind: (s, a, _k, c) => int(s.v.lastIndexOf(asStr(c, a[0]))),
  index: (s, a, _k, c) => {
    const i = s.v.indexOf(asStr(c, a[0]));
    if (i < 0) throw new PyException("ValueError", "substring not found");
    return int(i);
  },
  count: (s, a, _k, c) => int(s.v.split(asStr(c, a[0])).length - 1),
  isdigit: (s) => bool(/^\d+$/.test(s.v)),
  isalpha: (s) => bool(/^[A-Za-z]+$/.test(s.v)),
  isidentifier: (s) => bool(/^[A-Za-z_]\w*$/.test(s.v)),
  zfill: (s, a) => str(s.v.padStart(a[0]?.kind === "int" ? a[0].v : 0, "0")),
  ljust: (s, a) => str(s.v.padEnd(a[0]?.kind === "int" ? a[0].v : 0, a[1]?.kind === "str" ? a[1].v : " ")),
  rjust: (s, a) => str(s.v.padStart(a[0]?.kind === "int" ? a[0].v : 0, a[1]?.kind === "str" ? a[1].v : " ")),
  center: (s, a) => str(formatSpec(s, `${a[1]?.kind === "str" ? a[1].v : " "}^${a[0]?.kind === "int" ? a[0].v : 0}`)),
  encode: (s) => s,
  decode: (s) => s,
};

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  while (left && a < b && chars.includes(s[a])) a++;
  while (right && b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function sortItems(ctx: Interpreter, items: Value[], kwargs: Kwargs): Value[] {
  const key = kwargs.get("key");
  const reverse = kwargs.get("reverse");
  const keyed = items.map((v) => ({ v, k: key && key.kind !== "none" ? ctx.call(key, [v]) : v }));
  // Python sorts by `<` alone: a class that defines only __lt__ sorts.
  keyed.sort((x, y) => (ordered(ctx, "<", x.k, y.k) ? -1 : ordered(ctx, "<", y.k, x.k) ? 1 : 0));
  if (reverse && ctx.truthy(reverse)) keyed.reverse();
  return keyed.map((x) => x.v);
}

export { sortItems };

const SEQ: Record<string, Method> = {
  index: (s, a) => {
    const i = s.items.findIndex((x: Value) => pyEquals(x, a[0]));
    if (i < 0) throw new PyException("ValueError", "value is not in the sequence");
    return int(i);
  },
  count: (s, a) => int(s.items.filter((x: Value) => pyEquals(x, a[0])).length),
};

const LIST: Record<string, Method> = {
  ...SEQ,
  append: (s, a) => (s.items.push(a[0]), NONE),
  extend: (s, a, _k, c) => {
    const more = c.iterate(a[0]);
    if (s.items.length + more.length > 1_000_000) throw new PyException("MemoryError", "a list this large is too large to analyse", undefined, "budget");
    for (const x of more) s.items.push(x);
    return NONE;
  },
  insert: (s, a) => {
    let i = a[0].kind === "int" ? a[0].v : 0;
    if (i < 0) i = Math.max(0, s.items.length + i);
    s.items.splice(i, 0, a[1]);
    return NONE;
  },
  pop: (s, a) => {
    if (!s.items.length) throw new PyException("IndexError", "pop from empty list");
    let i = a[0]?.kind === "int" ? a[0].v : s.items.length - 1;
    if (i < 0) i += s.items.length;
    return s.items.splice(i, 1)[0];
  },
  // numpy's arrays (src/interp/numpy-array.ts) answer `tolist()` too: `np.linspace(...).tolist()`.
  tolist: (s) => list([...s.items]),
  remove: (s, a) => {
    const i = s.items.findIndex((x: Value) => pyEquals(x, a[0]));
    if (i < 0) throw new PyException("ValueError", "list.remove(x): x not in list");
    s.items.splice(i, 1);
    return NONE;
  },
  reverse: (s) => (s.items.reverse(), NONE),
  sort: (s, _a, k, c) => {
    const sorted = sortItems(c, s.items, k);
    s.items.splice(0, s.items.length, ...sorted);
    return NONE;
  },
  copy: (s) => list(s.items.slice()),
  clear: (s) => (s.items.splice(0), NONE),
  // collections.deque is a list here (stdlib.ts); these are its methods beyond a list's.
  appendleft: (s, a) => (s.items.unshift(a[0]), NONE),
  extendleft: (s, a, _k, c) => (s.items.unshift(...c.iterate(a[0]).reverse()), NONE),
  popleft: (s) => {
    if (!s.items.length) throw new PyException("IndexError", "pop from an empty deque");
    return s.items.shift()!;
  },
  rotate: (s, a) => {
    const n = s.items.length ? ((((a[0]?.kind === "int" ? a[0].v : 1) % s.items.length) + s.items.length) % s.items.length) : 0;
    s.items.unshift(...s.items.splice(s.items.length - n, n));
    return NONE;
  },
};

const DICT: Record<string, Method> = {
  get: (s, a) => s.map.get(hashKey(a[0]))?.value ?? a[1] ?? NONE,
  keys: (s) => list([...s.map.values()].map((e: { key: Value }) => e.key)),
  values: (s) => list([...s.map.values()].map((e: { value: Value }) => e.value)),
  items: (s) => list([...s.map.values()].map((e: { key: Value; value: Value }) => tuple([e.key, e.value]))),
  update: (s, a, k, c) => {
    if (a[0]) {
      if (a[0].kind === "dict") for (const [h, e] of a[0].map) s.map.set(h, e);
      else for (const p of c.iterate(a[0])) {
        const [kk, vv] = c.iterate(p);
        s.map.set(hashKey(kk), { key: kk, value: vv });
      }
    }
    for (const [kk, vv] of k) s.map.set("s" + kk, { key: str(kk), value: vv });
    return NONE;
  },
  pop: (s, a, _k, c) => {
    const h = hashKey(a[0]);
    const e = s.map.get(h);
    if (e) {
      s.map.delete(h);
      return e.value;
    }
    if (a[1]) return a[1];
    throw new PyException("KeyError", c.repr(a[0]));
  },
  setdefault: (s, a) => {
    const h = hashKey(a[0]);
    const e = s.map.get(h);
    if (e) return e.value;
    const v = a[1] ?? NONE;
    s.map.set(h, { key: a[0], value: v });
    return v;
  },
  copy: (s) => ({ kind: "dict", map: new Map(s.map) }),
  clear: (s) => (s.map.clear(), NONE),
};

/** The hash keys of every item of every argument (set methods take any number of iterables). */
function keysOf(c: Interpreter, args: Value[]): Set<string>[] {
  return args.map((a) => new Set(c.iterate(a).map(hashKey)));
}

const setOf = (entries: Iterable<[string, Value]>): Value => ({ kind: "set", map: new Map(entries) });

const SET: Record<string, Method> = {
  add: (s, a) => (s.map.set(hashKey(a[0]), a[0]), NONE),
  update: (s, a, _k, c) => {
    for (const other of a) for (const x of c.iterate(other)) s.map.set(hashKey(x), x);
    return NONE;
  },
  discard: (s, a) => (s.map.delete(hashKey(a[0])), NONE),
  remove: (s, a, _k, c) => {
    if (!s.map.delete(hashKey(a[0]))) throw new PyException("KeyError", c.repr(a[0]));
    return NONE;
  },
  pop: (s) => {
    const first = s.map.entries().next();
    if (first.done) throw new PyException("KeyError", "'pop from an empty set'");
    s.map.delete(first.value[0]);
    return first.value[1];
  },
  clear: (s) => (s.map.clear(), NONE),
  union: (s, a, _k, c) => {
    const m = new Map<string, Value>(s.map);
    for (const other of a) for (const x of c.iterate(other)) m.set(hashKey(x), x);
    return { kind: "set", map: m };
  },
  intersection: (s, a, _k, c) => {
    const others = keysOf(c, a);
    return setOf([...s.map].filter(([h]) => others.every((o) => o.has(h))));
  },
  difference: (s, a, _k, c) => {
    const others = keysOf(c, a);
    return setOf([...s.map].filter(([h]) => !others.some((o) => o.has(h))));
  },
  symmetric_difference: (s, a, _k, c) => {
    const items = c.iterate(a[0]);
    const other = new Set(items.map(hashKey));
    return setOf([...[...s.map].filter(([h]) => !other.has(h)), ...items.filter((x) => !s.map.has(hashKey(x))).map((x): [string, Value] => [hashKey(x), x])]);
  },
  issubset: (s, a, _k, c) => {
    const other = keysOf(c, [a[0]])[0];
    return bool([...s.map.keys()].every((h) => other.has(h)));
  },
  issuperset: (s, a, _k, c) => bool(c.iterate(a[0]).every((x) => s.map.has(hashKey(x)))),
  isdisjoint: (s, a, _k, c) => bool(!c.iterate(a[0]).some((x) => s.map.has(hashKey(x)))),
  copy: (s) => ({ kind: "set", map: new Map(s.map) }),
};

export function primitiveAttr(ctx: Interpreter, obj: Value, name: string): Value | undefined {
  let table: Record<string, Method> | undefined;
  switch (obj.kind) {
    case "str": table = STR; break;
    case "list": table = LIST; break;
    case "tuple": table = SEQ; break;
    case "dict": table = DICT; break;
    case "set": table = SET; break;
    case "int":
    case "bool":
      if (name === "real" || name === "numerator") return int(+obj.v);
      if (name === "imag") return int(0);
      if (name === "bit_length") return { kind: "builtin", name, fn: () => int(Math.abs(+obj.v).toString(2).length - (+obj.v === 0 ? 1 : 0)) };
      return undefined;
    case "float":
      if (name === "real") return obj;
      if (name === "is_integer") return { kind: "builtin", name, fn: () => bool(Number.isInteger(obj.v)) };
      return undefined;
    case "range":
      if (name === "start") return int(obj.start);
      if (name === "stop") return int(obj.stop);
      if (name === "step") return int(obj.step);
      return undefined;
    case "slice":
      if (name === "start") return obj.start;
      if (name === "stop") return obj.stop;
      if (name === "step") return obj.step;
      return undefined;
    case "iterator":
      return undefined;
    case "property":
      if (name === "setter") return { kind: "builtin", name, fn: (a) => ({ kind: "property", fget: obj.fget, fset: a[0] }) };
      if (name === "getter") return { kind: "builtin", name, fn: (a) => ({ kind: "property", fget: a[0], fset: obj.fset }) };
      return undefined;
    default:
      return undefined;
  }
  const m = table[name];
  return m ? bound(ctx, obj, name, m) : undefined;
}

export { float, dict, strPrimitive };
