// The interpreter's runtime: state, modules and imports, diagnostics, source sites. The Python object
// model (object-model.ts: truthiness, iteration, attributes, calls) builds on it, then expression
// evaluation (expressions.ts) and statement execution (interpreter.ts).

import type * as A from "../python/ast";
import { parseIncremental } from "../python/incremental";
import { type Range, SourceText, sourceTextOf } from "../python/source";
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
  FOLLOW_ON,
  NONE,
  PyException,
  dict,
  reportedUnknown,
  str,
  unknownName,
} from "./values";
import { makeBuiltins } from "./builtins";
import { stdlibModule } from "./stdlib";
import { fallbackStubModule, stubModule } from "../frameworks/registry";
import { resolveBundled } from "../frameworks/zoo";
import { defaultCode, sentence } from "./messages";
import { markWithdrawn } from "./withdrawn-diagnostics";
import { noteSkippedStatement, recordSkippedWrite } from "./skipped-writes";
import { formatInt } from "../view/format";
import { BUNDLED_ROOT, innermostCallIn, isBundledFile } from "../ir/user-site";

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


/** Steps a recorded site (a layer or node made) costs against the step budget. */
const SITE_STEPS = 10;

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

function diagnosticKey(file: string, range: Range, message: string): string {
  return `${file}:${range.start.line}:${range.start.character}:${message}`;
}

/** Marks exceptions raised by user `raise`/`assert`: they propagate like Python's. */
export const userRaised = new WeakSet<PyException>();

export const EMPTY_KWARGS: Kwargs = new Map();

/** Methods that change the list, dict or set they are called on. */
/** Methods that set an attribute of the object they are called on (nn.Module's registrations). */
const REGISTERS = new Set(["add_module", "register_module", "register_parameter", "register_buffer"]);

const baseName = (file: string): string => file.slice(file.lastIndexOf("/") + 1);

const MUTATORS = new Set(["append", "appendleft", "extend", "extendleft", "insert", "update", "setdefault", "add", "pop", "popleft", "remove", "discard", "clear", "sort", "reverse"]);

