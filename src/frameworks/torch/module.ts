// nn.Module: child/parameter/buffer registration through __setattr__, __call__ -> forward with the
// module stack that gives functional ops their scope, and the traversal methods init loops use.

import {
  type Kwargs,
  type NativeContext,
  type PyInstance,
  type PyClass,
  type Value,
  NONE,
  OBJECT_CLASS,
  TRUE,
  bool,
  builtin,
  dict,
  directSetattr,
  nativeClass,
  str,
  tuple,
} from "../../interp/values";
import { bindArgs, toBool, toStr } from "../../interp/args";
import { type DetachedTensorState, forget, isDetached, moduleState, noteParentLinked, torchState, writable } from "./state";
import { isParameter } from "./tensor-class";
import { warnUnsizedParameter } from "./unsized-parameter";
import { lazyAttr, settleBeforeWriting } from "./lazy-attrs";

const iter = (items: Value[]): Value => ({ kind: "iterator", items, index: 0 });

function selfModule(ctx: NativeContext, v: Value | undefined, method: string): PyInstance {
  if (!v || !isTorchModule(v)) return ctx.raise("TypeError", `Module.${method}() must be called on a Module.`);
  return v;
}

export function isTorchModule(v: Value): v is PyInstance {
  return v.kind === "instance" && v.cls.mro.includes(MODULE_CLASS);
}

/** Registers `child` under `name` (replacing a previous child of that name; the first parent wins). */
export function registerChild(self: PyInstance, name: string, child: PyInstance): void {
  const st = moduleState(self);
  forget(st, "params", name);
  forget(st, "buffers", name);
  writable(st, "children").set(name, child);
  const cs = moduleState(child);
  if (!cs.parent && !isAncestorOrSelf(child, self)) {
    cs.parent = { module: self, name };
    noteParentLinked();
  }
  settleBeforeWriting(self, name);
  self.dict.set(name, child);
}

/** True when `m` is `of` or one of its parents: a back-reference such as `self.child.owner = self`. */
function isAncestorOrSelf(m: PyInstance, of: PyInstance): boolean {
  for (let cur: PyInstance | undefined = of, n = 0; cur && n < 10_000; n++) {
    if (cur === m) return true;
    cur = moduleState(cur).parent?.module;
  }
  return false;
}

export function registerParam(self: PyInstance, name: string, p: PyInstance | null): void {
  const st = moduleState(self);
  forget(st, "children", name);
  writable(st, "params").set(name, p);
  if (p && isDetached(p) && !p.native.owner) p.native.owner = { module: self, name };
  settleBeforeWriting(self, name);
  self.dict.set(name, p ?? NONE);
}

export function registerBuffer(self: PyInstance, name: string, value: Value): void {
  const detached = isDetached(value);
  writable(moduleState(self), "buffers").set(name, { value, numel: detached ? value.native.numel : graphTensorNumel(value) });
  if (detached && !value.native.owner) value.native.owner = { module: self, name };
  settleBeforeWriting(self, name);
  self.dict.set(name, value);
}

/** Elements of a graph tensor (unknown dims count 1); 0 for a value that is no tensor. */
function graphTensorNumel(v: Value): number {
  return v.kind === "tensor" ? v.shape.reduce<number>((a, b) => a * (b ?? 1), 1) : 0;
}

function setattr(ctx: NativeContext, self: PyInstance, name: string, value: Value): void {
  const st = moduleState(self);
  if (isTorchModule(value)) return registerChild(self, name, value);
  if (isParameter(value)) {
    const p = value as PyInstance & { native: DetachedTensorState };
    if (p.native.unsized !== undefined) warnUnsizedParameter(ctx, self, name, p);
    return registerParam(self, name, value);
  }
  if (st.params.has(name)) {
    if (value.kind !== "none") {
      ctx.raise("TypeError", `Cannot assign ${ctx.repr(value)} as parameter '${name}': a Parameter or None is expected.`);
    }
    return registerParam(self, name, null);
  }
  if (st.children.has(name) && value.kind === "none") forget(st, "children", name);
  if (st.buffers.has(name)) return registerBuffer(self, name, value);
  settleBeforeWriting(self, name);
  self.dict.set(name, value);
}

/** Unique modules of the tree, preorder (PyTorch's modules()), without building names. */
export function uniqueModules(root: PyInstance): PyInstance[] {
  const out: PyInstance[] = [];
  const stamp = ++visitStamp;
  const stack: PyInstance[] = [root];
  while (stack.length > 0) {
    const m = stack.pop()!;
    const st = moduleState(m);
    if (st.visit === stamp) continue;
    st.visit = stamp;
    out.push(m);
    // Children reversed in place on the stack so they come off in registration order (preorder).
    const first = stack.length;
    for (const c of st.children.values()) stack.push(c);
    for (let i = first, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i];
      stack[i] = stack[j];
      stack[j] = t;
    }
  }
  return out;
}

let visitStamp = 0;

