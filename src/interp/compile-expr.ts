// Expressions compiled to closures. On its first evaluation a syntax node becomes a JS function that
// evaluates it, with its children compiled into it: evaluation then needs no dispatch on the node kind,
// a read that sees two dozen node shapes (a megamorphic load on every node evaluated).
// Closures take the interpreter as an argument and keep only the node itself: syntax trees outlive
// an analysis (the parse cache), and an edit shifts their offsets in place, so `from`/`to` are read
// from the node when they are needed, never copied.

import type * as A from "../python/ast";
import type { Interpreter } from "./interpreter";
import { type Kwargs, type Value, NONE, PyException, bool, dict, float, hashKey, int, list, str, tuple, unknown, unknownCode } from "./values";
import { typeOf } from "./types";
import { mappingKeywords, mergeMapping } from "./mapping";
import { methodCallHooks } from "./method-hooks";
import { tensorProtocol } from "./tensor-protocol";
import { EMPTY_KWARGS } from "./runtime";
import { exprText } from "./messages";

export type Evaluate = (I: Interpreter) => Value;

interface CompiledExpr {
  compiled?: Evaluate;
}

/** The closure that evaluates `e`, made on first use and kept on the node. */
export function compiledExpr(e: A.Expr): Evaluate {
  return ((e as CompiledExpr).compiled ??= compileExpr(e));
}

function compileExpr(e: A.Expr): Evaluate {
  switch (e.kind) {
    case "Name": {
      const id = e.id;
      return (I) => {
        const v = I.scope.lookup(id) ?? I.builtins.get(id);
        if (v !== undefined) return v;
        throw Object.assign(new PyException("NameError", `name '${id}' is not defined`, undefined, "unknown-name"), { span: e as A.Span, info: I.frame.info });
      };
    }
    case "Constant": {
      const c = e.value;
      if (c === null) return () => NONE;
      if (typeof c === "boolean") {
        const b = bool(c);
        return () => b;
      }
      if (c === "...") return () => ({ kind: "ellipsis" });
      if (e.isComplex) return () => unknown("a complex number");
      return e.isFloat ? () => float(c) : () => int(c);
    }
    case "Str": {
      const value = e.value;
      return () => str(value);
    }
    case "FString":
      return (I) => str(I.fstring(e));
    case "Tuple": {
      if (hasStarred(e.elts)) return (I) => displayOf(I.evalElts(e.elts, e), tuple);
      const elts = e.elts.map(compiledExpr);
      return (I) => tuple(evalAll(I, elts));
    }
    case "List": {
      if (hasStarred(e.elts)) return (I) => displayOf(I.evalElts(e.elts, e), list);
      const elts = e.elts.map(compiledExpr);
      return (I) => list(evalAll(I, elts));
    }
    case "Set":
      return (I) => {
        const items = I.evalElts(e.elts, e);
        if (!Array.isArray(items)) return items;
        const m = new Map<string, Value>();
        for (const v of items) m.set(hashKey(v), v);
        return { kind: "set", map: m };
      };
    case "Dict":
      return compileDict(e);
    case "Attribute": {
      const value = compiledExpr(e.value);
      const attr = e.attr;
      return (I) => {
        const o = value(I);
        const v = I.getAttrOrUndefined(o, attr);
        if (v !== undefined) return v;
        throw Object.assign(I.attrError(o, attr), { span: e.attrSpan, info: I.frame.info });
      };
    }
    case "Subscript": {
      const value = compiledExpr(e.value);
      const index = compiledExpr(e.index);
      return (I) => I.getItem(value(I), index(I));
    }
    case "Slice": {
      const lower = e.lower ? compiledExpr(e.lower) : undefined;
      const upper = e.upper ? compiledExpr(e.upper) : undefined;
      const step = e.step ? compiledExpr(e.step) : undefined;
      return (I) => ({
        kind: "slice",
        start: lower ? lower(I) : NONE,
        stop: upper ? upper(I) : NONE,
        step: step ? step(I) : NONE,
      });
    }
    case "Call":
      return compileCall(e);
    case "BinOp": {
      const left = compiledExpr(e.left);
      const right = compiledExpr(e.right);
      const op = e.op;
      return (I) => {
        const l = left(I);
        const r = right(I);
        I.callFrom = e.from;
        I.callTo = e.to;
        return I.binary(op, l, r, false);
      };
    }
    case "UnaryOp":
      return compileUnary(e);
    case "BoolOp": {
      const values = e.values.map(compiledExpr);
      const isAnd = e.op === "and";
      return (I) => {
        let v: Value = NONE;
        for (const x of values) {
          v = x(I);
          if (v.kind === "unknown") return v;
          const t = I.truthy(v);
          if (isAnd ? !t : t) return v;
        }
        return v;
      };
    }
    case "Compare":
      return compileCompare(e);
    case "IfExp": {
      const test = compiledExpr(e.test);
      const body = compiledExpr(e.body);
      const orelse = compiledExpr(e.orelse);
      return (I) => (I.truthy(test(I)) ? body(I) : orelse(I));
    }
    case "Lambda":
      return (I) => I.makeFunction("<lambda>", e.params, e.body, false, e.from, e.to);
    case "Comprehension":
      return (I) => I.comprehension(e);
    case "DictComp":
      return (I) => {
        const d = dict();
        I.runGenerators(e.generators, 0, () => {
          const k = I.eval(e.key);
          d.map.set(hashKey(k), { key: k, value: I.eval(e.value) });
        });
        return d;
      };
    case "Starred":
    case "Await":
      return compiledExpr(e.value);
    case "NamedExpr": {
      const value = compiledExpr(e.value);
      const id = e.target.id;
      return (I) => {
        const v = value(I);
        I.scope.closureScope().vars.set(id, v);
        return v;
      };
    }
    case "Yield": {
      const value = e.value ? compiledExpr(e.value) : undefined;
      return (I) => {
        const v = value ? value(I) : NONE;
        const yields = I.frame.yields;
        if (yields) {
          if (e.isFrom) yields.push(...I.iterate(v));
          else yields.push(v);
        }
        return NONE;
      };
    }
    case "BadExpr":
      return (I) => {
        throw Object.assign(new PyException("SyntaxError", e.text.trim() ? `Cannot analyse '${e.text.slice(0, 40)}'` : "Cannot analyse an incomplete expression here", undefined, "syntax"), { span: e as A.Span, info: I.frame.info });
      };
  }
}

