// The abstract interpreter: runs a parsed Python module over stub framework modules.
// It never throws on user code: failures become located diagnostics, the failing statement is
// skipped, and a step budget and a call-depth limit end runaway code. Syntax nodes run as closures
// compiled once (compile-expr.ts, compile-stmt.ts); this file holds the statements' less common
// work, expressions.ts and runtime.ts the rest.

import type * as A from "../python/ast";
import { Scope } from "./scope";
import {
  type PyClass,
  type PyModule,
  type Value,
  NONE,
  OBJECT_CLASS,
  PyException,
  computeMro,
  hashKey,
  str,
  tuple,
  settledDict,
  unknown,
  unknownName,
} from "./values";
import { exceptionClass, typeOf } from "./types";
import { ExpressionEvaluator } from "./expressions";
import { compiledBlock, compiledStmt, compiledTarget } from "./compile-stmt";
import { compiledExpr } from "./compile-expr";
import { BREAK, EMPTY_KWARGS, NORMAL, RETURN, type Completion, type StackEntry } from "./runtime";
import { normIndex, sliceBounds } from "./sequences";
import { tensorProtocol } from "./tensor-protocol";
import { exprText } from "./messages";
import { stdlibModule } from "./stdlib";
import { stubModule, stubStarExports } from "../frameworks/registry";

export { BudgetExceeded, type ModuleInfo, type ModuleSource, type InterpreterOptions } from "./runtime";
export { rangeLength, sliceBounds } from "./sequences";

export class Interpreter extends ExpressionEvaluator {

  // Syntax nodes run as the closures they compile to once (compile-expr.ts, compile-stmt.ts).
  eval(e: A.Expr): Value {
    return compiledExpr(e)(this);
  }

  protected execBlock(body: A.Stmt[]): Completion {
    return compiledBlock(body)(this);
  }

  exec(s: A.Stmt): Completion {
    return compiledStmt(s)(this);
  }

  execImport(s: A.Import): void {
    for (const a of s.names) {
      this.callFrom = a.span.from;
      this.callTo = a.span.to;
      if (a.asname) this.setName(a.asname, this.importModule(a.name, 0));
      else {
        const parts = a.name.split(".");
        const root = this.importModule(parts[0], 0);
        let cur: PyModule = root;
        for (let i = 1; i < parts.length; i++) {
          const sub = this.importModule(parts.slice(0, i + 1).join("."), 0);
          if (!cur.dict.has(parts[i])) cur.dict.set(parts[i], sub);
          cur = sub;
        }
        this.setName(parts[0], root);
      }
    }
  }

  toException(v: Value): PyException {
    let inst = v;
    if (v.kind === "class") inst = this.instantiate(v, [], EMPTY_KWARGS);
    if (inst.kind === "instance") {
      const args = inst.dict.get("args");
      const msg = args && args.kind === "tuple" && args.items.length ? this.toStr(args.items[0]) : "";
      return new PyException(inst.cls.name, msg, inst, "raised");
    }
    return new PyException("TypeError", "exceptions must derive from BaseException");
  }

  setName(name: string, v: Value): void {
    const scope = this.scope;
    if (scope.globals || scope.nonlocals) scope.target(name).vars.set(name, v);
    else scope.vars.set(name, v);
  }

  execWhile(s: A.While): Completion {
    const entry: StackEntry = { kind: "loop", label: "while", info: this.frame.info, from: s.from, to: s.body.length ? s.body[0].from : s.to, iteration: 0 };
    this.stack.push(entry);
    try {
      for (let i = 0; ; i++) {
        if (++this.steps > this.stepBudget) this.budgetExceeded();
        entry.iteration = i;
        if (!this.truthy(this.eval(s.test))) break;
        const c = this.execBlock(s.body);
        if (c === BREAK) return NORMAL;
        if (c === RETURN) return RETURN;
      }
      if (s.orelse.length) return this.execBlock(s.orelse);
      return NORMAL;
    } finally {
      this.stack.pop();
    }
  }

  execTry(s: A.Try): Completion {
    let result: Completion = NORMAL;
    try {
      this.frame.tryDepth++;
      let raised: PyException | undefined;
      try {
        result = this.execBlock(s.body);
      } catch (e) {
        if (!(e instanceof PyException)) throw e;
        raised = e;
      } finally {
        this.frame.tryDepth--;
      }
      if (raised) {
        const handler = s.handlers.find((h) => !h.type || this.exceptionMatches(raised!, this.eval(h.type)));
        if (!handler) throw raised;
        if (handler.name) this.setName(handler.name, raised.value ?? this.exceptionValue(raised));
        const prev = this.frame.handling;
        this.frame.handling = raised;
        try {
          result = this.execBlock(handler.body);
        } finally {
          this.frame.handling = prev;
        }
      } else if (result === NORMAL && s.orelse.length) {
        result = this.execBlock(s.orelse);
      }
    } finally {
      if (s.finalbody.length) {
        const saved = this.frame.returnValue;
        const c = this.execBlock(s.finalbody);
        if (c !== NORMAL) result = c;
        else this.frame.returnValue = saved;
      }
    }
    return result;
  }

