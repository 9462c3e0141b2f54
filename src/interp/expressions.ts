// Expression evaluation: the operations compiled expressions (compile-expr.ts) run: subscripts,
// operators, comparisons, calls' special cases, comprehensions, f-strings, function objects.

import type * as A from "../python/ast";
import { Scope } from "./scope";
import {
  type PyBuiltin,
  type PyFunction,
  type PyUnknown,
  type Value,
  OBJECT_CLASS,
  PyException,
  bool,
  dict,
  hashKey,
  int,
  list,
  str,
  tuple,
  unknown,
  unknownCode,
  derivedUnknown,
} from "./values";
import { binaryPrimitive, isNumber, pyCompare, pyEquals, formatSpec } from "./ops";
import { typeOf, TYPE_CLASS } from "./types";
import { tensorProtocol } from "./tensor-protocol";
import { type StackEntry } from "./runtime";
import { ObjectModel } from "./object-model";
import { isSame, normIndex, rangeLength, sliceItems } from "./sequences";
import { exprText } from "./messages";
import { abstractSubclass } from "./abstract-types";
import { richCompare } from "./rich-compare";
import { noteArgvSlice } from "./command-line";

const BINARY_DUNDER: Record<A.BinOperator, string> = {
  "+": "__add__",
  "-": "__sub__",
  "*": "__mul__",
  "/": "__truediv__",
  "//": "__floordiv__",
  "%": "__mod__",
  "**": "__pow__",
  "@": "__matmul__",
  "<<": "__lshift__",
  ">>": "__rshift__",
  "&": "__and__",
  "|": "__or__",
  "^": "__xor__",
};

export abstract class ExpressionEvaluator extends ObjectModel {

  protected indexInt(k: Value): number {
    if (k.kind === "int") return k.v;
    if (k.kind === "bool") return k.v ? 1 : 0;
    if (k.kind === "unknown") throw new PyException("ValueError", `An index depends on a value the analyzer cannot know (${k.why})`, undefined, unknownCode(k));
    throw new PyException("TypeError", `indices must be integers, not ${typeOf(k).name}`);
  }

  makeFunction(name: string, params: A.Param[], body: A.Stmt[] | A.Expr, isGenerator: boolean, from: number, to: number): PyFunction {
    const defaults = new Map<string, Value>();
    for (const p of params) if (p.default) defaults.set(p.name, this.eval(p.default));
    const scope = this.scope.closureScope();
    const cls = this.classBeingDefined;
    return {
      kind: "function",
      name,
      qualname: cls ? `${cls}.${name}` : name,
      params,
      defaults,
      body,
      isGenerator,
      scope,
      module: this.frame.info.mod,
      from,
      to,
    };
  }

  attrError(o: Value, name: string): PyException {
    const what = o.kind === "module" ? `module '${o.name}'` : o.kind === "class" ? `type object '${o.name}'` : `'${typeOf(o).name}' object`;
    return new PyException("AttributeError", `${what} has no attribute '${name}'`, undefined, "attribute");
  }

  /**
   * The items of a tuple, list or set display. A starred unknown (`(None, *data.shape[2:])`) makes the
   * whole display unknown, its length included, naming the display: whoever uses it says so once, and a
   * Keras Input given such a shape takes the --input one.
   */
  evalElts(elts: A.Expr[], display: A.Expr): Value[] | PyUnknown {
    const out: Value[] = [];
    for (const x of elts) {
      if (x.kind !== "Starred") {
        out.push(this.eval(x));
        continue;
      }
      const v = this.eval(x.value);
      if (v.kind === "unknown") {
        if (v.reported) return v;
        const text = exprText(this.frame.info, display).replace(/\s+/g, " ");
        return unknown(`${text.length > 80 ? `${text.slice(0, 77)}...` : text}, whose length depends on ${v.why}`);
      }
      out.push(...this.iterate(v));
    }
    return out;
  }

  fstring(e: A.FString): string {
    let out = "";
    for (const p of e.parts) {
      if (typeof p === "string") {
        out += p;
        continue;
      }
      const v = this.eval(p.expr);
      const spec = p.spec ? this.fstring(p.spec) : "";
      let text: string;
      if (p.conversion === "r" || (p.selfDoc && !p.conversion && !spec)) text = this.repr(v);
      else if (spec) text = formatSpec(v.kind === "instance" || v.kind === "tensor" ? str(this.toStr(v)) : v, spec);
      else text = this.toStr(v);
      out += (p.selfDoc ?? "") + text;
    }
    return out;
  }

  comprehension(e: A.Comprehension): Value {
    const out: Value[] = [];
    this.runGenerators(e.generators, 0, () => out.push(this.eval(e.elt)));
    if (e.form === "set") {
      const m = new Map<string, Value>();
      for (const v of out) m.set(hashKey(v), v);
      return { kind: "set", map: m };
    }
    if (e.form === "generator") return { kind: "iterator", items: out, index: 0 };
    return list(out);
  }

