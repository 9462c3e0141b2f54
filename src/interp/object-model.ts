// The Python object model on top of the runtime: truthiness, repr/str, iteration, attribute lookup
// (instances, classes, modules, super, tensors) and calls (functions, builtins, bound methods, classes).
// Together with the runtime it is the NativeContext that framework stubs use.

import { Scope } from "./scope";
import {
  type Kwargs,
  type NativeContext,
  type PyClass,
  type PyFunction,
  type PyModule,
  type Value,
  NONE,
  OBJECT_CLASS,
  OBJECT_NEW,
  PyException,
  dict,
  int,
  str,
  tuple,
  unknownName,
  directSetattrOf,
  lookupClassAttr,
  settledDict,
  unknownCode,
  derivedUnknown,
} from "./values";
import { methodCallHooks } from "./method-hooks";
import { reprPrimitive, strPrimitive } from "./ops";
import { typeOf, BASE_EXCEPTION } from "./types";
import { tensorProtocol } from "./tensor-protocol";
import { callUnknown } from "./unknown-calls";
import { primitiveAttr } from "./primitive-methods";
import { constructBuiltin } from "./builtins";
import { stubModule } from "../frameworks/registry";
import { isBundledFile } from "../ir/user-site";
import { rangeLength } from "./sequences";
import { EMPTY_KWARGS, InterpreterCore, type Frame, type ModuleInfo } from "./runtime";

/** What a class's `__new__` can be and still be called: a def, a native one, a named tuple's (an object with __call__). */
const NEW_KINDS = new Set<Value["kind"]>(["function", "builtin", "staticmethod", "instance"]);

export abstract class ObjectModel extends InterpreterCore implements NativeContext {
  truthy(v: Value): boolean {
    switch (v.kind) {
      case "none": return false;
      case "bool": return v.v;
      case "int":
      case "float": return v.v !== 0;
      case "str": return v.v.length > 0;
      case "tuple":
      case "list": return v.items.length > 0;
      case "dict":
      case "set": return v.map.size > 0;
      case "range": return rangeLength(v) > 0;
      case "unknown":
        throw new PyException("ValueError", `A condition depends on a value the analyzer cannot know (${v.why})`, undefined, unknownCode(v));
      case "instance": {
        const b = this.lookupClass(v.cls, "__bool__");
        if (b && b !== OBJECT_CLASS.dict.get("__bool__")) return this.truthy(this.call(b, [v]));
        const l = this.lookupClass(v.cls, "__len__");
        if (l) return this.truthy(this.call(l, [v]));
        return true;
      }
      default: return true;
    }
  }

  repr(v: Value): string {
    if (v.kind === "instance") {
      const r = this.lookupClass(v.cls, "__repr__");
      if (r && (r.kind === "function" || r.kind === "builtin")) {
        const out = this.call(r, [v]);
        if (out.kind === "str") return out.v;
      }
    }
    return reprPrimitive(v);
  }

  toStr(v: Value): string {
    if (v.kind === "instance") {
      const s = this.lookupClass(v.cls, "__str__") ?? this.lookupClass(v.cls, "__repr__");
      if (s && (s.kind === "function" || s.kind === "builtin")) {
        const out = this.call(s, [v]);
        if (out.kind === "str") return out.v;
      }
      if (v.native?.exception) return (v.dict.get("args") as { items?: Value[] })?.items?.map((x) => this.toStr(x)).join(", ") ?? "";
    }
    return strPrimitive(v);
  }

