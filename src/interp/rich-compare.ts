// Python's rich comparison of objects: `l < r` is whatever `l.__lt__(r)` returns, so numpy's `arr == 0`
// gives a bool array and a user class's `__lt__` is honoured. Numbers, strings and containers compare in
// ops.ts; this is the dunder dispatch for instances, in CPython's order (do_richcompare).

import { type NativeContext, type PyInstance, type Value, NOT_IMPLEMENTED, bool, lookupClassAttr } from "./values";
import { pyCompare } from "./ops";
import { typeOf } from "./types";

export type RichOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** Each operator's dunder and the one the right operand answers with when the left has none. */
const DUNDERS: Record<RichOperator, [own: string, reflected: string]> = {
  "==": ["__eq__", "__eq__"],
  "!=": ["__ne__", "__ne__"],
  "<": ["__lt__", "__gt__"],
  "<=": ["__le__", "__ge__"],
  ">": ["__gt__", "__lt__"],
  ">=": ["__ge__", "__le__"],
};

const callable = (f: Value | undefined): f is Value => f !== undefined && (f.kind === "function" || f.kind === "builtin");

/**
 * `self.<name>(other)`, or undefined when the class has no such method. A class with `__eq__` and no
 * `__ne__` answers `!=` with the negation of `__eq__`, as object.__ne__ does.
 */
function callDunder(ctx: NativeContext, self: PyInstance, name: string, other: Value): Value | undefined {
  const f = lookupClassAttr(self.cls, name);
  if (callable(f)) return ctx.call(f, [self, other]);
  if (name !== "__ne__") return undefined;
  const eq = lookupClassAttr(self.cls, "__eq__");
  if (!callable(eq)) return undefined;
  const r = ctx.call(eq, [self, other]);
  return r === NOT_IMPLEMENTED || r.kind === "unknown" ? r : bool(!ctx.truthy(r));
}

/**
 * The result of the operands' own comparison methods, or undefined when neither has one that answers
 * (then equality falls back to identity and ordering is a TypeError). A right operand whose class is a
 * subclass of the left's is asked first, as in Python.
 */
export function richCompare(ctx: NativeContext, op: RichOperator, l: Value, r: Value): Value | undefined {
  const [own, reflected] = DUNDERS[op];
  const rightFirst = l.kind === "instance" && r.kind === "instance" && r.cls !== l.cls && r.cls.mro.includes(l.cls);
  if (rightFirst) {
    const out = callDunder(ctx, r, reflected, l);
    if (out !== undefined && out !== NOT_IMPLEMENTED) return out;
  }
  if (l.kind === "instance") {
    const out = callDunder(ctx, l, own, r);
    if (out !== undefined && out !== NOT_IMPLEMENTED) return out;
  }
  if (!rightFirst && r.kind === "instance") {
    const out = callDunder(ctx, r, reflected, l);
    if (out !== undefined && out !== NOT_IMPLEMENTED) return out;
  }
  return undefined;
}

/**
 * `a < b` or `a > b` as the builtins that order values ask it (sorted, list.sort, min, max): objects by
 * their own `__lt__`/`__gt__` (or the other operand's reflected one), numbers, strings and sequences as
 * ops.ts orders them; a TypeError, as in Python, when neither answers.
 */
export function ordered(ctx: NativeContext, op: "<" | ">", a: Value, b: Value): boolean {
  if (a.kind === "instance" || b.kind === "instance") {
    const own = richCompare(ctx, op, a, b);
    if (own) return ctx.truthy(own);
  }
  const c = pyCompare(a, b);
  if (c === undefined) ctx.raise("TypeError", `'${op}' not supported between instances of '${typeOf(a).name}' and '${typeOf(b).name}'`);
  return op === "<" ? c < 0 : c > 0;
}