function hasStarred(elts: A.Expr[]): boolean {
  return elts.some((x) => x.kind === "Starred");
}

function evalAll(I: Interpreter, elts: Evaluate[]): Value[] {
  const out: Value[] = [];
  for (let i = 0; i < elts.length; i++) out.push(elts[i](I));
  return out;
}

function displayOf(items: Value[] | Extract<Value, { kind: "unknown" }>, make: (items: Value[]) => Value): Value {
  return Array.isArray(items) ? make(items) : items;
}

function compileDict(e: A.DictExpr): Evaluate {
  const entries = e.entries.map((en) => ("spread" in en ? { spread: compiledExpr(en.spread), key: undefined, value: undefined } : { spread: undefined, key: compiledExpr(en.key), value: compiledExpr(en.value) }));
  return (I) => {
    const d = dict();
    for (const en of entries) {
      if (en.spread) {
        const sv = en.spread(I);
        if (sv.kind === "dict") for (const [k, x] of sv.map) d.map.set(k, x);
        else if (sv.kind !== "unknown" && !mergeMapping(I, d, sv)) throw new PyException("TypeError", `'${typeOf(sv).name}' object is not a mapping`);
      } else {
        const k = en.key!(I);
        d.map.set(hashKey(k), { key: k, value: en.value!(I) });
      }
    }
    return d;
  };
}

function compileUnary(e: A.UnaryOp): Evaluate {
  const operand = compiledExpr(e.operand);
  const op = e.op;
  return (I) => {
    const v = operand(I);
    if (op === "not") return v.kind === "unknown" ? v : bool(!I.truthy(v));
    if (v.kind === "int" || v.kind === "bool") return int(op === "-" ? -(+v.v) : op === "~" ? ~+v.v : +v.v);
    if (v.kind === "float") return float(op === "-" ? -v.v : v.v);
    if (v.kind === "unknown") return v;
    if (v.kind === "tensor") {
      I.callFrom = e.from;
      I.callTo = e.to;
      const r = tensorProtocol(v.framework)?.unary?.(I, op as "-", v);
      if (r) return r;
    }
    if (v.kind === "instance") {
      const f = I.lookupClass(v.cls, op === "-" ? "__neg__" : op === "+" ? "__pos__" : "__invert__");
      if (f) return I.call(f, [v]);
    }
    throw new PyException("TypeError", `bad operand type for unary ${op}: '${typeOf(v).name}'`);
  };
}

