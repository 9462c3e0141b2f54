// Statements, statement blocks and assignment targets compiled to closures, as compile-expr.ts does
// for expressions: made on first execution, kept on the node (a block's on its array), and reading
// offsets from the node each time (an edit shifts a cached tree in place).

import type * as A from "../python/ast";
import type { Interpreter } from "./interpreter";
import { type PyDict, type Value, NONE, PyException, derivedUnknown, dict, hashKey, int, list, reportedUnknown, str } from "./values";
import { BREAK, CONTINUE, NORMAL, RETURN, type Completion, type StackEntry, userRaised } from "./runtime";
import { rangeLength } from "./sequences";
import { compiledExpr } from "./compile-expr";

export type Execute = (I: Interpreter) => Completion;
export type Store = (I: Interpreter, v: Value) => void;

interface CompiledStmt {
  compiled?: Execute;
}
interface CompiledBlock {
  compiled?: Execute;
}
interface CompiledTarget {
  store?: Store;
}

export function compiledStmt(s: A.Stmt): Execute {
  return ((s as CompiledStmt).compiled ??= compileStmt(s));
}

export function compiledBlock(body: A.Stmt[]): Execute {
  return ((body as CompiledBlock).compiled ??= compileBlock(body));
}

/** The closure that assigns a value to the target `t` (a name, attribute, subscript or unpacking). */
export function compiledTarget(t: A.Expr): Store {
  return ((t as CompiledTarget).store ??= compileTarget(t));
}

/**
 * A statement that fails outside any `try` is reported and skipped, and the block goes on; inside a
 * `try` the failure propagates to it.
 */
function compileBlock(body: A.Stmt[]): Execute {
  const stmts = body.map(compiledStmt);
  return (I) => {
    for (let i = 0; i < stmts.length; i++) {
      let c: Completion;
      if (I.frame.tryDepth > 0) c = stmts[i](I);
      else {
        try {
          c = stmts[i](I);
        } catch (e) {
          if (e instanceof PyException && !userRaised.has(e)) {
            const s = body[i];
            I.skipStatement(e, s);
            // A skipped `return` still ends the function, with what it could not compute.
            if (s.kind === "Return" && I.frame.fn) {
              I.frame.returnValue = reportedUnknown(`the value line ${I.lineOf(s.from)} could not compute`);
              return RETURN;
            }
            continue;
          }
          throw e;
        }
      }
      if (c !== NORMAL) return c;
    }
    return NORMAL;
  };
}

/** Every statement counts against the step budget, and failures name the statement running. */
function enter(I: Interpreter, from: number): void {
  if (++I.steps > I.stepBudget) I.budgetExceeded();
  I.currentStmtFrom = from;
}

function compileStmt(s: A.Stmt): Execute {
  switch (s.kind) {
    case "ExprStmt": {
      const value = compiledExpr(s.value);
      return (I) => {
        enter(I, s.from);
        value(I);
        return NORMAL;
      };
    }
    case "Assign": {
      const value = compiledExpr(s.value);
      const targets = s.targets.map(compiledTarget);
      if (targets.length === 1) {
        const target = targets[0];
        return (I) => {
          enter(I, s.from);
          target(I, value(I));
          return NORMAL;
        };
      }
      return (I) => {
        enter(I, s.from);
        const v = value(I);
        for (const t of targets) t(I, v);
        return NORMAL;
      };
    }
    case "AugAssign": {
      const current = compiledExpr(s.target);
      const value = compiledExpr(s.value);
      const target = compiledTarget(s.target);
      const op = s.op;
      return (I) => {
        enter(I, s.from);
        const cur = current(I);
        const rhs = value(I);
        I.callFrom = s.from;
        I.callTo = s.to;
        target(I, I.binary(op, cur, rhs, true));
        return NORMAL;
      };
    }
    case "AnnAssign": {
      const value = s.value ? compiledExpr(s.value) : undefined;
      const target = compiledTarget(s.target);
      return (I) => {
        enter(I, s.from);
        // A class body keeps its annotated names in order: @dataclass makes its fields from them.
        if (I.scope.isClass && s.target.kind === "Name") annotationsOf(I.scope.vars).map.set(hashKey(str(s.target.id)), { key: str(s.target.id), value: NONE });
        if (value) target(I, value(I));
        return NORMAL;
      };
    }
    case "FunctionDef":
      return (I) => {
        enter(I, s.from);
        let fn: Value = I.makeFunction(s.name, s.params, s.body, s.isGenerator, s.from, s.to);
        fn = I.applyDecorators(s.decorators, fn);
        I.setName(s.name, fn);
        return NORMAL;
      };
    case "ClassDef":
      return (I) => {
        enter(I, s.from);
        I.setName(s.name, I.applyDecorators(s.decorators, I.makeClass(s)));
        return NORMAL;
      };
    case "Return": {
      const value = s.value ? compiledExpr(s.value) : undefined;
      return (I) => {
        enter(I, s.from);
        I.frame.returnValue = value ? value(I) : NONE;
        return RETURN;
      };
    }
    case "If": {
      const test = compiledExpr(s.test);
      const body = compiledBlock(s.body);
      const orelse = s.orelse.length ? compiledBlock(s.orelse) : undefined;
      return (I) => {
        enter(I, s.from);
        if (I.truthy(test(I))) return body(I);
        return orelse ? orelse(I) : NORMAL;
      };
    }
    case "For":
      return compileFor(s);
    case "While":
      return (I) => {
        enter(I, s.from);
        return I.execWhile(s);
      };
    case "Break":
      return (I) => {
        enter(I, s.from);
        return BREAK;
      };
    case "Continue":
      return (I) => {
        enter(I, s.from);
        return CONTINUE;
      };
    case "Pass":
      return (I) => {
        enter(I, s.from);
        return NORMAL;
      };
    case "Import":
      return (I) => {
        enter(I, s.from);
        I.execImport(s);
        return NORMAL;
      };
    case "ImportFrom":
      return (I) => {
        enter(I, s.from);
        I.execImportFrom(s);
        return NORMAL;
      };
    case "Raise":
      return (I) => {
        enter(I, s.from);
        if (!s.exc) {
          if (I.frame.handling) throw I.frame.handling;
          throw I.userError(new PyException("RuntimeError", "No active exception to re-raise"), s);
        }
        throw I.userError(I.toException(I.eval(s.exc)), s);
      };
    case "Assert":
      return (I) => {
        enter(I, s.from);
        const t = I.eval(s.test);
        if (t.kind === "unknown") return NORMAL;
        if (!I.truthy(t)) {
          const msg = s.msg ? I.toStr(I.eval(s.msg)) : "assertion failed";
          throw I.userError(new PyException("AssertionError", msg), s);
        }
        return NORMAL;
      };
    case "Try":
      return (I) => {
        enter(I, s.from);
        return I.execTry(s);
      };
    case "With":
      return (I) => {
        enter(I, s.from);
        return I.execWith(s);
      };
    case "Global":
      return (I) => {
        enter(I, s.from);
        const scope = I.scope;
        for (const n of s.names) (scope.globals ??= new Set()).add(n);
        return NORMAL;
      };
    case "Nonlocal":
      return (I) => {
        enter(I, s.from);
        const scope = I.scope;
        for (const n of s.names) (scope.nonlocals ??= new Set()).add(n);
        return NORMAL;
      };
    case "Delete":
      return (I) => {
        enter(I, s.from);
        for (const t of s.targets) I.deleteTarget(t);
        return NORMAL;
      };
  }
}

