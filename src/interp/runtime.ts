// The interpreter's runtime: state, modules and imports, diagnostics, the services stubs get
// (NativeContext), attribute lookup and calls. Expression evaluation (expressions.ts) and statement
// execution (interpreter.ts) build on it.

import type * as A from "../python/ast";
import { parsePython } from "../python/parse";
import { parseIncremental } from "../python/incremental";
import { SourceText, sourceTextOf } from "../python/source";
import type { Diagnostic, Severity, SourceSite, StackFrame } from "../ir/types";
import { Scope } from "./scope";
import {
  type GraphSink,
  type Kwargs,
  type NativeContext,
  type PyClass,
  type PyFunction,
  type PyInstance,
  type PyModule,
  type Value,
  NONE,
  OBJECT_CLASS,
  PyException,
  dict,
  int,
  str,
  tuple,
  unknown,
  directSetattrOf,
} from "./values";
import { reprPrimitive, strPrimitive } from "./ops";
import { typeOf, BASE_EXCEPTION } from "./types";
import { tensorProtocol } from "./tensor-protocol";
import { primitiveAttr } from "./primitive-methods";
import { makeBuiltins, constructBuiltin } from "./builtins";
import { stdlibModule } from "./stdlib";
import { stubModule } from "../frameworks/registry";
import { defaultCode, sentence } from "./messages";
import { rangeLength } from "./sequences";

/** Thrown when the step budget runs out; user code cannot catch it. */
export class BudgetExceeded extends Error {}

export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;
export type Completion = 0 | 1 | 2 | 3;

export interface ModuleInfo {
  mod: PyModule;
  file: string;
  src: SourceText;
  scope: Scope;
  ast?: A.Module;
}

export interface Frame {
  info: ModuleInfo;
  fn?: PyFunction;
  /** The first argument (self / cls) for zero-argument super(). */
  firstArg?: Value;
  tryDepth: number;
  returnValue: Value;
  yields?: Value[];
  handling?: PyException;
}

export interface StackEntry {
  kind: "call" | "loop";
  label: string;
  info: ModuleInfo;
  from: number;
  to: number;
  iteration?: number;
  /** The frame as the IR shows it, built once per entry (and per loop iteration). */
  frame?: StackFrame;
}

export interface ModuleSource {
  file: string;
  text: string;
}

export interface InterpreterOptions {
  /** Statements + loop iterations + calls allowed per top-level statement (and per entry evaluation). */
  stepBudget?: number;
  maxDepth?: number;
  /** Finds another workspace file for `import x` / `from .x import y`; undefined when there is none. */
  resolveModule?: (fromFile: string, dotted: string, level: number) => ModuleSource | undefined;
  graph: GraphSink;
}

/** Marks exceptions raised by user `raise`/`assert`: they propagate like Python's. */
export const userRaised = new WeakSet<PyException>();

export const EMPTY_KWARGS: Kwargs = new Map();

export abstract class InterpreterCore implements NativeContext {
  readonly diagnostics: Diagnostic[] = [];
  protected readonly diagKeys = new Set<string>();
  readonly state = new Map<string, unknown>();
  graph: GraphSink;
  protected readonly builtins: Map<string, Value>;
  protected readonly modules = new Map<string, ModuleInfo | "loading">();
  protected frame!: Frame;
  protected readonly stack: StackEntry[] = [];
  protected callFrom = 0;
  protected callTo = 0;
  protected steps = 0;
  protected depth = 0;
  protected uid = 1;
  readonly stepBudget: number;
  protected readonly maxDepth: number;

  constructor(private readonly options: InterpreterOptions) {
    this.graph = options.graph;
    this.stepBudget = options.stepBudget ?? 2_000_000;
    this.maxDepth = options.maxDepth ?? 120;
    this.builtins = makeBuiltins(this);
  }

  // ---------------------------------------------------------------- modules

  /** Runs a file as the main module (`__name__` is not "__main__"). */
  runFile(file: string, text: string, moduleName = "__resgraph_main__"): ModuleInfo {
    const ast = parseIncremental(file, text);
    const mod: PyModule = { kind: "module", name: moduleName, dict: new Map(), file };
    const info: ModuleInfo = { mod, file, src: sourceTextOf(text), scope: new Scope(null, null, false, mod.dict), ast };
    mod.dict.set("__name__", str(moduleName));
    mod.dict.set("__file__", str(file));
    for (const p of ast.problems) this.report("error", p.message, info, p.from, p.to, "syntax");
    this.modules.set(file, info);
    this.execModule(info, ast.body);
    return info;
  }