/** Unique modules of the tree, preorder, with dotted names (PyTorch's named_modules). */
export function namedModules(root: PyInstance): [string, PyInstance][] {
  const out: [string, PyInstance][] = [];
  const seen = new Set<PyInstance>();
  const walk = (m: PyInstance, prefix: string) => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push([prefix, m]);
    for (const [n, c] of moduleState(m).children) walk(c, prefix ? `${prefix}.${n}` : n);
  };
  walk(root, "");
  return out;
}

/** Unique parameters of the tree with dotted names (shared parameters once). */
export function namedParameters(root: PyInstance, recurse = true): [string, PyInstance][] {
  const out: [string, PyInstance][] = [];
  const seen = new Set<PyInstance>();
  const mods: [string, PyInstance][] = recurse ? namedModules(root) : [["", root]];
  for (const [prefix, m] of mods) {
    for (const [n, p] of moduleState(m).params) {
      if (!p || seen.has(p)) continue;
      seen.add(p);
      out.push([prefix ? `${prefix}.${n}` : n, p]);
    }
  }
  return out;
}

const returnsSelf = (name: string) => builtin(`Module.${name}`, (args) => args[0] ?? NONE);

function setTraining(root: PyInstance, mode: boolean): void {
  for (const [, m] of namedModules(root)) {
    moduleState(m).training = mode;
    m.dict.set("training", bool(mode));
  }
}