  protected exceptionValue(e: PyException): Value {
    const inst = this.newInstance(exceptionClass(e.pyType));
    inst.native = { exception: true };
    inst.dict.set("args", tuple([str(e.message)]));
    return inst;
  }

  protected exceptionMatches(e: PyException, t: Value): boolean {
    if (t.kind === "tuple") return t.items.some((x) => this.exceptionMatches(e, x));
    if (t.kind !== "class") return t.kind === "unknown";
    const cls = e.value?.kind === "instance" ? e.value.cls : exceptionClass(e.pyType);
    if (e.value?.kind !== "instance" && cls.name !== e.pyType) {
      // An exception type we have no class for (e.g. SyntaxError): match by name and by Exception.
      return t.name === e.pyType || t.name === "Exception" || t.name === "BaseException";
    }
    return cls.mro.includes(t);
  }

  execWith(s: A.With): Completion {
    const exits: [Value, Value][] = [];
    for (const item of s.items) {
      const ctxV = this.eval(item.context);
      let entered: Value = ctxV;
      if (ctxV.kind === "instance") {
        const enter = this.lookupClass(ctxV.cls, "__enter__");
        if (enter) entered = this.call(enter, [ctxV]);
        const exit = this.lookupClass(ctxV.cls, "__exit__");
        if (exit) exits.push([exit, ctxV]);
      } else if (ctxV.kind === "unknown") entered = unknown(ctxV.why);
      if (item.vars) this.assign(item.vars, entered);
    }
    try {
      return this.execBlock(s.body);
    } finally {
      for (const [exit, self] of exits.reverse()) this.call(exit, [self, NONE, NONE, NONE]);
    }
  }

  execImportFrom(s: A.ImportFrom): void {
    this.callFrom = s.from;
    this.callTo = s.to;
    const mod = this.importModule(s.module, s.level);
    if (s.names === "*") {
      for (const [k, v] of this.starImported(mod)) this.setName(k, v);
      return;
    }
    for (const a of s.names) {
      this.callFrom = a.span.from;
      this.callTo = a.span.to;
      let v = this.getAttrOrUndefined(mod, a.name);
      if (v === undefined) {
        // `from . import blocks` / `from pkg import submodule`
        const subName = s.module ? `${s.module}.${a.name}` : a.name;
        const modelled = s.level === 0 && (stubModule(s.module) !== undefined || stdlibModule(s.module, this) !== undefined);
        try {
          // A name a stub or standard module lacks (`from math import comb`) is an unknown value, not
          // an unknown submodule: only real submodules are imported for it.
          v = modelled ? this.findModule(subName, 0) : this.importModule(subName, s.level);
        } catch {
          v = undefined;
        }
        if (v === undefined && modelled) {
          this.reportHere("info", `'${a.name}' of module '${s.module}' is not modelled by the analyzer; values taken from it are unknown.`, "unknown-module");
          v = unknownName(`${s.module}.${a.name}`);
        }
      }
      if (v === undefined) {
        throw Object.assign(
          new PyException("ImportError", `Cannot import '${a.name}' from '${".".repeat(s.level)}${s.module}'`, undefined, "import"),
          { span: a.span },
        );
      }
      this.setName(a.asname ?? a.name, v);
    }
  }

  /**
   * What `from mod import *` binds, as CPython does: the names of `__all__` when the module defines
   * it (each read as an attribute, so a module `__getattr__` can answer), else every name not
   * starting with an underscore. A stub module that answers some public names only through its
   * `__getattr__` (keras.optimizers' Adam) lists them in the registry instead.
   */
  private starImported(mod: PyModule): [string, Value][] {
    const all = mod.dict.get("__all__");
    const lazy = stubStarExports(mod.name);
    const names =
      all?.kind === "list" || all?.kind === "tuple"
        ? all.items.map((n) => (n.kind === "str" ? n.v : this.raise("TypeError", `Item in ${mod.name}.__all__ must be str, not ${typeOf(n).name}`)))
        : [...[...mod.dict.keys()].filter((k) => !k.startsWith("_")), ...(lazy ?? []).filter((k) => !mod.dict.has(k))];
    return names.map((n) => [n, this.getAttr(mod, n)]);
  }

