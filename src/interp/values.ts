// Runtime values of the abstract interpreter. Plain tagged objects; `kind` discriminates.
// Framework stubs (src/frameworks/*) build native classes and functions out of these.

import type { Expr, Param, Stmt } from "../python/ast";
import type { Shape } from "../ir/types";

export type Value =
  | PyNone
  | PyBool
  | PyInt
  | PyFloat
  | PyStr
  | PyTuple
  | PyList
  | PyDict
  | PySet
  | PyRange
  | PySlice
  | PyEllipsis
  | PyFunction
  | PyBuiltin
  | PyBoundMethod
  | PyClass
  | PyInstance
  | PyModule
  | PyProperty
  | PyStaticMethod
  | PyClassMethod
  | PySuper
  | PyIterator
  | PyTensor
  | PyUnknown;

export interface PyNone { kind: "none" }
export interface PyBool { kind: "bool"; v: boolean }
export interface PyInt { kind: "int"; v: number }
export interface PyFloat { kind: "float"; v: number }
export interface PyStr { kind: "str"; v: string }
export interface PyTuple { kind: "tuple"; items: Value[] }
export interface PyList { kind: "list"; items: Value[] }
/** Keys are hashed with `hashKey`; insertion order is Python's dict order. */
export interface PyDict {
  kind: "dict";
  map: Map<string, { key: Value; value: Value }>;
  /** collections.defaultdict's factory: called for a missing key, whose value it becomes. */
  defaultFactory?: Value;
}
export interface PySet { kind: "set"; map: Map<string, Value>; frozen?: boolean }
export interface PyRange { kind: "range"; start: number; stop: number; step: number }
export interface PySlice { kind: "slice"; start: Value; stop: Value; step: Value }
export interface PyEllipsis { kind: "ellipsis" }

/** A user function or lambda. `scope` is the defining scope (closures). */
export interface PyFunction {
  kind: "function";
  name: string;
  qualname: string;
  params: Param[];
  /** Evaluated defaults by parameter name. */
  defaults: Map<string, Value>;
  body: Stmt[] | Expr;
  isGenerator: boolean;
  scope: unknown;
  /** The module (file) the function was defined in. */
  module: PyModule;
  /** Offset range of the `def`/`lambda` in its file. */
  from: number;
  to: number;
  /** Class the function was defined in (for zero-argument super()). */
  definingClass?: PyClass;
  dict?: Map<string, Value>;
}

export type Kwargs = Map<string, Value>;

/** A function implemented in TypeScript. Receives positional args, keyword args and the context. */
export type NativeFn = (args: Value[], kwargs: Kwargs, ctx: NativeContext) => Value;

export interface PyBuiltin {
  kind: "builtin";
  name: string;
  fn: NativeFn;
}

export interface PyBoundMethod { kind: "method"; self: Value; fn: Value }

export interface PyClass {
  kind: "class";
  name: string;
  qualname: string;
  /** Dotted module name ("torch.nn", or the user's module). */
  moduleName: string;
  bases: PyClass[];
  /** C3 linearisation, starting with this class. */
  mro: PyClass[];
  dict: Map<string, Value>;
  /** True for classes defined in TypeScript (stubs and builtins). */
  native?: boolean;
}

/**
 * An object. User attributes live in `dict`; stubs keep their own state in `native`
 * (e.g. a torch Module's ordered children and parameter counts).
 */
export interface PyInstance {
  kind: "instance";
  cls: PyClass;
  dict: Map<string, Value>;
  native?: any;
  /** Stable id, assigned on creation (used for layer identity in the IR). */
  uid: number;
}

export interface PyModule { kind: "module"; name: string; dict: Map<string, Value>; file?: string }

export interface PyProperty { kind: "property"; fget: Value; fset?: Value }
export interface PyStaticMethod { kind: "staticmethod"; fn: Value }
export interface PyClassMethod { kind: "classmethod"; fn: Value }
/** `super()` bound to `self`; attribute lookup starts after `thisClass` in `self`'s MRO. */
export interface PySuper { kind: "super"; thisClass: PyClass; self: Value }
/** Iterators and generators are materialised eagerly (model code only iterates finite things). */
export interface PyIterator { kind: "iterator"; items: Value[]; index: number }

/** A symbolic tensor: shape plus the IR node that produced it. */
export interface PyTensor {
  kind: "tensor";
  shape: Shape;
  /** IR node id of the producer. */
  node: string;
  framework: "pytorch" | "keras";
  dtype?: string;
  /**
   * Row-major element values, for the few small tensors made from known numbers while a model is
   * built (torch.arange, linspace, tensor of a list, and arithmetic on those); absent otherwise.
   */
  values?: number[];
}