  protected execModule(info: ModuleInfo, body: A.Stmt[]): void {
    const saved = this.frame;
    const savedScope = this.scope;
    this.frame = { info, tryDepth: 0, returnValue: NONE };
    this.scope = info.scope;
    try {
      for (const s of body) {
        this.steps = 0;
        this.execTopLevel(s);
      }
    } finally {
      this.frame = saved;
      this.scope = savedScope;
    }
  }

  protected execTopLevel(s: A.Stmt): void {
    try {
      this.exec(s);
    } catch (e) {
      this.reportFailure(e, s);
    }
  }

  /** Evaluates an expression (e.g. `resnet50()`) in a module's namespace with a fresh budget. */
  evalIn(info: ModuleInfo, exprText: string, label = "<entry>"): Value {
    const ast = parsePython(exprText);
    const stmt = ast.body[0];
    if (ast.problems.length || !stmt || stmt.kind !== "ExprStmt" || ast.body.length !== 1) {
      throw new PyException("SyntaxError", `The entry '${exprText}' is not a single Python expression.`, undefined, "bad-entry");
    }
    const entryInfo: ModuleInfo = { ...info, file: label, src: new SourceText(exprText) };
    const saved = this.frame;
    const savedScope = this.scope;
    this.frame = { info: entryInfo, tryDepth: 1, returnValue: NONE };
    this.scope = info.scope;
    this.steps = 0;
    try {
      return this.eval(stmt.value);
    } finally {
      this.frame = saved;
      this.scope = savedScope;
    }
  }

  /** Calls a callable with a fresh step budget; failures become diagnostics and `undefined`. */
  guardedCall(fn: Value, args: Value[], kwargs: Kwargs = new Map(), where?: ModuleInfo): Value | undefined {
    this.steps = 0;
    const saved = this.frame;
    if (where) this.frame = { info: where, tryDepth: 0, returnValue: NONE };
    try {
      return this.call(fn, args, kwargs);
    } catch (e) {
      this.reportFailure(e);
      return undefined;
    } finally {
      this.frame = saved;
    }
  }

  protected importModule(dotted: string, level: number): PyModule {
    if (level === 0) {
      const stub = stubModule(dotted) ?? stdlibModule(dotted, this);
      if (stub) return stub;
    }
    const from = this.frame.info.file;
    const src = this.options.resolveModule?.(from, dotted, level);
    if (src) {
      const cached = this.modules.get(src.file);
      if (cached === "loading") {
        // Circular import: hand back the partially initialised module, as Python does.
        const partial = this.partialModules.get(src.file);
        if (partial) return partial;
      } else if (cached) return cached.mod;
      return this.loadModuleFile(src, dotted);
    }
    if (level > 0 && dotted === "") {
      // A package folder without __init__.py (a namespace package).
      return { kind: "module", name: "", dict: new Map(), file: undefined };
    }
    if (level > 0) {
      throw new PyException("ImportError", `Cannot find the module '${".".repeat(level)}${dotted}' next to '${from}'.`, undefined, "import");
    }
    return this.unknownModule(dotted);
  }

  protected readonly partialModules = new Map<string, PyModule>();

  protected loadModuleFile(src: ModuleSource, dotted: string): PyModule {
    const ast = parseIncremental(src.file, src.text);
    const mod: PyModule = { kind: "module", name: dotted, dict: new Map(), file: src.file };
    mod.dict.set("__name__", str(dotted));
    const info: ModuleInfo = { mod, file: src.file, src: sourceTextOf(src.text), scope: new Scope(null, null, false, mod.dict), ast };
    this.modules.set(src.file, "loading");
    this.partialModules.set(src.file, mod);
    for (const p of ast.problems) this.report("error", p.message, info, p.from, p.to, "syntax");
    const savedSteps = this.steps;
    this.execModule(info, ast.body);
    this.steps = savedSteps;
    this.modules.set(src.file, info);
    return mod;
  }

  protected readonly unknownModules = new Map<string, PyModule>();

