// Per-object and per-analysis bookkeeping of the torch stubs: each Module instance keeps a
// ModuleState in `native`; each analysis keeps a TorchState (the forward call stack) in ctx.state.

import type { SourceSite } from "../../ir/types";
import type { NativeContext, PyInstance, Value } from "../../interp/values";
import type { LazyAttrs } from "./lazy-attrs";

export interface ModuleState {
  tag: "torch-module";
  // The three maps are read-only here: they may be the one shared empty map. Write through writable().
  /** Registered submodules in registration order (PyTorch's `_modules`). */
  children: ReadonlyMap<string, PyInstance>;
  /** Registered nn.Parameters (`_parameters`); null keeps a name registered without a value. */
  params: ReadonlyMap<string, PyInstance | null>;
  /** Registered buffers (`_buffers`) and their element counts. */
  buffers: ReadonlyMap<string, { value: Value; numel: number }>;
  /** First module this one was registered under: defines its scope path. */
  parent?: { module: PyInstance; name: string };
  /** Where the module was constructed. */
  created?: SourceSite;
  training: boolean;
  /** True for stub layers that make their own graph node (their params appear on it). */
  makesNode: boolean;
  /** Parsed constructor arguments of a stub layer (shape of the object depends on the layer). */
  config?: unknown;
  /** A stub layer's config attributes not yet in its dict (see lazy-attrs.ts). */
  lazyAttrs: LazyAttrs | undefined;
  /** The module's scope path ("layer1/0/conv1"), valid while pathGeneration is current (see noteParentLinked). */
  pathText: string;
  /** parentGeneration when pathText was computed; -1 before. */
  pathGeneration: number;
  /** Traversal stamp, so tree walks need no visited set. */
  visit: number;
}

/** State of a Parameter or a detached (non-graph) tensor such as a BN running-stat buffer. */
export interface DetachedTensorState {
  tag: "torch-detached";
  shape: number[];
  /** Element count of `shape`: totals read it for every parameter on every run. */
  numel: number;
  isParameter: boolean;
  /** Module and attribute the tensor was first registered under. */
  owner?: { module: PyInstance; name: string };
  /** Traversal stamp, so parameter totals need no seen set. */
  visit: number;
  /** A Parameter made from a tensor of a shape not known (`nn.Parameter(torch.zeros(n, 3))`, n unknown): where, for messages. */
  unsized?: string;
}

export interface TorchState {
  /** Modules whose `forward` is running, innermost last. */
  stack: PyInstance[];
}

export function torchState(ctx: NativeContext): TorchState {
  let s = ctx.state.get("torch") as TorchState | undefined;
  if (!s) {
    s = { stack: [] };
    ctx.state.set("torch", s);
  }
  return s;
}

export function isModuleState(n: unknown): n is ModuleState {
  return typeof n === "object" && n !== null && (n as ModuleState).tag === "torch-module";
}

export function isDetached(v: Value): v is PyInstance & { native: DetachedTensorState } {
  return v.kind === "instance" && (v.native as DetachedTensorState | undefined)?.tag === "torch-detached";
}

/**
 * The shared empty map every ModuleState starts with: most modules have no children and many no
 * buffers, and a ResNet makes hundreds of modules per analysis. ModuleState types it read-only;
 * writers go through writable().
 */
const NO_ENTRIES: ReadonlyMap<never, never> = new Map<never, never>();

type Writable<M> = M extends ReadonlyMap<infer K, infer V> ? Map<K, V> : never;

type MapKey = "children" | "params" | "buffers";

/**
 * A map of this state that may be written: replaces the shared empty one on first write. Each field
 * is read by name (not `st[key]`): a computed key makes these calls megamorphic keyed loads.
 */
export function writable<K extends MapKey>(st: ModuleState, key: K): Writable<ModuleState[K]> {
  if (key === "children") {
    if (st.children === NO_ENTRIES) st.children = new Map();
    return st.children as Writable<ModuleState[K]>;
  }
  if (key === "params") {
    if (st.params === NO_ENTRIES) st.params = new Map();
    return st.params as Writable<ModuleState[K]>;
  }
  if (st.buffers === NO_ENTRIES) st.buffers = new Map();
  return st.buffers as Writable<ModuleState[K]>;
}