/** A value the interpreter could not compute. `why` is a sentence for the diagnostic. */
export interface PyUnknown {
  kind: "unknown";
  why: string;
  /** Stands for what a skipped statement would have made: its diagnostic is already out. */
  reported?: true;
  /**
   * An object made by calling an unmodelled class (`timm.layers.DropPath`, named here): called on a
   * tensor, it is a layer the analyzer cannot see into (tensor-protocol.ts `unknownLayer`).
   */
  instanceOf?: string;
  /**
   * The dotted name it was reached by from a module the analyzer does not model (`timm.layers.DropPath`):
   * calling it may make an instance of a class (unknown-calls.ts). Absent on anything computed.
   */
  dotted?: string;
}

// ---------- constructors ----------

export const NONE: PyNone = { kind: "none" };
export const TRUE: PyBool = { kind: "bool", v: true };
export const FALSE: PyBool = { kind: "bool", v: false };
export const ELLIPSIS: PyEllipsis = { kind: "ellipsis" };

/** Small ints are shared, as in CPython: model code makes thousands of them and none is ever mutated. */
const SMALL_INTS: PyInt[] = Array.from({ length: 1030 }, (_, i) => ({ kind: "int", v: i - 5 }));
export const int = (v: number): PyInt => (v >= -5 && v <= 1024 && (v | 0) === v && !Object.is(v, -0) ? SMALL_INTS[v + 5] : { kind: "int", v });
export const float = (v: number): PyFloat => ({ kind: "float", v });
export const str = (v: string): PyStr => ({ kind: "str", v });
export const bool = (v: boolean): PyBool => (v ? TRUE : FALSE);
export const tuple = (items: Value[]): PyTuple => ({ kind: "tuple", items });
export const list = (items: Value[]): PyList => ({ kind: "list", items });
export const unknown = (why: string): PyUnknown => ({ kind: "unknown", why });
/** A name taken from a module the analyzer does not model: described by, and carrying, its dotted name. */
export const unknownName = (dotted: string): PyUnknown => ({ kind: "unknown", why: dotted, dotted });
/** Python's NotImplemented, one object so comparison dispatch can tell it from other results by identity. */
export const NOT_IMPLEMENTED: PyUnknown = unknown("NotImplemented");
/** The unknown a skipped statement leaves behind; stubs that cannot use it fail silently (FOLLOW_ON). */
export const reportedUnknown = (why: string): PyUnknown => ({ kind: "unknown", why, reported: true });
/** Code of a failure caused only by an earlier skipped statement: skipped again, not reported again. */
export const FOLLOW_ON = "follow-on";

/**
 * An unknown made from another (an attribute, item or call of it): a reported one stays itself. The
 * description grows like an expression (`len(numpy.unique(...))`), except that a cause written in
 * words ("... loads data, which static analysis does not") stays as it is, and calls of calls say so
 * once: messages quote it whole.
 */