  protected unknownModule(dotted: string): PyModule {
    let m = this.unknownModules.get(dotted);
    if (m) return m;
    const root = dotted.split(".")[0];
    if (!this.unknownModules.has(root)) {
      this.reportHere("info", `Module '${root}' is not modelled by the analyzer; values taken from it are unknown.`, "unknown-module");
    }
    m = { kind: "module", name: dotted, dict: new Map() };
    const mm = m;
    m.dict.set("__getattr__", {
      kind: "builtin",
      name: "__getattr__",
      fn: (args) => {
        const name = args[0]?.kind === "str" ? args[0].v : "?";
        const v = unknown(`${dotted}.${name}`);
        mm.dict.set(name, v);
        return v;
      },
    });
    this.unknownModules.set(dotted, m);
    return m;
  }

  // ---------------------------------------------------------------- diagnostics

  protected report(severity: Severity, message: string, info: ModuleInfo, from: number, to: number, code: string): void {
    const range = info.src.range(from, to);
    const key = `${info.file}:${range.start.line}:${range.start.character}:${message}`;
    if (this.diagKeys.has(key)) return;
    this.diagKeys.add(key);
    this.diagnostics.push({ severity, message, file: info.file, range, code });
  }

  /** Forgets diagnostics reported after the first `length` (a trial run that is being discarded). */
  rollbackDiagnostics(length: number): void {
    for (const d of this.diagnostics.splice(length)) {
      this.diagKeys.delete(`${d.file}:${d.range.start.line}:${d.range.start.character}:${d.message}`);
    }
  }

  protected reportHere(severity: Severity, message: string, code: string): void {
    this.report(severity, message, this.frame.info, this.callFrom, this.callTo, code);
  }

  protected lineOf(from: number): number {
    return this.frame.info.src.position(from).line + 1;
  }

  /** Turns anything thrown while running a statement into a diagnostic at the right place. */
  protected reportFailure(e: unknown, s?: A.Span): void {
    const info = this.frame.info;
    const loc = (e as { span?: A.Span; info?: ModuleInfo }).span;
    const where = (e as { info?: ModuleInfo }).info ?? info;
    const from = loc?.from ?? s?.from ?? this.callFrom;
    const to = loc?.to ?? s?.to ?? this.callTo;
    if (e instanceof BudgetExceeded) {
      this.report("error", e.message, where, from, to, "budget");
    } else if (e instanceof PyException) {
      const line = where.src.position(from).line + 1;
      const msg = userRaised.has(e)
        ? `${e.pyType} raised at line ${line}: ${e.message}`
        : `${e.message}${/\(line \d+\)\.?$/.test(e.message) ? "" : ` (line ${line})`}`;
      const severity: Severity = e.code === "shape-mismatch" || userRaised.has(e) ? "error" : "warning";
      this.report(severity, sentence(msg) + (userRaised.has(e) ? "" : " The statement was skipped."), where, from, to, e.code);
    } else if (e instanceof RangeError) {
      this.report("error", `The code recursed too deeply to analyse (line ${where.src.position(from).line + 1}); the statement was skipped.`, where, from, to, "recursion");
    } else {
      const m = e instanceof Error ? e.message : String(e);
      this.report("error", `Internal analyzer error while running line ${where.src.position(from).line + 1}: ${m}`, where, from, to, "internal");
    }
  }

  // ---------------------------------------------------------------- NativeContext

  newInstance(cls: PyClass): PyInstance {
    return { kind: "instance", cls, dict: new Map(), uid: this.uid++ };
  }

  raise(pyType: string, message: string, code?: string): never {
    throw new PyException(pyType, message, undefined, code ?? defaultCode(pyType));
  }

  warn(message: string, code = "warning"): void {
    this.reportHere("warning", message, code);
  }

  reportError(message: string, code: string): void {
    // Stub messages name the layer and both shapes; the line makes them readable outside the editor too.
    const line = this.lineOf(this.callFrom);
    const located = /\(line \d+\)\.?$/.test(message) ? message : `${message.replace(/\.$/, "")} (line ${line}).`;
    this.reportHere("error", located, code);
  }