/** Removes `name` from one of the state's maps (nothing to do on the shared empty one). */
export function forget(st: ModuleState, key: MapKey, name: string): void {
  const m: ReadonlyMap<string, unknown> = key === "children" ? st.children : key === "params" ? st.params : st.buffers;
  if (m !== NO_ENTRIES) (m as Map<string, unknown>).delete(name);
}

/** The module's state, created on first use so a subclass that forgot `super().__init__()` still works. */
export function moduleState(self: PyInstance): ModuleState {
  if (!isModuleState(self.native)) {
    self.native = {
      tag: "torch-module",
      children: NO_ENTRIES,
      params: NO_ENTRIES,
      buffers: NO_ENTRIES,
      // Every field from the start (optional ones too): all module states then share one hidden
      // class, so reads like `st.children` stay monomorphic.
      parent: undefined,
      created: undefined,
      training: true,
      makesNode: false,
      config: undefined,
      lazyAttrs: undefined,
      pathText: "",
      pathGeneration: -1,
      visit: 0,
    } satisfies ModuleState;
  }
  return self.native as ModuleState;
}

/** Bumped whenever a parent link is set: cached paths older than this are stale. */
let parentGeneration = 0;

export function noteParentLinked(): void {
  parentGeneration++;
}

/** The module's scope path, cached on its state until a parent link changes. */
function cachedPathText(m: PyInstance, depth = 0): string {
  const st = moduleState(m);
  if (st.pathGeneration === parentGeneration) return st.pathText;
  const p = st.parent;
  // registerChild refuses links that would close a cycle; the depth cap is a second guard.
  if (!p || depth > MAX_MODULE_DEPTH) return "";
  const above = cachedPathText(p.module, depth + 1);
  st.pathText = above ? `${above}/${p.name}` : p.name;
  st.pathGeneration = parentGeneration;
  return st.pathText;
}

const MAX_MODULE_DEPTH = 10_000;

/** Attribute names from the root module down to this one (empty for a root). Built on each call: only messages need it. */
export function modulePath(m: PyInstance): string[] {
  const names: string[] = [];
  for (let cur = m, depth = 0; depth <= MAX_MODULE_DEPTH; depth++) {
    const p = moduleState(cur).parent;
    if (!p) break;
    names.push(p.name);
    cur = p.module;
  }
  return names.reverse();
}

/** The module path as a scope ("layer1/0/conv1"; "" for a root). */
export function modulePathText(m: PyInstance): string {
  return cachedPathText(m);
}

/** Scope of the module currently running `forward` ("" outside any module or at the root). */
export function currentScope(ctx: NativeContext): string {
  const st = torchState(ctx).stack;
  const top = st[st.length - 1];
  return top ? scopeOf(ctx, top) : "";
}

/**
 * Scope path of a module ("layer1/0/conv1"). A module with no parent that is applied inside another
 * module's forward (e.g. `nn.ReLU()(x)` built on the fly) is placed under that module.
 */
export function scopeOf(ctx: NativeContext, m: PyInstance): string {
  const own = modulePathText(m);
  if (own !== "") return own;
  const st = torchState(ctx).stack;
  let outer: PyInstance | undefined;
  for (let i = st.length - 1; i >= 0 && !outer; i--) if (st[i] !== m) outer = st[i];
  if (!outer || st[0] === m) return "";
  const base = modulePathText(outer);
  const leaf = m.cls.name.toLowerCase();
  return base ? `${base}/${leaf}` : leaf;
}

/** Dotted module path for messages: `'layer1.0.conv1'`, or "" for a root module. */
export function dottedLabel(m: PyInstance): string {
  const path = modulePath(m);
  return path.length ? ` '${path.join(".")}'` : "";
}