const members: Record<string, Value> = {
  __init__: builtin("Module.__init__", (args, _kw, ctx) => {
    const self = args[0] as PyInstance;
    const st = moduleState(self);
    st.created ??= ctx.site();
    self.dict.set("training", TRUE);
    return NONE;
  }),
  __setattr__: directSetattr("Module.__setattr__", (ctx, self, name, value) => setattr(ctx, selfModule(ctx, self, "__setattr__"), name, value)),
  // Reached for names missing from the instance dict, and when model code calls
  // `self.__getattr__(name)` itself: PyTorch then answers from _parameters, _buffers and _modules.
  // Here also a stub layer's config attributes that are not in its dict yet (lazy-attrs.ts).
  __getattr__: builtin("Module.__getattr__", (args, _kw, ctx) => {
    const self = args[0] as PyInstance;
    const name = args[1]?.kind === "str" ? args[1].v : "?";
    const st = moduleState(self);
    const registered = st.children.get(name) ?? st.buffers.get(name)?.value ?? (st.params.has(name) ? (st.params.get(name) ?? NONE) : undefined);
    if (registered !== undefined) return registered;
    const deferred = lazyAttr(self, name);
    if (deferred !== undefined) return deferred;
    return ctx.raise("AttributeError", `'${self.cls.name}' object has no attribute '${name}'.`);
  }),
  __call__: builtin("Module.__call__", (args, kwargs, ctx) => {
    const self = selfModule(ctx, args[0], "__call__");
    const stack = torchState(ctx).stack;
    const depth = stack.length;
    stack.push(self);
    try {
      // The class's forward gets `args` as they are (self first): no bound method, no copy.
      const forward = ctx.methodOf(self, "forward");
      if (forward) return ctx.call(forward, args, kwargs);
      return ctx.call(ctx.getAttr(self, "forward"), args.slice(1), kwargs);
    } finally {
      stack.length = depth;
    }
  }),
  forward: builtin("Module.forward", (args, _kw, ctx) => {
    const self = args[0] as PyInstance;
    return ctx.raise("NotImplementedError", `Module '${self.cls.name}' is missing the required 'forward' method.`);
  }),
  add_module: builtin("Module.add_module", (args, kwargs, ctx) => addModule(ctx, args, kwargs, "add_module")),
  register_module: builtin("Module.register_module", (args, kwargs, ctx) => addModule(ctx, args, kwargs, "register_module")),
  register_buffer: builtin("Module.register_buffer", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "register_buffer", args, kwargs, ["self", "name", "tensor", "persistent="]);
    registerBuffer(selfModule(ctx, a.self, "register_buffer"), toStr(ctx, a.name, "name"), a.tensor ?? NONE);
    return NONE;
  }),
  register_parameter: builtin("Module.register_parameter", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "register_parameter", args, kwargs, ["self", "name", "param"]);
    const self = selfModule(ctx, a.self, "register_parameter");
    const p = a.param!;
    if (p.kind !== "none" && !isParameter(p)) ctx.raise("TypeError", `register_parameter() expects a Parameter or None, got ${ctx.repr(p)}.`);
    const name = toStr(ctx, a.name, "name");
    if (isParameter(p) && p.native.unsized !== undefined) warnUnsizedParameter(ctx, self, name, p);
    registerParam(self, name, p.kind === "none" ? null : (p as PyInstance));
    return NONE;
  }),
  modules: builtin("Module.modules", (args, _kw, ctx) =>
    iter(uniqueModules(selfModule(ctx, args[0], "modules"))),
  ),
  named_modules: builtin("Module.named_modules", (args, _kw, ctx) =>
    iter(namedModules(selfModule(ctx, args[0], "named_modules")).map(([n, m]) => tuple([str(n), m]))),
  ),
  children: builtin("Module.children", (args, _kw, ctx) =>
    iter(uniqueChildren(selfModule(ctx, args[0], "children")).map(([, m]) => m)),
  ),
  named_children: builtin("Module.named_children", (args, _kw, ctx) =>
    iter(uniqueChildren(selfModule(ctx, args[0], "named_children")).map(([n, m]) => tuple([str(n), m]))),
  ),
  parameters: builtin("Module.parameters", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "parameters", args, kwargs, ["self", "recurse="]);
    const ps = namedParameters(selfModule(ctx, a.self, "parameters"), toBool(ctx, a.recurse, true));
    return iter(ps.map(([, p]) => p));
  }),
  named_parameters: builtin("Module.named_parameters", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "named_parameters", args, kwargs, ["self", "prefix=", "recurse="]);
    const ps = namedParameters(selfModule(ctx, a.self, "named_parameters"), toBool(ctx, a.recurse, true));
    return iter(ps.map(([n, p]) => tuple([str(n), p])));
  }),
  buffers: builtin("Module.buffers", (args, _kw, ctx) => {
    const self = selfModule(ctx, args[0], "buffers");
    return iter(namedModules(self).flatMap(([, m]) => [...moduleState(m).buffers.values()].map((b) => b.value)));
  }),
  apply: builtin("Module.apply", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "apply", args, kwargs, ["self", "fn"]);
    const self = selfModule(ctx, a.self, "apply");
    // PyTorch applies fn to the children first, then to the module itself.
    const visit = (m: PyInstance, seen: Set<PyInstance>) => {
      for (const [, c] of moduleState(m).children) visit(c, seen);
      if (seen.has(m)) return;
      seen.add(m);
      ctx.call(a.fn!, [m]);
    };
    visit(self, new Set());
    return self;
  }),
  train: builtin("Module.train", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "train", args, kwargs, ["self", "mode="]);
    const self = selfModule(ctx, a.self, "train");
    setTraining(self, toBool(ctx, a.mode, true));
    return self;
  }),
  eval: builtin("Module.eval", (args, _kw, ctx) => {
    const self = selfModule(ctx, args[0], "eval");
    setTraining(self, false);
    return self;
  }),
  requires_grad_: builtin("Module.requires_grad_", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "requires_grad_", args, kwargs, ["self", "requires_grad="]);
    const self = selfModule(ctx, a.self, "requires_grad_");
    const on = bool(toBool(ctx, a.requires_grad, true));
    for (const [, p] of namedParameters(self)) p.dict.set("requires_grad", on);
    return self;
  }),
  zero_grad: builtin("Module.zero_grad", () => NONE),
  extra_repr: builtin("Module.extra_repr", () => str("")),
  state_dict: builtin("Module.state_dict", () => dict()),
  load_state_dict: builtin("Module.load_state_dict", () => NONE),
  register_forward_hook: builtin("Module.register_forward_hook", () => NONE),
  register_forward_pre_hook: builtin("Module.register_forward_pre_hook", () => NONE),
  register_full_backward_hook: builtin("Module.register_full_backward_hook", () => NONE),
  get_submodule: builtin("Module.get_submodule", (args, kwargs, ctx) => {
    const a = bindArgs(ctx, "get_submodule", args, kwargs, ["self", "target"]);
    let m = selfModule(ctx, a.self, "get_submodule");
    const target = toStr(ctx, a.target, "target");
    for (const part of target ? target.split(".") : []) {
      m = moduleState(m).children.get(part) ?? ctx.raise("AttributeError", `'${m.cls.name}' has no submodule '${part}' (looking up '${target}').`);
    }
    return m;
  }),
};
for (const n of ["to", "cuda", "cpu", "half", "float", "double", "bfloat16", "type", "share_memory"]) {
  members[n] = returnsSelf(n);
}

function addModule(ctx: NativeContext, args: Value[], kwargs: Kwargs, fnName: string): Value {
  const a = bindArgs(ctx, fnName, args, kwargs, ["self", "name", "module"]);
  const self = selfModule(ctx, a.self, fnName);
  const name = toStr(ctx, a.name, "name");
  const m = a.module!;
  if (m.kind === "none") forget(moduleState(self), "children", name);
  else if (!isTorchModule(m)) ctx.raise("TypeError", `${fnName}() expects a Module, got ${ctx.repr(m)}.`);
  else registerChild(self, name, m);
  return NONE;
}

function uniqueChildren(m: PyInstance): [string, PyInstance][] {
  const seen = new Set<PyInstance>();
  const out: [string, PyInstance][] = [];
  for (const [n, c] of moduleState(m).children) {
    if (seen.has(c)) continue;
    seen.add(c);
    out.push([n, c]);
  }
  return out;
}

export const MODULE_CLASS: PyClass = nativeClass("Module", "torch.nn", [OBJECT_CLASS], members);