export const derivedUnknown = (from: PyUnknown, why: string): PyUnknown => {
  if (from.reported) return from;
  const sentence = /[.!?]$/.test(from.why) || (/\s/.test(from.why) && !/^(the result of calling |len\()/.test(from.why));
  if (sentence || why.length > 160) return unknown(from.why);
  return unknown(why.replace(/^(the result of calling )+/, "the result of calling "));
};

/** The code for failing on an unknown: "unknown-value", or FOLLOW_ON when its cause is already reported. */
export const unknownCode = (v: PyUnknown): string => (v.reported ? FOLLOW_ON : "unknown-value");
export const builtin = (name: string, fn: NativeFn): PyBuiltin => ({ kind: "builtin", name, fn });

export function dict(entries: [Value, Value][] = []): PyDict {
  const d: PyDict = { kind: "dict", map: new Map() };
  for (const [k, v] of entries) d.map.set(hashKey(k), { key: k, value: v });
  return d;
}

/**
 * Hash key for dict/set membership. Follows Python equality for the common key types:
 * 1 == 1.0 == True share a key. Unhashable or identity-hashed values get an identity key.
 */
export function hashKey(v: Value): string {
  switch (v.kind) {
    case "str":
      return "s" + v.v;
    case "int":
    case "float":
      return "n" + v.v;
    case "bool":
      return "n" + (v.v ? 1 : 0);
    case "none":
      return "None";
    case "tuple":
      return "t(" + v.items.map(hashKey).join(",") + ")";
    default:
      return "o" + identityOf(v);
  }
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
export function identityOf(v: object): number {
  let id = identities.get(v);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(v, id);
  }
  return id;
}

// ---------- errors ----------

/**
 * A Python exception raised by the interpreter or a stub (`ctx.raise("TypeError", ...)`).
 * User `try/except` can catch it; uncaught, it becomes a located diagnostic and the statement is skipped.
 */
export class PyException extends Error {
  constructor(
    readonly pyType: string,
    message: string,
    /** The exception instance when raised by user code. */
    readonly value?: Value,
    /** Diagnostic code: "shape-mismatch", "unknown-name", "unsupported", ... */
    readonly code = "exception",
  ) {
    super(message);
  }
}

// ---------- the services natives get ----------

import type { Diagnostic, SourceSite, NodeCategory, JsonValue } from "../ir/types";

export interface NewNode {
  op: string;
  category: NodeCategory;
  name: string;
  attrs?: Record<string, JsonValue>;
  inputs: PyTensor[];
  shape: Shape | null;
  params?: number;
  trainableParams?: number;
  nonTrainableParams?: number;
  buffers?: number;
  macs?: number;
  scope?: string;
  /** Layer object applied; used for reuse detection (first application carries the params). */
  layer?: PyInstance;
  created?: SourceSite;
  opaque?: string;
  /** The layer's weights could not be sized (IRNode.paramsUnknown). */
  paramsUnknown?: boolean;
  /** Its output shape is only assumed to be its input's: the unmodelled class applied (shape-assumptions.ts). */
  assumesShapeOf?: string;
  /** Preferred id stem; the builder makes it unique and stable ("layer1/0/conv1", "conv2d_3"). */
  idHint?: string;
}

export interface GraphSink {
  /** Records a node and returns its id. */
  addNode(node: NewNode, applied: SourceSite): string;
  /** Gives a recorded node new shapes, MACs or attributes (a Keras model re-run at a given input size); false when there is no such node. */
  updateNode?(id: string, patch: NodeUpdate): boolean;
}

export interface NodeUpdate {
  shape?: Shape | null;
  inputShapes?: (Shape | null)[];
  macs?: number;
  attrs?: Record<string, JsonValue>;
  /** Weights of a layer first built at the re-run (its first run left its input size open): they go on the layer's first application. */
  params?: number;
  trainableParams?: number;
  nonTrainableParams?: number;
  /** Whether the layer's weights are still unsized (IRNode.paramsUnknown); like params, it goes on the layer's first application. */
  paramsUnknown?: boolean;
}

export interface NativeContext {
  /** Calls any Python callable (user function, class, bound method, builtin, callable instance). */
  call(fn: Value, args: Value[], kwargs?: Kwargs): Value;
  /** Full Python attribute lookup (instance dict, class MRO, properties, __getattr__). Raises AttributeError. */
  getAttr(obj: Value, name: string): Value;
  /** Attribute lookup that returns undefined instead of raising. */
  getAttrOrUndefined(obj: Value, name: string): Value | undefined;
  /**
   * The function `obj.name(...)` would call with `obj` first (a class function or builtin the instance
   * does not shadow), or undefined when the attribute is anything else: then use getAttr and call it.
   */
  methodOf(obj: Value, name: string): Value | undefined;
  /** `obj.name = value` honouring a class `__setattr__`. */
  setAttr(obj: Value, name: string, value: Value): void;
  /** Python truthiness. */
  truthy(v: Value): boolean;
  /** `repr()`-style text for messages. */
  repr(v: Value): string;
  /** Iterates any iterable value (list, tuple, range, dict keys, generator, ...). */
  iterate(v: Value): Value[];
  /** Raises a Python exception of the given type: never returns. */
  raise(pyType: string, message: string, code?: string): never;
  /** Emits a warning diagnostic at the current call site; returned, so that a stub can withdraw it. */
  warn(message: string, code?: string): Diagnostic;
  /**
   * Takes back a warning once what it says no longer holds (a Keras layer a first build could not
   * size is sized at the re-run at the --input size): the user never sees it.
   */
  withdraw(d: Diagnostic): void;
  /** Information at the current call site: something the user should know that is not a problem. */
  inform(message: string, code: string): void;
  /**
   * Emits an error diagnostic at the current call site WITHOUT raising, so analysis goes on
   * (e.g. a shape mismatch: report it, then return a best-guess tensor to keep the graph whole).
   */
  reportError(message: string, code: string): void;
  /** Where the current native call was made from, with the call stack. */
  site(): SourceSite;
  /** A warning at a recorded site (e.g. where a Keras Input was created) instead of the current call. */
  warnAt?(site: SourceSite, message: string, code?: string): void;
  /** The IR under construction. */
  graph: GraphSink;
  /** Raises `pyType(message)` as the model's own code would (an error, not a skipped statement). */
  raiseUserError?(pyType: string, message: string): never;
  /** The file being analysed, the script: sys.argv[0]. */
  mainFile?(): string | undefined;
  /** A module this analysis has loaded (or a stub), by dotted name: sys.modules. */
  loadedModule?(name: string): PyModule | undefined;
  /** Creates an instance of a (native) class without calling __init__. */
  newInstance(cls: PyClass): PyInstance;
  /** Per-analysis state for stubs (e.g. Keras layer-name counters), keyed by stub. */
  state: Map<string, unknown>;
  /** A module of the bundled Python zoo by dotted name, loaded once per analysis (stubs written in Python). */
  bundledModule?(dotted: string): PyModule | undefined;
}

export function isInstanceOf(v: Value, cls: PyClass): boolean {
  if (v.kind !== "instance") return false;
  return v.cls.mro.includes(cls);
}

/** Builds a native class. `base` classes must already exist. */
export function nativeClass(
  name: string,
  moduleName: string,
  bases: PyClass[],
  members: Record<string, Value>,
): PyClass {
  const cls: PyClass = {
    kind: "class",
    name,
    qualname: name,
    moduleName,
    bases,
    mro: [],
    dict: new Map(Object.entries(members)),
    native: true,
  };
  cls.mro = computeMro(cls);
  return cls;
}

/** C3 linearisation; falls back to depth-first order if the hierarchy is inconsistent. */
export function computeMro(cls: PyClass): PyClass[] {
  const seqs: PyClass[][] = cls.bases.map((b) => [...b.mro]);
  seqs.push([...cls.bases]);
  const out: PyClass[] = [cls];
  for (;;) {
    const nonEmpty = seqs.filter((s) => s.length > 0);
    if (nonEmpty.length === 0) return out;
    let head: PyClass | undefined;
    for (const s of nonEmpty) {
      const cand = s[0];
      if (!nonEmpty.some((t) => t.indexOf(cand) > 0)) {
        head = cand;
        break;
      }
    }
    if (!head) {
      for (const b of cls.bases) for (const c of b.mro) if (!out.includes(c)) out.push(c);
      return out;
    }
    out.push(head);
    for (const s of nonEmpty) if (s[0] === head) s.shift();
  }
}

/** The root class `object`; every class's MRO ends with it. */
export const OBJECT_CLASS: PyClass = {
  kind: "class",
  name: "object",
  qualname: "object",
  moduleName: "builtins",
  bases: [],
  mro: [],
  dict: new Map(),
  native: true,
};
OBJECT_CLASS.mro = [OBJECT_CLASS];

/** `object.__new__(cls)`, what a class's own `__new__` calls through super(); making an instance skips it. */
export const OBJECT_NEW: PyBuiltin = builtin("__new__", (a, _k, ctx) => {
  const cls = a[0];
  if (cls?.kind !== "class") throw new PyException("TypeError", "object.__new__(X): X is not a type object");
  return ctx.newInstance(cls);
});
OBJECT_CLASS.dict.set("__new__", OBJECT_NEW);

/** Class attribute lookup along the MRO (no binding, no instance dict). */
export function lookupClassAttr(cls: PyClass, name: string): Value | undefined {
  const mro = cls.mro;
  for (let i = 0; i < mro.length; i++) {
    const v = mro[i].dict.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * Stubs may keep some instance attributes out of `dict` until Python code works on the dict as a whole
 * (torch layers' config attributes: most are never read). Such a stub registers a function that
 * writes them in; vars(), __dict__, dir() and `del` go through settledDict first.
 */
const dictSettlers: ((o: PyInstance) => void)[] = [];

export function onSettleDict(settle: (o: PyInstance) => void): void {
  dictSettlers.push(settle);
}

/** The instance's dict with every attribute in it (see onSettleDict). */
export function settledDict(o: PyInstance): Map<string, Value> {
  for (const settle of dictSettlers) settle(o);
  return o.dict;
}

/** `__setattr__` implementations that take the name as a string: the runtime skips building a call. */
const DIRECT_SETATTR = new WeakMap<PyBuiltin, (ctx: NativeContext, self: PyInstance, name: string, value: Value) => void>();

export function directSetattr(
  name: string,
  fn: (ctx: NativeContext, self: PyInstance, attr: string, value: Value) => void,
): PyBuiltin {
  const b = builtin(name, (args, _kw, ctx) => {
    const self = args[0];
    const attr = args[1];
    if (self?.kind !== "instance" || attr?.kind !== "str") return ctx.raise("TypeError", `${name}() expects an object and an attribute name.`);
    fn(ctx, self, attr.v, args[2] ?? NONE);
    return NONE;
  });
  DIRECT_SETATTR.set(b, fn);
  return b;
}

export function directSetattrOf(v: Value): ((ctx: NativeContext, self: PyInstance, name: string, value: Value) => void) | undefined {
  return v.kind === "builtin" ? DIRECT_SETATTR.get(v) : undefined;
}