  runGenerators(gens: A.ComprehensionFor[], i: number, emit: () => void): void {
    const outer = this.scope;
    const inner = i === 0 ? new Scope(outer.closureScope(), outer.module ?? outer) : outer;
    const g = gens[i];
    // The first iterable is evaluated in the enclosing scope, as in Python.
    const iterV = this.eval(g.iter);
    this.scope = inner;
    const entry: StackEntry = { kind: "loop", label: "for", info: this.frame.info, from: g.iter.from, to: g.iter.to, iteration: 0 };
    this.stack.push(entry);
    try {
      const items = iterV.kind === "range" ? null : this.iterate(iterV);
      const n = items ? items.length : rangeLength(iterV as Extract<Value, { kind: "range" }>);
      for (let k = 0; k < n; k++) {
        if (++this.steps > this.stepBudget) this.budgetExceeded();
        entry.iteration = k;
        const v = items ? items[k] : int((iterV as { start: number }).start + k * (iterV as { step: number }).step);
        this.assign(g.target, v);
        if (g.ifs.some((c) => !this.truthy(this.eval(c)))) continue;
        if (i + 1 < gens.length) this.runGenerators(gens, i + 1, emit);
        else emit();
      }
    } finally {
      this.stack.pop();
      this.scope = outer;
    }
  }

  /**
   * locals() / vars() and globals() read the running code's scope, which only this layer sees: a dict
   * snapshot of its names, as CPython gives inside a function (vit-pytorch's CvT: `config = locals()`).
   */
  namespaceCall(fn: PyBuiltin): Value | undefined {
    const which = fn.name === "locals" || fn.name === "vars" ? this.scope : fn.name === "globals" ? this.scope.module ?? this.scope : undefined;
    if (!which || fn !== this.builtins.get(fn.name)) return undefined;
    const d = dict();
    for (const [k, v] of which.vars) d.map.set("s" + k, { key: str(k), value: v });
    return d;
  }

  zeroArgSuper(): Value {
    const fn = this.frame.fn;
    const cls = fn?.definingClass;
    const self = this.frame.firstArg;
    if (!cls || !self) throw new PyException("RuntimeError", "super(): no arguments outside a method");
    return { kind: "super", thisClass: cls, self };
  }

  getItem(o: Value, k: Value): Value {
    switch (o.kind) {
      case "list":
      case "tuple": {
        if (k.kind === "slice") {
          const items = sliceItems(o.items, k);
          if (o.kind === "tuple") return tuple(items);
          const out = list(items);
          noteArgvSlice(o, k, out);
          return out;
        }
        const i = normIndex(this.indexInt(k), o.items.length);
        if (i < 0 || i >= o.items.length) throw new PyException("IndexError", `${o.kind} index out of range`, undefined, "index");
        return o.items[i];
      }
      case "str": {
        if (k.kind === "slice") return str(sliceItems([...o.v], k).join(""));
        const chars = [...o.v];
        const i = normIndex(this.indexInt(k), chars.length);
        if (i < 0 || i >= chars.length) throw new PyException("IndexError", "string index out of range");
        return str(chars[i]);
      }
      case "dict": {
        const en = o.map.get(hashKey(k));
        if (!en) {
          if (k.kind === "unknown") return derivedUnknown(k, k.why);
          if (o.defaultFactory && o.defaultFactory.kind !== "none") {
            const value = this.call(o.defaultFactory, []);
            o.map.set(hashKey(k), { key: k, value });
            return value;
          }
          throw new PyException("KeyError", this.repr(k), undefined, "key");
        }
        return en.value;
      }
      case "range": {
        if (k.kind === "slice") return list(sliceItems(this.iterate(o), k));
        const n = rangeLength(o);
        const i = normIndex(this.indexInt(k), n);
        if (i < 0 || i >= n) throw new PyException("IndexError", "range object index out of range");
        return int(o.start + i * o.step);
      }
      case "instance": {
        const gi = this.lookupClass(o.cls, "__getitem__");
        if (gi) return this.call(gi, [o, k]);
        break;
      }
      case "class": {
        const cg = this.lookupClass(o, "__class_getitem__");
        if (cg) return this.call(cg, [o, k]);
        return o; // typing generics such as list[int]: the class itself is good enough
      }
      case "tensor": {
        const p = tensorProtocol(o.framework);
        if (p) return p.getItem(this, o, k);
        break;
      }
      case "unknown":
        return derivedUnknown(o, `${o.why}[...]`);
    }
    throw new PyException("TypeError", `'${typeOf(o).name}' object is not subscriptable`);
  }