  site(): SourceSite {
    const info = this.frame.info;
    const stack: StackFrame[] = new Array(this.stack.length);
    for (let i = 0; i < this.stack.length; i++) {
      const e = this.stack[i];
      let f = e.frame;
      if (!f || f.iteration !== e.iteration) {
        f = { kind: e.kind, label: e.label, file: e.info.file, range: e.info.src.range(e.from, e.to) };
        if (e.iteration !== undefined) f.iteration = e.iteration;
        e.frame = f;
      }
      stack[i] = f;
    }
    return { file: info.file, range: info.src.range(this.callFrom, this.callTo), stack };
  }

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
        throw new PyException("ValueError", `A condition depends on a value the analyzer cannot know (${v.why})`, undefined, "unknown-value");
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
      if (r && r.kind === "function") {
        const out = this.call(r, [v]);
        if (out.kind === "str") return out.v;
      }
    }
    return reprPrimitive(v);
  }

  toStr(v: Value): string {
    if (v.kind === "instance") {
      const s = this.lookupClass(v.cls, "__str__") ?? this.lookupClass(v.cls, "__repr__");
      if (s && s.kind === "function") {
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
      case "unknown":
        throw new PyException("ValueError", `Cannot iterate over a value the analyzer cannot know (${v.why})`, undefined, "unknown-value");
    }
    throw new PyException("TypeError", `'${typeOf(v).name}' object is not iterable`);
  }

  // ---------------------------------------------------------------- attributes

  lookupClass(cls: PyClass, name: string): Value | undefined {
    const mro = cls.mro;
    for (let i = 0; i < mro.length; i++) {
      const v = mro[i].dict.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
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
        if (name === "__dict__") return dict([...obj.dict].map(([k, v]) => [str(k), v] as [Value, Value]));
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
        const sub = stubModule(`${obj.name}.${name}`);
        if (sub) return sub;
        const ga = obj.dict.get("__getattr__");
        if (ga) return this.call(ga, [str(name)]);
        if (name === "__name__") return str(obj.name);
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
        if (name === "__name__") return str(obj.name);
        if (name === "__qualname__") return str(obj.qualname);
        if (name === "__doc__") return NONE;
        return obj.dict?.get(name);
      }
      case "builtin":
        if (name === "__name__") return str(obj.name);
        return undefined;
      case "method":
        if (name === "__self__") return obj.self;
        if (name === "__func__") return obj.fn;
        return this.getAttrOrUndefined(obj.fn, name);
      case "unknown":
        return unknown(`${obj.why}.${name}`);
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
        return unknown(`the result of calling ${fn.why}`);
      default:
        throw new PyException("TypeError", `'${typeOf(fn).name}' object is not callable`);
    }
  }

  protected instantiate(cls: PyClass, args: Value[], kwargs: Kwargs): Value {
    const builtinCtor = constructBuiltin(this, cls, args, kwargs);
    if (builtinCtor !== undefined) return builtinCtor;
    const newFn = this.lookupClass(cls, "__new__");
    let self: Value;
    if (newFn && newFn.kind === "builtin") {
      self = this.call(newFn, [cls, ...args], kwargs);
      if (self.kind !== "instance") return self;
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

  protected budgetExceeded(): never {
    throw new BudgetExceeded(
      `Analysis stopped after ${this.stepBudget.toLocaleString("en-US")} steps (line ${this.lineOf(this.currentStmtFrom)}): the code may loop forever or is too large to analyse.`,
    );
  }

  // ---------------------------------------------------------------- statements

  protected scope!: Scope;
  protected currentStmtFrom = 0;

  protected userError(e: PyException): PyException {
    userRaised.add(e);
    return e;
  }

  protected classBeingDefined: string | undefined;

  /** Sets the call-site span used by `site()` (for hosts that call into stubs directly). */
  atSpan(from: number, to: number): void {
    this.callFrom = from;
    this.callTo = to;
  }

  get mainInfo(): ModuleInfo | undefined {
    return this.frame?.info;
  }

  /** Makes `info` the current module so that `site()` and diagnostics point into it. */
  enter(info: ModuleInfo): void {
    this.steps = 0;
    this.frame = { info, tryDepth: 0, returnValue: NONE };
    this.scope = info.scope;
  }

  // ---- implemented by the expression and statement layers
  abstract eval(e: A.Expr): Value;
  abstract exec(s: A.Stmt): Completion;
  protected abstract execBlock(body: A.Stmt[]): Completion;
  abstract assign(t: A.Expr, v: Value): void;
  abstract binary(op: A.BinOperator, l: Value, r: Value, inplace: boolean): Value;
  abstract getItem(o: Value, k: Value): Value;
  abstract isInstance(v: Value, cls: Value): boolean;
}