function compileFor(s: A.For): Execute {
  const iter = compiledExpr(s.iter);
  const target = compiledTarget(s.target);
  const body = compiledBlock(s.body);
  const orelse = s.orelse.length ? compiledBlock(s.orelse) : undefined;
  return (I) => {
    enter(I, s.from);
    const iterV = iter(I);
    const entry: StackEntry = { kind: "loop", label: "for", info: I.frame.info, from: s.from, to: s.body.length ? s.body[0].from : s.to, iteration: 0 };
    I.stack.push(entry);
    try {
      let items: Value[] | undefined;
      let n: number;
      if (iterV.kind === "range") n = rangeLength(iterV);
      else {
        items = I.iterate(iterV);
        n = items.length;
      }
      for (let i = 0; i < n; i++) {
        if (++I.steps > I.stepBudget) I.budgetExceeded();
        entry.iteration = i;
        target(I, items ? items[i] : int((iterV as { start: number }).start + i * (iterV as { step: number }).step));
        const c = body(I);
        if (c === BREAK) return NORMAL;
        if (c === RETURN) return RETURN;
      }
      return orelse ? orelse(I) : NORMAL;
    } finally {
      I.stack.pop();
    }
  };
}

function compileTarget(t: A.Expr): Store {
  switch (t.kind) {
    case "Name": {
      const id = t.id;
      return (I, v) => I.setName(id, v);
    }
    case "Attribute": {
      const value = compiledExpr(t.value);
      const attr = t.attr;
      return (I, v) => {
        const o = value(I);
        I.callFrom = t.from;
        I.callTo = t.to;
        I.setAttr(o, attr, v);
      };
    }
    case "Subscript": {
      const value = compiledExpr(t.value);
      const index = compiledExpr(t.index);
      return (I, v) => {
        const o = value(I);
        const k = index(I);
        I.setItem(o, k, v);
      };
    }
    case "Tuple":
    case "List":
      return compileUnpacking(t.elts);
    case "Starred":
      return compiledTarget(t.value);
    default:
      return () => {
        throw new PyException("SyntaxError", `cannot assign to ${t.kind}`);
      };
  }
}

function compileUnpacking(elts: A.Expr[]): Store {
  const targets = elts.map(compiledTarget);
  const star = elts.findIndex((e) => e.kind === "Starred");
  const count = elts.length;
  return (I, v) => {
    if (v.kind === "unknown") {
      for (const t of targets) t(I, derivedUnknown(v, v.why));
      return;
    }
    const items = I.iterate(v);
    if (star < 0) {
      if (items.length !== count) {
        throw new PyException("ValueError", `cannot unpack ${items.length} values into ${count} names`, undefined, "unpack");
      }
      for (let i = 0; i < items.length; i++) targets[i](I, items[i]);
      return;
    }
    const after = count - star - 1;
    if (items.length < count - 1) throw new PyException("ValueError", `not enough values to unpack (expected at least ${count - 1}, got ${items.length})`);
    for (let i = 0; i < star; i++) targets[i](I, items[i]);
    targets[star](I, list(items.slice(star, items.length - after)));
    for (let i = 0; i < after; i++) targets[star + 1 + i](I, items[items.length - after + i]);
  };
}

/** The `__annotations__` dict of a class body, made on its first annotated name. */
function annotationsOf(vars: Map<string, Value>): PyDict {
  const have = vars.get("__annotations__");
  if (have?.kind === "dict") return have;
  const d = dict();
  vars.set("__annotations__", d);
  return d;
}