  binary(op: A.BinOperator, l: Value, r: Value, inplace: boolean): Value {
    if (l.kind === "tensor" || r.kind === "tensor") {
      const t = (l.kind === "tensor" ? l : r) as Extract<Value, { kind: "tensor" }>;
      const out = tensorProtocol(t.framework)?.binary(this, op, l, r, inplace);
      if (out) return out;
      throw new PyException("TypeError", `unsupported operand type(s) for ${op}: '${typeOf(l).name}' and '${typeOf(r).name}'`);
    }
    if (inplace && l.kind === "list" && op === "+") {
      const more = this.iterate(r);
      if (l.items.length + more.length > 1_000_000) throw new PyException("MemoryError", "a list this large is too large to analyse", undefined, "budget");
      l.items.push(...more);
      return l;
    }
    const prim = binaryPrimitive(op, l, r);
    if (prim) return prim;
    if (l.kind === "unknown" || r.kind === "unknown") return sameUnknown(l, r);
    const dunder = BINARY_DUNDER[op];
    if (l.kind === "instance") {
      const f = (inplace && this.lookupClass(l.cls, "__i" + dunder.slice(2))) || this.lookupClass(l.cls, dunder);
      if (f) return this.call(f, [l, r]);
    }
    if (r.kind === "instance") {
      const f = this.lookupClass(r.cls, "__r" + dunder.slice(2));
      if (f) return this.call(f, [r, l]);
    }
    throw new PyException("TypeError", `unsupported operand type(s) for ${op}: '${typeOf(l).name}' and '${typeOf(r).name}'`);
  }

  compare(op: A.CmpOperator, l: Value, r: Value): Value {
    // Comparing a tensor with a tensor or a number is elementwise (`x > 0`, `mask == 0`).
    if ((l.kind === "tensor" || r.kind === "tensor") && op !== "is" && op !== "is not" && op !== "in" && op !== "not in") {
      const t = (l.kind === "tensor" ? l : r) as Extract<Value, { kind: "tensor" }>;
      const out = tensorProtocol(t.framework)?.compare?.(this, op, l, r);
      if (out) return out;
    }
    switch (op) {
      case "is":
        return bool(isSame(l, r));
      case "is not":
        return bool(!isSame(l, r));
      case "in":
      case "not in": {
        if (r.kind === "unknown" || (l.kind === "unknown" && r.kind !== "list" && r.kind !== "tuple")) return sameUnknown(r, l);
        const c = this.contains(r, l);
        return bool(op === "in" ? c : !c);
      }
      case "==":
      case "!=": {
        if (l.kind === "unknown" || r.kind === "unknown") return sameUnknown(l, r);
        // An object's own __eq__/__ne__ answers, with whatever it returns (numpy: a bool array).
        const own = l.kind === "instance" || r.kind === "instance" ? richCompare(this, op, l, r) : undefined;
        if (own) return own;
        const eq = pyEquals(l, r);
        return bool(op === "==" ? eq : !eq);
      }
      default: {
        if (l.kind === "unknown" || r.kind === "unknown") return sameUnknown(l, r);
        const own = l.kind === "instance" || r.kind === "instance" ? richCompare(this, op, l, r) : undefined;
        if (own) return own;
        const c = pyCompare(l, r);
        if (c === undefined) throw new PyException("TypeError", `'${op}' not supported between instances of '${typeOf(l).name}' and '${typeOf(r).name}'`);
        return bool(op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0);
      }
    }
  }

  contains(container: Value, item: Value): boolean {
    switch (container.kind) {
      case "list":
      case "tuple":
        return container.items.some((x) => isSame(x, item) || pyEquals(x, item));
      case "dict":
        return container.map.has(hashKey(item));
      case "set":
        return container.map.has(hashKey(item));
      case "str":
        return item.kind === "str" && container.v.includes(item.v);
      case "range": {
        if (!isNumber(item)) return false;
        const x = +item.v;
        const n = rangeLength(container);
        const k = (x - container.start) / container.step;
        return Number.isInteger(k) && k >= 0 && k < n;
      }
      case "instance": {
        const c = this.lookupClass(container.cls, "__contains__");
        if (c) return this.truthy(this.call(c, [container, item]));
        return this.iterate(container).some((x) => pyEquals(x, item));
      }
      default:
        throw new PyException("TypeError", `argument of type '${typeOf(container).name}' is not iterable`);
    }
  }

  /** `isinstance(v, cls)` for one class. */
  isInstance(v: Value, cls: Value): boolean {
    if (cls.kind === "tuple") return cls.items.some((c) => this.isInstance(v, c));
    if (cls.kind !== "class") return false;
    if (cls === OBJECT_CLASS) return true;
    const t = typeOf(v);
    if (t.mro.includes(cls)) return true;
    const abstract = abstractSubclass(t, cls);
    if (abstract !== undefined) return abstract;
    // `isinstance(3, float)` is False in Python, but `isinstance(True, int)` is True (bool's MRO has int).
    return cls === TYPE_CLASS && v.kind === "class";
  }
}

/** The unknown of an operation on unknowns: the first one's reason, kept as reported when it was. */
function sameUnknown(a: Value, b: Value): Value {
  const u = (a.kind === "unknown" ? a : b) as Extract<Value, { kind: "unknown" }>;
  return derivedUnknown(u, u.why);
}