  deleteTarget(t: A.Expr): void {
    if (t.kind === "Name") {
      this.scope.target(t.id).vars.delete(t.id);
    } else if (t.kind === "Subscript") {
      const o = this.eval(t.value);
      const k = this.eval(t.index);
      if (o.kind === "dict") o.map.delete(hashKey(k));
      else if (o.kind === "list" && k.kind === "int") o.items.splice(normIndex(k.v, o.items.length), 1);
      else if (o.kind === "instance") {
        const d = this.lookupClass(o.cls, "__delitem__");
        if (d) this.call(d, [o, k]);
      }
    } else if (t.kind === "Attribute") {
      const o = this.eval(t.value);
      if (o.kind === "instance") settledDict(o).delete(t.attr);
    } else if (t.kind === "Tuple" || t.kind === "List") {
      for (const e of t.elts) this.deleteTarget(e);
    }
  }

  assign(t: A.Expr, v: Value): void {
    compiledTarget(t)(this, v);
  }

  setItem(o: Value, k: Value, v: Value): void {
    switch (o.kind) {
      case "list": {
        if (k.kind === "slice") {
          const [start, stop] = sliceBounds(k, o.items.length);
          o.items.splice(start, Math.max(0, stop - start), ...this.iterate(v));
          return;
        }
        const i = normIndex(this.indexInt(k), o.items.length);
        if (i < 0 || i >= o.items.length) throw new PyException("IndexError", "list assignment index out of range");
        o.items[i] = v;
        return;
      }
      case "dict":
        o.map.set(hashKey(k), { key: k, value: v });
        return;
      case "instance": {
        const si = this.lookupClass(o.cls, "__setitem__");
        if (si) {
          this.call(si, [o, k, v]);
          return;
        }
        break;
      }
      case "tensor":
        if (tensorProtocol(o.framework)?.setItem?.(this, o, k, v)) return;
        break;
      case "unknown":
        return;
    }
    throw new PyException("TypeError", `'${typeOf(o).name}' object does not support item assignment`);
  }

  applyDecorators(decorators: A.Expr[], target: Value): Value {
    let v = target;
    for (let i = decorators.length - 1; i >= 0; i--) {
      const d = this.eval(decorators[i]);
      if (d.kind === "unknown") continue; // unknown decorators are ignored: keep the function as written
      const out = this.call(d, [v]);
      if (out.kind !== "unknown" && out.kind !== "none") v = out;
    }
    return v;
  }

  makeClass(s: A.ClassDef): PyClass {
    const bases: PyClass[] = [];
    for (const a of s.bases) {
      if (a.kind !== "pos") continue;
      const b = this.eval(a.value);
      if (b.kind === "class") bases.push(b);
      else if (b.kind === "unknown") {
        this.report("warning", `The base class '${exprText(this.frame.info, a.value)}' of '${s.name}' is unknown; '${s.name}' is analysed without it.`, this.frame.info, a.value.from, a.value.to, "unknown-base");
      }
    }
    if (bases.length === 0) bases.push(OBJECT_CLASS);
    const cls: PyClass = {
      kind: "class",
      name: s.name,
      qualname: this.classBeingDefined ? `${this.classBeingDefined}.${s.name}` : s.name,
      moduleName: this.frame.info.mod.name,
      bases,
      mro: [],
      dict: new Map(),
    };
    cls.mro = computeMro(cls);
    const outerScope = this.scope;
    const classScope = new Scope(outerScope, outerScope.module ?? outerScope, true, cls.dict);
    const savedCls = this.classBeingDefined;
    this.classBeingDefined = cls.qualname;
    this.scope = classScope;
    try {
      this.execBlock(s.body);
    } finally {
      this.scope = outerScope;
      this.classBeingDefined = savedCls;
    }
    for (const v of cls.dict.values()) {
      const f = v.kind === "function" ? v : v.kind === "property" && v.fget.kind === "function" ? v.fget : (v.kind === "classmethod" || v.kind === "staticmethod") && v.fn.kind === "function" ? v.fn : undefined;
      if (f) f.definingClass = cls;
      if (v.kind === "property" && v.fset?.kind === "function") v.fset.definingClass = cls;
    }
    // A base's __init_subclass__ sees the new class (implicitly a classmethod), with the class
    // statement's keywords: enum.Enum turns attributes into members this way, timm's registries too.
    const hook = this.lookupClass({ ...cls, mro: cls.mro.slice(1) }, "__init_subclass__");
    if (hook) {
      const kwargs = new Map<string, Value>();
      for (const a of s.bases) if (a.kind === "kw" && a.name !== "metaclass") kwargs.set(a.name, this.eval(a.value));
      const fn = hook.kind === "classmethod" ? hook.fn : hook;
      this.call(fn, [cls], kwargs);
    }
    return cls;
  }
}
