// The abstract interpreter: runs a parsed Python module over stub framework modules.
// It never throws on user code: failures become located diagnostics, the failing statement is
// skipped, and a step budget and a call-depth limit end runaway code.

import type * as A from "../python/ast";
import { parsePython } from "../python/parse";
import { parseIncremental } from "../python/incremental";
import { SourceText } from "../python/source";
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
  bool,
  computeMro,
  dict,
  float,
  hashKey,
  int,
  list,
  str,
  tuple,
  unknown,
} from "./values";
import { binaryPrimitive, isNumber, pyCompare, pyEquals, reprPrimitive, strPrimitive, formatSpec } from "./ops";
import { exceptionClass, typeOf, BASE_EXCEPTION, TYPE_CLASS } from "./types";
import { tensorProtocol } from "./tensor-protocol";
import { primitiveAttr } from "./primitive-methods";
import { makeBuiltins, constructBuiltin } from "./builtins";
import { stdlibModule } from "./stdlib";
import { stubModule } from "../frameworks/registry";

/** Thrown when the step budget runs out; user code cannot catch it. */
export class BudgetExceeded extends Error {}

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;
type Completion = 0 | 1 | 2 | 3;

export interface ModuleInfo {
  mod: PyModule;
  file: string;
  src: SourceText;
  scope: Scope;
  ast?: A.Module;
}

interface Frame {
  info: ModuleInfo;
  fn?: PyFunction;
  /** The first argument (self / cls) for zero-argument super(). */
  firstArg?: Value;
  tryDepth: number;
  returnValue: Value;
  yields?: Value[];
  handling?: PyException;
}

interface StackEntry {
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
const userRaised = new WeakSet<PyException>();

export class Interpreter implements NativeContext {
  readonly diagnostics: Diagnostic[] = [];
  private readonly diagKeys = new Set<string>();
  readonly state = new Map<string, unknown>();
  graph: GraphSink;
  private readonly builtins: Map<string, Value>;
  private readonly modules = new Map<string, ModuleInfo | "loading">();
  private frame!: Frame;
  private readonly stack: StackEntry[] = [];
  private callFrom = 0;
  private callTo = 0;
  private steps = 0;
  private depth = 0;
  private uid = 1;
  readonly stepBudget: number;
  private readonly maxDepth: number;

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
    const info: ModuleInfo = { mod, file, src: new SourceText(text), scope: new Scope(null, null, false, mod.dict), ast };
    mod.dict.set("__name__", str(moduleName));
    mod.dict.set("__file__", str(file));
    for (const p of ast.problems) this.report("error", p.message, info, p.from, p.to, "syntax");
    this.modules.set(file, info);
    this.execModule(info, ast.body);
    return info;
  }