  iterate(v: Value): Value[] {
    switch (v.kind) {
      case "list":
      case "tuple": return v.items.slice();
      case "range": {
        const n = rangeLength(v);
        if (n > 1_000_000) throw new PyException("MemoryError", `range of ${n} items is too large to analyse`, undefined, "budget");
        const out: Value[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = int(v.start + i * v.step);
        return out;
      }
      case "dict": return [...v.map.values()].map((e) => e.key);
      case "set": return [...v.map.values()];
      case "str": return [...v.v].map((c) => str(c));
      case "iterator": {
        const out = v.items.slice(v.index);
        v.index = v.items.length;
        return out;
      }
      case "instance": {
        const it = this.lookupClass(v.cls, "__iter__");
        if (it) return this.iterate(this.call(it, [v]));
        const gi = this.lookupClass(v.cls, "__getitem__");
        const ln = this.lookupClass(v.cls, "__len__");
        if (gi && ln) {
          const n = this.call(ln, [v]);
          const out: Value[] = [];
          if (n.kind === "int") for (let i = 0; i < n.v; i++) out.push(this.call(gi, [v, int(i)]));
          return out;
        }
        break;
      }
      case "tensor": {
        const items = tensorProtocol(v.framework)?.iterate?.(this, v);
        if (items) return items;
        throw new PyException("ValueError", "Cannot iterate over a tensor whose first dimension is not known statically", undefined, "unknown-value");
      }
      case "unknown":
        throw new PyException("ValueError", `Cannot iterate over a value the analyzer cannot know (${v.why})`, undefined, unknownCode(v));
    }
    throw new PyException("TypeError", `'${typeOf(v).name}' object is not iterable`);
  }

  // ---------------------------------------------------------------- attributes

  lookupClass(cls: PyClass, name: string): Value | undefined {
    return lookupClassAttr(cls, name);
  }

  // CPython's LOAD_METHOD: calling it with the object first equals calling getAttr's bound method,
  // without allocating one. Method calls are most of what model code does.
  methodOf(obj: Value, name: string): Value | undefined {
    if (obj.kind !== "instance" || obj.dict.has(name)) return undefined;
    const m = lookupClassAttr(obj.cls, name);
    return m !== undefined && (m.kind === "function" || m.kind === "builtin") ? m : undefined;
  }

  protected bindClassAttr(v: Value, self: Value, cls: PyClass): Value {
    switch (v.kind) {
      case "function":
      case "builtin": return { kind: "method", self, fn: v };
      case "staticmethod": return v.fn;
      case "classmethod": return { kind: "method", self: cls, fn: v.fn };
      case "property": return this.call(v.fget, [self]);
      default: return v;
    }
  }

  getAttrOrUndefined(obj: Value, name: string): Value | undefined {
    switch (obj.kind) {
      case "instance": {
        const own = obj.dict.get(name);
        if (own !== undefined) {
          // A property defined on the class takes precedence over the instance dict.
          return own;
        }
        const c = this.lookupClass(obj.cls, name);
        if (c !== undefined) return this.bindClassAttr(c, obj, obj.cls);
        if (name === "__class__") return obj.cls;
        if (name === "__module__") return str(obj.cls.moduleName);
        if (name === "__dict__") return dict([...settledDict(obj)].map(([k, v]) => [str(k), v] as [Value, Value]));
        const ga = this.lookupClass(obj.cls, "__getattr__");
        if (ga) {
          try {
            return this.call(ga, [obj, str(name)]);
          } catch (e) {
            if (e instanceof PyException && e.pyType === "AttributeError") return undefined;
            throw e;
          }
        }
        return undefined;
      }
      case "class": {
        const c = this.lookupClass(obj, name);
        if (c !== undefined) {
          if (c.kind === "classmethod") return { kind: "method", self: obj, fn: c.fn };
          if (c.kind === "staticmethod") return c.fn;
          return c;
        }
        if (name === "__name__") return str(obj.name);
        if (name === "__qualname__") return str(obj.qualname);
        if (name === "__module__") return str(obj.moduleName);
        if (name === "__mro__") return tuple(obj.mro);
        if (name === "__bases__") return tuple(obj.bases);
        if (name === "__dict__") return dict([...obj.dict].map(([k, v]) => [str(k), v] as [Value, Value]));
        return undefined;
      }
      case "module": {
        const v = obj.dict.get(name);
        if (v !== undefined) return v;
        // A submodule of a stub or bundled package; a workspace package keeps Python's own rules.
        const sub = stubModule(`${obj.name}.${name}`) ?? (!obj.file || isBundledFile(obj.file) ? this.bundledModule(`${obj.name}.${name}`) : undefined);
        if (sub) return sub;
        const ga = obj.dict.get("__getattr__");
        if (ga) return this.call(ga, [str(name)]);
        if (name === "__name__") return str(obj.name);
        if (name === "__dict__") return dict([...obj.dict].filter(([k]) => k !== "__getattr__").map(([k, v]) => [str(k), v] as [Value, Value]));
        return undefined;
      }
      case "super": {
        const self = obj.self;
        const mroOwner = self.kind === "class" ? self : self.kind === "instance" ? self.cls : undefined;
        if (!mroOwner) return undefined;
        const mro = mroOwner.mro;
        let i = mro.indexOf(obj.thisClass);
        for (i = i + 1; i < mro.length; i++) {
          const v = mro[i].dict.get(name);
          if (v !== undefined) {
            if (self.kind === "class") {
              if (v.kind === "classmethod") return { kind: "method", self, fn: v.fn };
              if (v.kind === "staticmethod") return v.fn;
              if (v.kind === "function" || v.kind === "builtin") return v;
              return v;
            }
            return this.bindClassAttr(v, self, mroOwner);
          }
        }
        if (name === "__init__") return { kind: "builtin", name: "__init__", fn: () => NONE };
        return undefined;
      }
      case "tensor": {
        const p = tensorProtocol(obj.framework);
        return p?.attr(this, obj, name);
      }
      case "function": {
        // Set attributes first: functools.wraps gives a wrapper its wrapped function's __name__.
        const own = obj.dict?.get(name);
        if (own !== undefined) return own;
        if (name === "__name__") return str(obj.name);
        if (name === "__qualname__") return str(obj.qualname);
        if (name === "__module__") return str(obj.module.name);
        if (name === "__doc__") return docstringOf(obj);
        if (name === "__class__") return typeOf(obj);
        return undefined;
      }
      case "builtin":
        if (name === "__name__") return str(obj.name);
        if (name === "__doc__") return NONE;
        if (name === "__class__") return typeOf(obj);
        return undefined;
      case "method":
        if (name === "__self__") return obj.self;
        if (name === "__func__") return obj.fn;
        return this.getAttrOrUndefined(obj.fn, name);
      case "unknown":
        return obj.dotted !== undefined ? unknownName(`${obj.dotted}.${name}`) : derivedUnknown(obj, `${obj.why}.${name}`);
      default:
        return primitiveAttr(this, obj, name);
    }
  }

  getAttr(obj: Value, name: string): Value {
    const v = this.getAttrOrUndefined(obj, name);
    if (v !== undefined) return v;
    const what = obj.kind === "module" ? `module '${obj.name}'` : obj.kind === "class" ? `type object '${obj.name}'` : `'${typeOf(obj).name}' object`;
    throw new PyException("AttributeError", `${what} has no attribute '${name}'`, undefined, "attribute");
  }

  setAttr(obj: Value, name: string, value: Value): void {
    switch (obj.kind) {
      case "instance": {
        const sa = this.lookupClass(obj.cls, "__setattr__");
        const direct = sa && directSetattrOf(sa);
        if (direct) {
          direct(this, obj, name, value);
          return;
        }
        if (sa) {
          this.call(sa, [obj, str(name), value]);
          return;
        }
        const prop = this.lookupClass(obj.cls, name);
        if (prop?.kind === "property") {
          if (!prop.fset) throw new PyException("AttributeError", `property '${name}' of '${obj.cls.name}' object has no setter`);
          this.call(prop.fset, [obj, value]);
          return;
        }
        obj.dict.set(name, value);
        return;
      }
      case "class":
        obj.dict.set(name, value);
        return;
      case "module":
        obj.dict.set(name, value);
        return;
      case "function":
        (obj.dict ??= new Map()).set(name, value);
        return;
      case "unknown":
        return;
      default:
        throw new PyException("AttributeError", `'${typeOf(obj).name}' object attribute '${name}' cannot be set`);
    }
  }

  // ---------------------------------------------------------------- calls

  call(fn: Value, args: Value[], kwargs: Kwargs = EMPTY_KWARGS): Value {
    switch (fn.kind) {
      case "function":
        return this.callFunction(fn, args, kwargs);
      case "builtin":
        return fn.fn(args, kwargs, this);
      case "method":
        if (methodCallHooks.length !== 0 && fn.fn.kind === "function") return this.callWatched(fn.fn, [fn.self, ...args], kwargs);
        return this.call(fn.fn, [fn.self, ...args], kwargs);
      case "class":
        return this.instantiate(fn, args, kwargs);
      case "instance": {
        const c = this.lookupClass(fn.cls, "__call__");
        if (!c) throw new PyException("TypeError", `'${fn.cls.name}' object is not callable`);
        return this.call(c, [fn, ...args], kwargs);
      }
      case "staticmethod":
        return this.call(fn.fn, args, kwargs);
      case "unknown":
        return callUnknown(this, fn, args, kwargs);
      default:
        throw new PyException("TypeError", `'${typeOf(fn).name}' object is not callable`);
    }
  }

  /** A Python method called on `args[0]`, seen by the registered hooks (see method-hooks.ts). */
  callWatched(fn: PyFunction, args: Value[], kwargs: Kwargs): Value {
    let undo: (() => void)[] | undefined;
    for (const hook of methodCallHooks) {
      const u = hook(this, args[0], fn);
      if (u) (undo ??= []).push(u);
    }
    if (!undo) return this.callFunction(fn, args, kwargs);
    try {
      return this.callFunction(fn, args, kwargs);
    } finally {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
    }
  }

  protected instantiate(cls: PyClass, args: Value[], kwargs: Kwargs): Value {
    const builtinCtor = constructBuiltin(this, cls, args, kwargs);
    if (builtinCtor !== undefined) return builtinCtor;
    const newFn = this.lookupClass(cls, "__new__");
    let self: Value;
    if (newFn && newFn !== OBJECT_NEW && NEW_KINDS.has(newFn.kind)) {
      // A class's own __new__ makes the object (a named tuple's items, a cached instance); as in Python,
      // __init__ runs only when it returns an instance of the class.
      self = this.call(newFn, [cls, ...args], kwargs);
      if (self.kind !== "instance" || !self.cls.mro.includes(cls)) return self;
    } else {
      self = this.newInstance(cls);
    }
    if (cls.mro.includes(BASE_EXCEPTION)) {
      self.native = { exception: true };
      self.dict.set("args", tuple(args));
    }
    const init = this.lookupClass(cls, "__init__");
    if (init) this.call(init, [self, ...args], kwargs);
    return self;
  }

  protected callFunction(fn: PyFunction, args: Value[], kwargs: Kwargs): Value {
    if (++this.steps > this.stepBudget) this.budgetExceeded();
    if (this.depth >= this.maxDepth) {
      throw new PyException("RecursionError", `maximum recursion depth (${this.maxDepth}) exceeded in '${fn.qualname}'`, undefined, "recursion");
    }
    const scope = new Scope(fn.scope as Scope, (fn.scope as Scope).module ?? (fn.scope as Scope), false);
    this.bindParams(fn, scope, args, kwargs);
    const info = this.moduleInfoOf(fn.module);
    const caller = this.frame;
    const frame: Frame = { info, fn, firstArg: args[0], tryDepth: 0, returnValue: NONE };
    if (fn.isGenerator) frame.yields = [];
    this.stack.push({ kind: "call", label: fn.name, info: caller.info, from: this.callFrom, to: this.callTo });
    this.frame = frame;
    this.depth++;
    const savedFrom = this.callFrom;
    const savedTo = this.callTo;
    const savedScope = this.scope;
    try {
      if (Array.isArray(fn.body)) {
        this.scope = scope;
        this.execBlock(fn.body);
        if (frame.yields) return { kind: "iterator", items: frame.yields, index: 0 };
        return frame.returnValue;
      }
      this.scope = scope;
      return this.eval(fn.body);
    } finally {
      this.depth--;
      this.frame = caller;
      this.scope = savedScope;
      this.stack.pop();
      this.callFrom = savedFrom;
      this.callTo = savedTo;
    }
  }

  protected moduleInfoOf(mod: PyModule): ModuleInfo {
    if (this.mainModule?.mod === mod) return this.mainModule;
    const m = mod.file ? this.modules.get(mod.file) : undefined;
    if (m && m !== "loading") return m;
    // A module still loading: its info is the current frame's or the partial one.
    if (this.frame.info.mod === mod) return this.frame.info;
    for (const v of this.modules.values()) if (v !== "loading" && v.mod === mod) return v;
    return this.frame.info;
  }

  protected bindParams(fn: PyFunction, scope: Scope, args: Value[], kwargs: Kwargs): void {
    const vars = scope.vars;
    let ai = 0;
    let varargName: string | undefined;
    let kwargName: string | undefined;
    const params = fn.params;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (p.kind === "vararg") {
        varargName = p.name;
        vars.set(p.name, tuple(args.slice(ai)));
        ai = args.length;
        continue;
      }
      if (p.kind === "kwarg") {
        kwargName = p.name;
        continue;
      }
      let v: Value | undefined;
      if (p.kind !== "kwonly" && ai < args.length) {
        v = args[ai++];
      } else if (p.kind !== "posonly" && kwargs.has(p.name)) {
        v = kwargs.get(p.name);
      } else {
        v = fn.defaults.get(p.name);
      }
      if (v === undefined) {
        throw new PyException("TypeError", `${fn.qualname}() is missing the required argument '${p.name}'`, undefined, "call");
      }
      vars.set(p.name, v);
    }
    if (ai < args.length && !varargName) {
      throw new PyException("TypeError", `${fn.qualname}() takes ${ai} positional arguments but ${args.length} were given`, undefined, "call");
    }
    if (kwargs.size) {
      let extra: Value | undefined;
      for (const [k, v] of kwargs) {
        const p = params.find((q) => q.name === k && q.kind !== "vararg" && q.kind !== "kwarg" && q.kind !== "posonly");
        if (p) continue;
        if (!kwargName) throw new PyException("TypeError", `${fn.qualname}() got an unexpected keyword argument '${k}'`, undefined, "call");
        extra ??= dict();
        (extra as { map: Map<string, { key: Value; value: Value }> }).map.set("s" + k, { key: str(k), value: v });
      }
      if (kwargName) vars.set(kwargName, extra ?? dict());
    } else if (kwargName) vars.set(kwargName, dict());
  }
}

/** A function's docstring: its body's first statement when that is a string literal (real files format them). */
function docstringOf(fn: PyFunction): Value {
  const first = Array.isArray(fn.body) ? fn.body[0] : undefined;
  return first?.kind === "ExprStmt" && first.value.kind === "Str" ? str(first.value.value) : NONE;
}