export abstract class InterpreterCore implements NativeContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Each diagnostic by where and what it says: the same one is given once. */
  protected readonly diagKeys = new Map<string, Diagnostic>();
  readonly state = new Map<string, unknown>();
  graph: GraphSink;
  readonly builtins: Map<string, Value>;
  protected readonly modules = new Map<string, ModuleInfo | "loading">();
  frame!: Frame;
  readonly stack: StackEntry[] = [];
  callFrom = 0;
  callTo = 0;
  steps = 0;
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
    // Not registered under its path: like a script run with `python -m`, the main module is not the
    // package module of the same file, which its package's __init__ may import (a second copy).
    this.mainModule = info;
    this.execModule(info, ast.body);
    return info;
  }

  /** The file being analysed, run by runFile. */
  protected mainModule: ModuleInfo | undefined;

  mainFile(): string | undefined {
    return this.mainModule?.file;
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
      this.skipStatement(e, s);
    }
  }

  /** A statement that failed: its diagnostic, and its names bound to unknowns. */
  skipStatement(e: unknown, s: A.Stmt): void {
    this.reportFailure(e, s);
    this.bindSkipped(s);
  }

  /**
   * What a skipped statement would have written becomes unknown: the real program gave it a value,
   * so later uses are unknown too (no stale value, and one diagnostic for the cause). That is the
   * names it binds; a list it appends to gets one unknown item (a list it extends, a dict it
   * updates, becomes unknown as a whole); and a skipped `for`, `if`, `while`, `with` or `try`
   * does the same for everything its body would have written.
   */
  protected bindSkipped(s: A.Stmt): void {
    noteSkippedStatement();
    const line = this.lineOf(s.from);
    const lost = (what: string) => reportedUnknown(`${what}, which line ${line} could not compute`);
    const bind = (name: string) => this.scope.target(name).vars.set(name, lost(`'${name}'`));
    const names = (t: A.Expr): void => {
      if (t.kind === "Name") bind(t.id);
      else if (t.kind === "Tuple" || t.kind === "List") t.elts.forEach(names);
      else if (t.kind === "Starred") names(t.value);
    };
    const visit = (st: A.Stmt, inCompound: boolean): void => {
      switch (st.kind) {
        case "Assign":
          st.targets.forEach(names);
          st.targets.forEach(attributes);
          if (inCompound) st.targets.forEach(mutated);
          break;
        case "AnnAssign":
        case "AugAssign":
          names(st.target);
          attributes(st.target);
          break;
        case "Import":
          for (const a of st.names) bind(a.asname ?? a.name.split(".")[0]);
          break;
        case "ImportFrom":
          if (st.names !== "*") for (const a of st.names) bind(a.asname ?? a.name);
          break;
        case "ExprStmt":
          if (st.value.kind === "Call") {
            mutatingCall(st.value, inCompound);
            attributeCall(st.value);
          }
          break;
        case "For":
          names(st.target);
          [...st.body, ...st.orelse].forEach((b) => visit(b, true));
          break;
        case "If":
        case "While":
          [...st.body, ...st.orelse].forEach((b) => visit(b, true));
          break;
        case "With":
          for (const it of st.items) if (it.vars) names(it.vars);
          st.body.forEach((b) => visit(b, true));
          break;
        case "Try":
          [...st.body, ...st.handlers.flatMap((h) => h.body), ...st.orelse, ...st.finalbody].forEach((b) => visit(b, true));
          break;
        case "FunctionDef":
        case "ClassDef":
          if (inCompound) bind(st.name);
          break;
      }
    };
    // `self.proj = ...`, `self.blocks.append(...)`, `self.add_module(...)`: an attribute of an object
    // (a layer of a module, in a Module's __init__) left unset or unchanged, which totals say.
    const where = this.frame.info.file === this.mainModule?.file ? `line ${line}` : `${baseName(this.frame.info.file)} line ${line}`;
    const record = (owner: A.Expr, attr: string, written: string): void => {
      if (owner.kind !== "Name") return;
      const obj = this.scope.lookup(owner.id);
      if (obj?.kind === "instance") recordSkippedWrite(obj, { attr, written, where });
    };
    const attributes = (t: A.Expr): void => {
      if (t.kind === "Attribute") record(t.value, t.attr, `${t.value.kind === "Name" ? t.value.id : "?"}.${t.attr}`);
      else if (t.kind === "Tuple" || t.kind === "List") t.elts.forEach(attributes);
      else if (t.kind === "Starred") attributes(t.value);
    };
    const attributeCall = (call: A.Call): void => {
      if (call.func.kind !== "Attribute") return;
      const { value, attr } = call.func;
      if (value.kind === "Attribute" && value.value.kind === "Name") record(value.value, value.attr, `${value.value.id}.${value.attr}.${attr}(...)`);
      else if (value.kind === "Name" && REGISTERS.has(attr)) record(value, attr, `${value.id}.${attr}(...)`);
    };
    // `d[k] = v` in a skipped block: d may have changed in ways not known.
    const mutated = (t: A.Expr): void => {
      if (t.kind === "Subscript" && t.value.kind === "Name") bind(t.value.id);
    };
    const mutatingCall = (call: A.Call, inCompound: boolean): void => {
      if (call.func.kind !== "Attribute" || call.func.value.kind !== "Name") return;
      const receiver = call.func.value.id;
      const method = call.func.attr;
      if (!MUTATORS.has(method)) return;
      const current = this.scope.lookup(receiver);
      // One skipped append adds one item the analysis does not know; anything less definite (or
      // any mutation inside a skipped block, which may run any number of times) loses the whole.
      if (!inCompound && current?.kind === "list" && (method === "append" || method === "appendleft")) {
        const item = lost(`an item of '${receiver}'`);
        if (method === "append") current.items.push(item);
        else current.items.unshift(item);
      } else bind(receiver);
    };
    visit(s, false);
  }

  /** Evaluates an expression (e.g. `resnet50()`) in a module's namespace with a fresh budget. */
  evalIn(info: ModuleInfo, exprText: string, label = "<entry>"): Value {
    // Through the parse cache like a file: a repeated CLI run then never builds the parser.
    const ast = parseIncremental(label, exprText);
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

  /** The module `dotted` names when the stubs, the standard library or a file define it. */
  protected findModule(dotted: string, level: number): PyModule | undefined {
    if (level === 0) {
      const stub = stubModule(dotted) ?? stdlibModule(dotted, this);
      if (stub) return stub;
    }
    const from = this.frame.info.file;
    const src = this.options.resolveModule?.(from, dotted, level) ?? resolveBundled(from, dotted, level);
    return src ? this.moduleFrom(src, dotted) : undefined;
  }

  protected importModule(dotted: string, level: number): PyModule {
    const found = this.findModule(dotted, level);
    if (found) return found;
    const from = this.frame.info.file;
    if (level > 0 && dotted === "") {
      // A package folder without __init__.py (a namespace package).
      return { kind: "module", name: "", dict: new Map(), file: undefined };
    }
    if (level > 0) {
      throw new PyException("ImportError", `Cannot find the module '${".".repeat(level)}${dotted}' next to '${from}'.`, undefined, "import");
    }
    return fallbackStubModule(dotted) ?? this.unknownModule(dotted);
  }

  protected readonly partialModules = new Map<string, PyModule>();

  loadedModule(name: string): PyModule | undefined {
    if (this.mainModule?.mod.name === name) return this.mainModule.mod;
    for (const m of this.partialModules.values()) if (m.name === name) return m;
    return stubModule(name) ?? stdlibModule(name, this);
  }

  /** The module a source file defines, loaded once per analysis. */
  protected moduleFrom(src: ModuleSource, dotted: string): PyModule {
    const cached = this.modules.get(src.file);
    if (cached === "loading") {
      // Circular import: hand back the partially initialised module, as Python does.
      const partial = this.partialModules.get(src.file);
      if (partial) return partial;
    } else if (cached) return cached.mod;
    return this.loadModuleFile(src, dotted);
  }

  /**
   * A bundled zoo module reached as an attribute of its package (`keras.applications`, `models.resnet`):
   * the real packages import these submodules in their `__init__`, so the attribute exists there too.
   */
  bundledModule(dotted: string): PyModule | undefined {
    const src = resolveBundled("", dotted, 0);
    return src ? this.moduleFrom(src, dotted) : undefined;
  }

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
  private readonly reportedUnknown = new Set<string>();
  private readonly followOnSites = new Set<string>();

  protected unknownModule(dotted: string): PyModule {
    let m = this.unknownModules.get(dotted);
    if (m) return m;
    // Name the package once (`scipy`), or the submodule when its package is modelled (`torch.fx`).
    const root = dotted.split(".")[0];
    const shown = stubModule(root) || resolveBundled("", root, 0) ? dotted : root;
    if (!this.reportedUnknown.has(shown)) {
      this.reportedUnknown.add(shown);
      this.reportHere("info", `Module '${shown}' is not modelled by the analyzer; values taken from it are unknown.`, "unknown-module");
    }
    m = { kind: "module", name: dotted, dict: new Map() };
    const mm = m;
    m.dict.set("__getattr__", {
      kind: "builtin",
      name: "__getattr__",
      fn: (args) => {
        const name = args[0]?.kind === "str" ? args[0].v : "?";
        const v = unknownName(`${dotted}.${name}`);
        mm.dict.set(name, v);
        return v;
      },
    });
    this.unknownModules.set(dotted, m);
    return m;
  }

  // ---------------------------------------------------------------- diagnostics

  protected report(severity: Severity, message: string, info: ModuleInfo, from: number, to: number, code: string): Diagnostic {
    return this.reportRange(severity, message, info.file, info.src.range(from, to), code);
  }

  private reportRange(severity: Severity, message: string, file: string, range: Range, code: string, site?: SourceSite): Diagnostic {
    if (isBundledFile(file)) {
      // Code the user cannot open (the bundled torchvision.models / keras.applications): the
      // diagnostic goes to their own call that led there, and says where inside it arose.
      const call = innermostCallIn(site ?? this.currentSite(), (f) => !isBundledFile(f));
      if (call) {
        message = `${message.replace(/\.$/, "")} (in ${file.slice(BUNDLED_ROOT.length)}, line ${range.start.line + 1}).`;
        file = call.file;
        range = call.range;
      }
    }
    const key = diagnosticKey(file, range, message);
    const given = this.diagKeys.get(key);
    if (given) return given;
    const d: Diagnostic = { severity, message, file, range, code };
    this.diagKeys.set(key, d);
    this.diagnostics.push(d);
    return d;
  }

  withdraw(d: Diagnostic): void {
    markWithdrawn(d);
    // Said again later (true again), it is given again.
    const key = diagnosticKey(d.file, d.range, d.message);
    if (this.diagKeys.get(key) === d) this.diagKeys.delete(key);
  }

  /** The module whose code is running (a class made by `type(...)` belongs to it). */
  currentModule(): PyModule {
    return this.frame.info.mod;
  }

  warnAt(site: SourceSite, message: string, code = "warning"): void {
    this.reportRange("warning", message, site.file, site.range, code, site);
  }

  /** Forgets diagnostics reported after the first `length` (a trial run that is being discarded). */
  rollbackDiagnostics(length: number): void {
    for (const d of this.diagnostics.splice(length)) {
      this.diagKeys.delete(diagnosticKey(d.file, d.range, d.message));
    }
  }

  protected reportHere(severity: Severity, message: string, code: string): Diagnostic {
    return this.report(severity, message, this.frame.info, this.callFrom, this.callTo, code);
  }

  lineOf(from: number): number {
    return this.frame.info.src.position(from).line + 1;
  }

  /** Turns anything thrown while running a statement into a diagnostic at the right place. */
  protected reportFailure(e: unknown, s?: A.Span): void {
    const info = this.frame.info;
    const loc = (e as { span?: A.Span; info?: ModuleInfo }).span;
    const where = (e as { info?: ModuleInfo }).info ?? info;
    const from = loc?.from ?? s?.from ?? this.callFrom;
    const to = loc?.to ?? s?.to ?? this.callTo;
    if (e instanceof PyException && e.code === FOLLOW_ON) {
      // The cause was reported where it happened. Saying here, once per statement and only as
      // information, what it cost lets a user follow the path from that cause to a missing layer or
      // an unknown output, without a warning for every statement it reaches.
      const key = `${where.file}:${from}`;
      if (!this.followOnSites.has(key)) {
        this.followOnSites.add(key);
        this.report("info", `Skipped: ${sentence(e.message)}`, where, from, to, FOLLOW_ON);
      }
      return;
    }
    if (e instanceof BudgetExceeded) {
      this.report("error", e.message, where, from, to, "budget");
    } else if (e instanceof PyException) {
      const line = where.src.position(from).line + 1;
      const msg = userRaised.has(e)
        ? `${e.pyType} raised at line ${line}: ${e.message}`
        : `${e.pyType === "KeyError" ? "KeyError: " : ""}${/\(line \d+\)\.?$/.test(e.message) ? e.message : `${e.message.replace(/\.$/, "")} (line ${line})`}`;
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
    // `native` from the start: stubs attach state to most instances, and a field added later changes the object's shape.
    return { kind: "instance", cls, dict: new Map(), uid: this.uid++, native: undefined };
  }

  raise(pyType: string, message: string, code?: string): never {
    throw new PyException(pyType, message, undefined, code ?? defaultCode(pyType));
  }

  warn(message: string, code = "warning"): Diagnostic {
    return this.reportHere("warning", message, code);
  }

  inform(message: string, code: string): void {
    this.reportHere("info", message, code);
  }

  reportError(message: string, code: string): void {
    // Stub messages name the layer and both shapes; the line makes them readable outside the editor too.
    const line = this.lineOf(this.callFrom);
    const located = /\(line \d+\)\.?$/.test(message) ? message : `${message.replace(/\.$/, "")} (line ${line}).`;
    this.reportHere("error", located, code);
  }

  site(): SourceSite {
    // Stubs ask for a site when they make a layer or a graph node, far more work than a statement:
    // it counts as several steps, so a loop that builds layers forever ends as soon as one that computes.
    if ((this.steps += SITE_STEPS) > this.stepBudget) this.budgetExceeded();
    return this.currentSite();
  }

  /** Where the interpreter is now, with the calls and loop iterations that led there. */
  protected currentSite(): SourceSite {
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

  budgetExceeded(): never {
    throw new BudgetExceeded(
      `Analysis stopped after ${formatInt(this.stepBudget)} steps (line ${this.lineOf(this.currentStmtFrom)}): the code may loop forever or is too large to analyse.`,
    );
  }

  // ---------------------------------------------------------------- statements

  scope!: Scope;
  currentStmtFrom = 0;

  /** Marks `e` as raised by the model's own code, at `at` (the raise / assert statement, or a call). */
  userError(e: PyException, at?: A.Span): PyException {
    userRaised.add(e);
    if (at && !(e as { span?: A.Span }).span) Object.assign(e, { span: { from: at.from, to: at.to }, info: this.frame.info });
    return e;
  }

  raiseUserError(pyType: string, message: string): never {
    throw this.userError(new PyException(pyType, message), { from: this.callFrom, to: this.callTo });
  }

  /** Reports an exception that escaped the model's code (a failed assert in forward) where it arose. */
  reportUncaught(e: unknown): void {
    this.reportFailure(e);
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

  // ---- implemented by the object model (object-model.ts)
  abstract truthy(v: Value): boolean;
  abstract repr(v: Value): string;
  abstract toStr(v: Value): string;
  abstract iterate(v: Value): Value[];
  abstract lookupClass(cls: PyClass, name: string): Value | undefined;
  abstract methodOf(obj: Value, name: string): Value | undefined;
  abstract getAttrOrUndefined(obj: Value, name: string): Value | undefined;
  abstract getAttr(obj: Value, name: string): Value;
  abstract setAttr(obj: Value, name: string, value: Value): void;
  abstract call(fn: Value, args: Value[], kwargs?: Kwargs): Value;

  // ---- implemented by the expression and statement layers
  abstract eval(e: A.Expr): Value;
  abstract exec(s: A.Stmt): Completion;
  protected abstract execBlock(body: A.Stmt[]): Completion;
  abstract assign(t: A.Expr, v: Value): void;
  abstract binary(op: A.BinOperator, l: Value, r: Value, inplace: boolean): Value;
  abstract getItem(o: Value, k: Value): Value;
  abstract isInstance(v: Value, cls: Value): boolean;
}