  private execModule(info: ModuleInfo, body: A.Stmt[]): void {
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

  private execTopLevel(s: A.Stmt): void {
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

  private importModule(dotted: string, level: number): PyModule {
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

  private readonly partialModules = new Map<string, PyModule>();

  private loadModuleFile(src: ModuleSource, dotted: string): PyModule {
    const ast = parseIncremental(src.file, src.text);
    const mod: PyModule = { kind: "module", name: dotted, dict: new Map(), file: src.file };
    mod.dict.set("__name__", str(dotted));
    const info: ModuleInfo = { mod, file: src.file, src: new SourceText(src.text), scope: new Scope(null, null, false, mod.dict), ast };
    this.modules.set(src.file, "loading");
    this.partialModules.set(src.file, mod);
    for (const p of ast.problems) this.report("error", p.message, info, p.from, p.to, "syntax");
    const savedSteps = this.steps;
    this.execModule(info, ast.body);
    this.steps = savedSteps;
    this.modules.set(src.file, info);
    return mod;
  }

  private readonly unknownModules = new Map<string, PyModule>();

  private unknownModule(dotted: string): PyModule {
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

  private report(severity: Severity, message: string, info: ModuleInfo, from: number, to: number, code: string): void {
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

  private reportHere(severity: Severity, message: string, code: string): void {
    this.report(severity, message, this.frame.info, this.callFrom, this.callTo, code);
  }

  private lineOf(from: number): number {
    return this.frame.info.src.position(from).line + 1;
  }

  /** Turns anything thrown while running a statement into a diagnostic at the right place. */
  private reportFailure(e: unknown, s?: A.Span): void {
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

  private bindClassAttr(v: Value, self: Value, cls: PyClass): Value {
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

  private instantiate(cls: PyClass, args: Value[], kwargs: Kwargs): Value {
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

  private callFunction(fn: PyFunction, args: Value[], kwargs: Kwargs): Value {
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

  private moduleInfoOf(mod: PyModule): ModuleInfo {
    const m = mod.file ? this.modules.get(mod.file) : undefined;
    if (m && m !== "loading") return m;
    // A module still loading: its info is the current frame's or the partial one.
    if (this.frame.info.mod === mod) return this.frame.info;
    for (const v of this.modules.values()) if (v !== "loading" && v.mod === mod) return v;
    return this.frame.info;
  }

  private bindParams(fn: PyFunction, scope: Scope, args: Value[], kwargs: Kwargs): void {
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

  private budgetExceeded(): never {
    throw new BudgetExceeded(
      `Analysis stopped after ${this.stepBudget.toLocaleString("en-US")} steps (line ${this.lineOf(this.currentStmtFrom)}): the code may loop forever or is too large to analyse.`,
    );
  }

  // ---------------------------------------------------------------- statements

  private scope!: Scope;
  private currentStmtFrom = 0;

  private execBlock(body: A.Stmt[]): Completion {
    for (let i = 0; i < body.length; i++) {
      const s = body[i];
      let c: Completion;
      if (this.frame.tryDepth > 0) c = this.exec(s);
      else {
        try {
          c = this.exec(s);
        } catch (e) {
          if (e instanceof PyException && !userRaised.has(e)) {
            this.reportFailure(e, s);
            continue;
          }
          throw e;
        }
      }
      if (c !== NORMAL) return c;
    }
    return NORMAL;
  }

  exec(s: A.Stmt): Completion {
    if (++this.steps > this.stepBudget) this.budgetExceeded();
    this.currentStmtFrom = s.from;
    const scope = this.scope;
    switch (s.kind) {
      case "ExprStmt":
        this.eval(s.value);
        return NORMAL;
      case "Assign": {
        const v = this.eval(s.value);
        for (const t of s.targets) this.assign(t, v);
        return NORMAL;
      }
      case "AugAssign": {
        const cur = this.eval(s.target);
        const rhs = this.eval(s.value);
        this.callFrom = s.from;
        this.callTo = s.to;
        const v = this.binary(s.op, cur, rhs, true);
        this.assign(s.target, v);
        return NORMAL;
      }
      case "AnnAssign":
        if (s.value) this.assign(s.target, this.eval(s.value));
        return NORMAL;
      case "FunctionDef": {
        let fn: Value = this.makeFunction(s.name, s.params, s.body, s.isGenerator, s.from, s.to);
        fn = this.applyDecorators(s.decorators, fn);
        this.setName(s.name, fn);
        return NORMAL;
      }
      case "ClassDef":
        this.setName(s.name, this.applyDecorators(s.decorators, this.makeClass(s)));
        return NORMAL;
      case "Return":
        this.frame.returnValue = s.value ? this.eval(s.value) : NONE;
        return RETURN;
      case "If": {
        if (this.truthy(this.eval(s.test))) return this.execBlock(s.body);
        return s.orelse.length ? this.execBlock(s.orelse) : NORMAL;
      }
      case "For":
        return this.execFor(s);
      case "While":
        return this.execWhile(s);
      case "Break":
        return BREAK;
      case "Continue":
        return CONTINUE;
      case "Pass":
        return NORMAL;
      case "Import":
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
        return NORMAL;
      case "ImportFrom":
        this.execImportFrom(s);
        return NORMAL;
      case "Raise": {
        if (!s.exc) {
          if (this.frame.handling) throw this.frame.handling;
          throw this.userError(new PyException("RuntimeError", "No active exception to re-raise"));
        }
        throw this.userError(this.toException(this.eval(s.exc)));
      }
      case "Assert": {
        const t = this.eval(s.test);
        if (t.kind === "unknown") return NORMAL;
        if (!this.truthy(t)) {
          const msg = s.msg ? this.toStr(this.eval(s.msg)) : "assertion failed";
          throw this.userError(new PyException("AssertionError", msg));
        }
        return NORMAL;
      }
      case "Try":
        return this.execTry(s);
      case "With":
        return this.execWith(s);
      case "Global":
        for (const n of s.names) (scope.globals ??= new Set()).add(n);
        return NORMAL;
      case "Nonlocal":
        for (const n of s.names) (scope.nonlocals ??= new Set()).add(n);
        return NORMAL;
      case "Delete":
        for (const t of s.targets) this.deleteTarget(t);
        return NORMAL;
    }
  }

  private userError(e: PyException): PyException {
    userRaised.add(e);
    return e;
  }

  private toException(v: Value): PyException {
    let inst = v;
    if (v.kind === "class") inst = this.instantiate(v, [], EMPTY_KWARGS);
    if (inst.kind === "instance") {
      const args = inst.dict.get("args");
      const msg = args && args.kind === "tuple" && args.items.length ? this.toStr(args.items[0]) : "";
      return new PyException(inst.cls.name, msg, inst, "raised");
    }
    return new PyException("TypeError", "exceptions must derive from BaseException");
  }

  private setName(name: string, v: Value): void {
    const scope = this.scope;
    if (scope.globals || scope.nonlocals) scope.target(name).vars.set(name, v);
    else scope.vars.set(name, v);
  }

  private execFor(s: A.For): Completion {
    const iterV = this.eval(s.iter);
    const entry: StackEntry = { kind: "loop", label: "for", info: this.frame.info, from: s.from, to: s.body.length ? s.body[0].from : s.to, iteration: 0 };
    this.stack.push(entry);
    try {
      let broke = false;
      const body = (v: Value, i: number): boolean => {
        if (++this.steps > this.stepBudget) this.budgetExceeded();
        entry.iteration = i;
        this.assign(s.target, v);
        const c = this.execBlock(s.body);
        if (c === BREAK) {
          broke = true;
          return false;
        }
        if (c === RETURN) {
          this.pendingReturn = true;
          return false;
        }
        return true;
      };
      this.pendingReturn = false;
      if (iterV.kind === "range") {
        const n = rangeLength(iterV);
        for (let i = 0; i < n; i++) if (!body(int(iterV.start + i * iterV.step), i)) break;
      } else {
        const items = this.iterate(iterV);
        for (let i = 0; i < items.length; i++) if (!body(items[i], i)) break;
      }
      if (this.pendingReturn) {
        this.pendingReturn = false;
        return RETURN;
      }
      if (!broke && s.orelse.length) return this.execBlock(s.orelse);
      return NORMAL;
    } finally {
      this.stack.pop();
    }
  }

  private pendingReturn = false;

  private execWhile(s: A.While): Completion {
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

  private execTry(s: A.Try): Completion {
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

  private exceptionValue(e: PyException): Value {
    const inst = this.newInstance(exceptionClass(e.pyType));
    inst.native = { exception: true };
    inst.dict.set("args", tuple([str(e.message)]));
    return inst;
  }

  private exceptionMatches(e: PyException, t: Value): boolean {
    if (t.kind === "tuple") return t.items.some((x) => this.exceptionMatches(e, x));
    if (t.kind !== "class") return t.kind === "unknown";
    const cls = e.value?.kind === "instance" ? e.value.cls : exceptionClass(e.pyType);
    if (e.value?.kind !== "instance" && cls.name !== e.pyType) {
      // An exception type we have no class for (e.g. SyntaxError): match by name and by Exception.
      return t.name === e.pyType || t.name === "Exception" || t.name === "BaseException";
    }
    return cls.mro.includes(t);
  }

  private execWith(s: A.With): Completion {
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

  private execImportFrom(s: A.ImportFrom): void {
    this.callFrom = s.from;
    this.callTo = s.to;
    const mod = this.importModule(s.module, s.level);
    if (s.names === "*") {
      for (const [k, v] of mod.dict) if (!k.startsWith("_")) this.setName(k, v);
      return;
    }
    for (const a of s.names) {
      this.callFrom = a.span.from;
      this.callTo = a.span.to;
      let v = this.getAttrOrUndefined(mod, a.name);
      if (v === undefined) {
        // `from . import blocks` / `from pkg import submodule`
        const subName = s.module ? `${s.module}.${a.name}` : a.name;
        try {
          v = this.importModule(subName, s.level);
        } catch {
          v = undefined;
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

  private deleteTarget(t: A.Expr): void {
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
      if (o.kind === "instance") o.dict.delete(t.attr);
    } else if (t.kind === "Tuple" || t.kind === "List") {
      for (const e of t.elts) this.deleteTarget(e);
    }
  }

  assign(t: A.Expr, v: Value): void {
    switch (t.kind) {
      case "Name":
        this.setName(t.id, v);
        return;
      case "Attribute": {
        const o = this.eval(t.value);
        this.callFrom = t.from;
        this.callTo = t.to;
        this.setAttr(o, t.attr, v);
        return;
      }
      case "Subscript": {
        const o = this.eval(t.value);
        const k = this.eval(t.index);
        this.setItem(o, k, v);
        return;
      }
      case "Tuple":
      case "List": {
        if (v.kind === "unknown") {
          for (const e of t.elts) this.assign(e.kind === "Starred" ? e.value : e, unknown(v.why));
          return;
        }
        const items = this.iterate(v);
        const star = t.elts.findIndex((e) => e.kind === "Starred");
        if (star < 0) {
          if (items.length !== t.elts.length) {
            throw new PyException("ValueError", `cannot unpack ${items.length} values into ${t.elts.length} names`, undefined, "unpack");
          }
          for (let i = 0; i < items.length; i++) this.assign(t.elts[i], items[i]);
          return;
        }
        const after = t.elts.length - star - 1;
        if (items.length < t.elts.length - 1) throw new PyException("ValueError", `not enough values to unpack (expected at least ${t.elts.length - 1}, got ${items.length})`);
        for (let i = 0; i < star; i++) this.assign(t.elts[i], items[i]);
        this.assign((t.elts[star] as A.Starred).value, list(items.slice(star, items.length - after)));
        for (let i = 0; i < after; i++) this.assign(t.elts[star + 1 + i], items[items.length - after + i]);
        return;
      }
      case "Starred":
        this.assign(t.value, v);
        return;
      default:
        throw new PyException("SyntaxError", `cannot assign to ${t.kind}`);
    }
  }

  private setItem(o: Value, k: Value, v: Value): void {
    switch (o.kind) {
      case "list": {
        if (k.kind === "slice") {
          const [start, stop] = sliceBounds(this, k, o.items.length);
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
      case "unknown":
        return;
    }
    throw new PyException("TypeError", `'${typeOf(o).name}' object does not support item assignment`);
  }

  private indexInt(k: Value): number {
    if (k.kind === "int") return k.v;
    if (k.kind === "bool") return k.v ? 1 : 0;
    if (k.kind === "unknown") throw new PyException("ValueError", `An index depends on a value the analyzer cannot know (${k.why})`, undefined, "unknown-value");
    throw new PyException("TypeError", `indices must be integers, not ${typeOf(k).name}`);
  }

  private makeFunction(name: string, params: A.Param[], body: A.Stmt[] | A.Expr, isGenerator: boolean, from: number, to: number): PyFunction {
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

  private classBeingDefined: string | undefined;

  private applyDecorators(decorators: A.Expr[], target: Value): Value {
    let v = target;
    for (let i = decorators.length - 1; i >= 0; i--) {
      const d = this.eval(decorators[i]);
      if (d.kind === "unknown") continue; // unknown decorators are ignored: keep the function as written
      const out = this.call(d, [v]);
      if (out.kind !== "unknown" && out.kind !== "none") v = out;
    }
    return v;
  }

  private makeClass(s: A.ClassDef): PyClass {
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
    return cls;
  }

  // ---------------------------------------------------------------- expressions

  eval(e: A.Expr): Value {
    switch (e.kind) {
      case "Name": {
        const v = this.scope.lookup(e.id) ?? this.builtins.get(e.id);
        if (v !== undefined) return v;
        throw Object.assign(new PyException("NameError", `name '${e.id}' is not defined`, undefined, "unknown-name"), { span: e as A.Span, info: this.frame.info });
      }
      case "Constant": {
        const c = e.value;
        if (c === null) return NONE;
        if (typeof c === "boolean") return bool(c);
        if (c === "...") return { kind: "ellipsis" };
        if (e.isComplex) return unknown("a complex number");
        return e.isFloat ? float(c) : int(c);
      }
      case "Str":
        return str(e.value);
      case "FString":
        return str(this.fstring(e));
      case "Tuple":
        return tuple(this.evalElts(e.elts));
      case "List":
        return list(this.evalElts(e.elts));
      case "Set": {
        const m = new Map<string, Value>();
        for (const v of this.evalElts(e.elts)) m.set(hashKey(v), v);
        return { kind: "set", map: m };
      }
      case "Dict": {
        const d = dict();
        for (const en of e.entries) {
          if ("spread" in en) {
            const sv = this.eval(en.spread);
            if (sv.kind === "dict") for (const [k, x] of sv.map) d.map.set(k, x);
            else if (sv.kind !== "unknown") throw new PyException("TypeError", `'${typeOf(sv).name}' object is not a mapping`);
          } else {
            const k = this.eval(en.key);
            d.map.set(hashKey(k), { key: k, value: this.eval(en.value) });
          }
        }
        return d;
      }
      case "Attribute": {
        const o = this.eval(e.value);
        const v = this.getAttrOrUndefined(o, e.attr);
        if (v !== undefined) return v;
        throw Object.assign(this.attrError(o, e.attr), { span: e.attrSpan, info: this.frame.info });
      }
      case "Subscript":
        return this.getItem(this.eval(e.value), this.eval(e.index));
      case "Slice":
        return {
          kind: "slice",
          start: e.lower ? this.eval(e.lower) : NONE,
          stop: e.upper ? this.eval(e.upper) : NONE,
          step: e.step ? this.eval(e.step) : NONE,
        };
      case "Call":
        return this.evalCall(e);
      case "BinOp": {
        const l = this.eval(e.left);
        const r = this.eval(e.right);
        this.callFrom = e.from;
        this.callTo = e.to;
        return this.binary(e.op, l, r, false);
      }
      case "UnaryOp": {
        const v = this.eval(e.operand);
        if (e.op === "not") return v.kind === "unknown" ? v : bool(!this.truthy(v));
        if (v.kind === "int" || v.kind === "bool") return int(e.op === "-" ? -(+v.v) : e.op === "~" ? ~+v.v : +v.v);
        if (v.kind === "float") return float(e.op === "-" ? -v.v : v.v);
        if (v.kind === "unknown") return v;
        if (v.kind === "tensor") {
          this.callFrom = e.from;
          this.callTo = e.to;
          const r = tensorProtocol(v.framework)?.unary?.(this, e.op as "-", v);
          if (r) return r;
        }
        throw new PyException("TypeError", `bad operand type for unary ${e.op}: '${typeOf(v).name}'`);
      }
      case "BoolOp": {
        let v: Value = NONE;
        for (const x of e.values) {
          v = this.eval(x);
          if (v.kind === "unknown") return v;
          const t = this.truthy(v);
          if (e.op === "and" ? !t : t) return v;
        }
        return v;
      }
      case "Compare": {
        let left = this.eval(e.left);
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.eval(e.comparators[i]);
          const r = this.compare(e.ops[i], left, right);
          if (r.kind === "unknown") return r;
          if (r.kind === "bool" && !r.v) return r;
          left = right;
        }
        return bool(true);
      }
      case "IfExp":
        return this.truthy(this.eval(e.test)) ? this.eval(e.body) : this.eval(e.orelse);
      case "Lambda":
        return this.makeFunction("<lambda>", e.params, e.body, false, e.from, e.to);
      case "Comprehension":
        return this.comprehension(e);
      case "DictComp": {
        const d = dict();
        this.runGenerators(e.generators, 0, () => {
          const k = this.eval(e.key);
          d.map.set(hashKey(k), { key: k, value: this.eval(e.value) });
        });
        return d;
      }
      case "Starred":
        return this.eval(e.value);
      case "NamedExpr": {
        const v = this.eval(e.value);
        this.scope.closureScope().vars.set(e.target.id, v);
        return v;
      }
      case "Await":
        return this.eval(e.value);
      case "Yield": {
        const v = e.value ? this.eval(e.value) : NONE;
        if (this.frame.yields) {
          if (e.isFrom) this.frame.yields.push(...this.iterate(v));
          else this.frame.yields.push(v);
        }
        return NONE;
      }
      case "BadExpr":
        throw Object.assign(new PyException("SyntaxError", `Cannot analyse '${e.text.slice(0, 40)}'`, undefined, "syntax"), { span: e as A.Span, info: this.frame.info });
    }
  }

  private attrError(o: Value, name: string): PyException {
    const what = o.kind === "module" ? `module '${o.name}'` : o.kind === "class" ? `type object '${o.name}'` : `'${typeOf(o).name}' object`;
    return new PyException("AttributeError", `${what} has no attribute '${name}'`, undefined, "attribute");
  }

  private evalElts(elts: A.Expr[]): Value[] {
    const out: Value[] = [];
    for (const x of elts) {
      if (x.kind === "Starred") out.push(...this.iterate(this.eval(x.value)));
      else out.push(this.eval(x));
    }
    return out;
  }

  private fstring(e: A.FString): string {
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

  private comprehension(e: A.Comprehension): Value {
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

  private runGenerators(gens: A.ComprehensionFor[], i: number, emit: () => void): void {
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

  private evalCall(e: A.Call): Value {
    const fn = this.eval(e.func);
    const args: Value[] = [];
    let kwargs: Kwargs = EMPTY_KWARGS;
    for (const a of e.args) {
      switch (a.kind) {
        case "pos":
          args.push(this.eval(a.value));
          break;
        case "star": {
          const v = this.eval(a.value);
          if (v.kind === "unknown") throw new PyException("ValueError", `Cannot expand *${exprText(this.frame.info, a.value)}: ${v.why}`, undefined, "unknown-value");
          args.push(...this.iterate(v));
          break;
        }
        case "kw":
          if (kwargs === EMPTY_KWARGS) kwargs = new Map();
          kwargs.set(a.name, this.eval(a.value));
          break;
        case "dstar": {
          const v = this.eval(a.value);
          if (kwargs === EMPTY_KWARGS) kwargs = new Map();
          if (v.kind === "dict") {
            for (const en of v.map.values()) if (en.key.kind === "str") kwargs.set(en.key.v, en.value);
          } else if (v.kind === "unknown") {
            throw new PyException("ValueError", `Cannot expand **${exprText(this.frame.info, a.value)}: ${v.why}`, undefined, "unknown-value");
          } else throw new PyException("TypeError", `argument after ** must be a mapping, not ${typeOf(v).name}`);
          break;
        }
      }
    }
    const savedFrom = this.callFrom;
    const savedTo = this.callTo;
    this.callFrom = e.from;
    this.callTo = e.to;
    try {
      if (fn.kind === "builtin" && fn.name === "super" && args.length === 0) return this.zeroArgSuper();
      return this.call(fn, args, kwargs);
    } catch (err) {
      if (err instanceof PyException && !(err as { span?: A.Span }).span) Object.assign(err, { span: { from: e.from, to: e.to }, info: this.frame.info });
      throw err;
    } finally {
      this.callFrom = savedFrom;
      this.callTo = savedTo;
    }
  }

  private zeroArgSuper(): Value {
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
          const items = sliceItems(this, o.items, k);
          return o.kind === "list" ? list(items) : tuple(items);
        }
        const i = normIndex(this.indexInt(k), o.items.length);
        if (i < 0 || i >= o.items.length) throw new PyException("IndexError", `${o.kind} index out of range`, undefined, "index");
        return o.items[i];
      }
      case "str": {
        if (k.kind === "slice") return str(sliceItems(this, [...o.v], k).join(""));
        const chars = [...o.v];
        const i = normIndex(this.indexInt(k), chars.length);
        if (i < 0 || i >= chars.length) throw new PyException("IndexError", "string index out of range");
        return str(chars[i]);
      }
      case "dict": {
        const en = o.map.get(hashKey(k));
        if (!en) {
          if (k.kind === "unknown") return unknown(k.why);
          throw new PyException("KeyError", this.repr(k), undefined, "key");
        }
        return en.value;
      }
      case "range": {
        if (k.kind === "slice") return list(sliceItems(this, this.iterate(o), k));
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
        return unknown(`${o.why}[...]`);
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
    if (l.kind === "unknown" || r.kind === "unknown") return unknown(l.kind === "unknown" ? l.why : (r as { why: string }).why);
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
    switch (op) {
      case "is":
        return bool(isSame(l, r));
      case "is not":
        return bool(!isSame(l, r));
      case "in":
      case "not in": {
        if (r.kind === "unknown" || (l.kind === "unknown" && r.kind !== "list" && r.kind !== "tuple")) return unknown(r.kind === "unknown" ? r.why : (l as { why: string }).why);
        const c = this.contains(r, l);
        return bool(op === "in" ? c : !c);
      }
      case "==":
      case "!=": {
        if (l.kind === "unknown" || r.kind === "unknown") return unknown((l.kind === "unknown" ? l : (r as { why: string })).why);
        let eq: boolean;
        if (l.kind === "instance" && this.lookupClass(l.cls, "__eq__")?.kind === "function") eq = this.truthy(this.call(this.lookupClass(l.cls, "__eq__")!, [l, r]));
        else eq = pyEquals(l, r);
        return bool(op === "==" ? eq : !eq);
      }
      default: {
        if (l.kind === "unknown" || r.kind === "unknown") return unknown((l.kind === "unknown" ? l : (r as { why: string })).why);
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
    // `isinstance(3, float)` is False in Python, but `isinstance(True, int)` is True (bool's MRO has int).
    return cls === TYPE_CLASS && v.kind === "class";
  }

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
}

const EMPTY_KWARGS: Kwargs = new Map();

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

function isSame(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.kind === "none" || b.kind === "none") return a.kind === b.kind;
  if (a.kind === "bool" && b.kind === "bool") return a.v === b.v;
  if ((a.kind === "int" && b.kind === "int") || (a.kind === "str" && b.kind === "str")) return a.v === b.v;
  if (a.kind === "ellipsis" && b.kind === "ellipsis") return true;
  return false;
}

export function rangeLength(r: { start: number; stop: number; step: number }): number {
  if (r.step > 0) return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  return Math.max(0, Math.ceil((r.start - r.stop) / -r.step));
}

function normIndex(i: number, n: number): number {
  return i < 0 ? i + n : i;
}

export function sliceBounds(ctx: Interpreter, s: { start: Value; stop: Value; step: Value }, n: number): [number, number, number] {
  const num = (v: Value): number | undefined => {
    if (v.kind === "none") return undefined;
    if (v.kind === "int" || v.kind === "bool") return +v.v;
    if (v.kind === "unknown") throw new PyException("ValueError", `A slice bound depends on a value the analyzer cannot know (${v.why})`, undefined, "unknown-value");
    throw new PyException("TypeError", "slice indices must be integers or None");
  };
  void ctx;
  const step = num(s.step) ?? 1;
  if (step === 0) throw new PyException("ValueError", "slice step cannot be zero");
  const clamp = (v: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (v === undefined) return dflt;
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  if (step > 0) return [clamp(num(s.start), 0, 0, n), clamp(num(s.stop), n, 0, n), step];
  return [clamp(num(s.start), n - 1, -1, n - 1), clamp(num(s.stop), -1, -1, n - 1), step];
}

function sliceItems<T>(ctx: Interpreter, items: T[], s: { start: Value; stop: Value; step: Value }): T[] {
  const [start, stop, step] = sliceBounds(ctx, s, items.length);
  const out: T[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]);
  else for (let i = start; i > stop; i += step) out.push(items[i]);
  return out;
}

function exprText(info: ModuleInfo, e: A.Span): string {
  return info.src.text.slice(e.from, e.to);
}

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return "An error occurred.";
  const cap = t[0].toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(cap) ? (cap.endsWith(")") ? cap + "." : cap) : cap + ".";
}

function defaultCode(pyType: string): string {
  switch (pyType) {
    case "NameError": return "unknown-name";
    case "AttributeError": return "attribute";
    case "TypeError": return "type";
    default: return "exception";
  }
}