function compileCompare(e: A.Compare): Evaluate {
  const first = compiledExpr(e.left);
  const comparators = e.comparators.map(compiledExpr);
  const ops = e.ops;
  return (I) => {
    let left = first(I);
    for (let i = 0; i < ops.length; i++) {
      const right = comparators[i](I);
      if (left.kind === "tensor" || right.kind === "tensor") {
        // A tensor comparison makes a node: it happens here, not at the last call.
        I.callFrom = e.from;
        I.callTo = e.to;
      }
      const r = I.compare(ops[i], left, right);
      // The last comparison's result is the chain's, whatever it is (numpy's `a == 0` is an array).
      if (r.kind === "unknown" || r.kind === "tensor" || i === ops.length - 1) return r;
      if (!I.truthy(r)) return r;
      left = right;
    }
    return bool(true);
  };
}

interface CompiledArg {
  kind: A.Arg["kind"];
  name: string;
  value: Evaluate;
  node: A.Expr;
}

function compileCall(e: A.Call): Evaluate {
  const func = e.func;
  const receiver = func.kind === "Attribute" ? compiledExpr(func.value) : undefined;
  const callee = func.kind === "Attribute" ? undefined : compiledExpr(func);
  const args: CompiledArg[] = e.args.map((a) => ({ kind: a.kind, name: a.kind === "kw" ? a.name : "", value: compiledExpr(a.value), node: a.value }));
  const fixedArgs = e.fixedArgs;
  return (I) => {
    // `obj.method(...)`: call the class function with `obj` first, as CPython's LOAD_METHOD does,
    // instead of allocating a bound method and then a second argument array.
    let fn: Value;
    let self: Value | undefined;
    if (receiver) {
      const attr = (func as A.Attribute).attr;
      const o = receiver(I);
      const m = I.methodOf(o, attr);
      if (m !== undefined) {
        fn = m;
        self = o;
      } else {
        const v = I.getAttrOrUndefined(o, attr);
        if (v === undefined) throw Object.assign(I.attrError(o, attr), { span: (func as A.Attribute).attrSpan, info: I.frame.info });
        fn = v;
      }
    } else fn = callee!(I);
    // Sized up front: a growing `[]` would allocate room for 16 arguments on the first push.
    const values: Value[] = new Array(fixedArgs === undefined ? 0 : fixedArgs + (self ? 1 : 0));
    let n = 0;
    if (self) values[n++] = self;
    let kwargs: Kwargs = EMPTY_KWARGS;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      switch (a.kind) {
        case "pos":
          if (fixedArgs === undefined) values.push(a.value(I));
          else values[n++] = a.value(I);
          break;
        case "star": {
          const v = a.value(I);
          if (v.kind === "unknown") throw new PyException("ValueError", `Cannot expand *${exprText(I.frame.info, a.node)}: ${v.why}`, undefined, unknownCode(v));
          values.push(...I.iterate(v));
          break;
        }
        case "kw":
          if (kwargs === EMPTY_KWARGS) kwargs = new Map();
          kwargs.set(a.name, a.value(I));
          break;
        case "dstar": {
          const v = a.value(I);
          if (kwargs === EMPTY_KWARGS) kwargs = new Map();
          if (v.kind === "dict") {
            for (const en of v.map.values()) if (en.key.kind === "str") kwargs.set(en.key.v, en.value);
          } else if (v.kind === "unknown") {
            throw new PyException("ValueError", `Cannot expand **${exprText(I.frame.info, a.node)}: ${v.why}`, undefined, unknownCode(v));
          } else if (!mappingKeywords(I, v, kwargs)) throw new PyException("TypeError", `argument after ** must be a mapping, not ${typeOf(v).name}`);
          break;
        }
      }
    }
    return callAt(I, e, fn, self, values, kwargs);
  };
}

/** Calls `fn` as the call `e`: the sites stubs record point at it, and so do failures without a place. */
function callAt(I: Interpreter, e: A.Call, fn: Value, self: Value | undefined, args: Value[], kwargs: Kwargs): Value {
  const savedFrom = I.callFrom;
  const savedTo = I.callTo;
  I.callFrom = e.from;
  I.callTo = e.to;
  try {
    if (fn.kind === "builtin" && args.length === 0) {
      if (fn.name === "super") return I.zeroArgSuper();
      const ns = I.namespaceCall(fn);
      if (ns) return ns;
    }
    if (self !== undefined && fn.kind === "function" && methodCallHooks.length !== 0) return I.callWatched(fn, args, kwargs);
    return I.call(fn, args, kwargs);
  } catch (err) {
    if (err instanceof PyException && !(err as { span?: A.Span }).span) Object.assign(err, { span: { from: e.from, to: e.to }, info: I.frame.info });
    throw err;
  } finally {
    I.callFrom = savedFrom;
    I.callTo = savedTo;
  }
}
