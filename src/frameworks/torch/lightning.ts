// Lightning (`import lightning as L`, `import pytorch_lightning as pl`, `from lightning.pytorch import
// LightningModule`): a LightningModule is an nn.Module, so the model inside is found and counted. Its
// training-loop methods (log, log_dict, print) do nothing here; save_hyperparameters() gives
// `self.hparams` the constructor's arguments, as Lightning does, since models are sized from them.
// Other Lightning names (Trainer, callbacks) are unknown values, as an unmodelled module's are.

import { type Kwargs, type NativeContext, type PyClass, type PyInstance, type PyModule, type Value, NONE, OBJECT_CLASS, PyException, bool, builtin, int, list, nativeClass, str, tuple, unknownName } from "../../interp/values";
import { MODULE_CLASS } from "./module";

/** The arguments each LightningModule was constructed with, read by save_hyperparameters(). */
const constructedWith = new WeakMap<PyInstance, { args: Value[]; kwargs: Kwargs }>();

/**
 * Lightning's AttributeDict: the hyperparameters by name, read as attributes (`self.hparams.lr`) or
 * items (`self.hparams["lr"]`).
 */
const ATTRIBUTE_DICT_CLASS: PyClass = nativeClass("AttributeDict", "lightning.fabric.utilities.data", [OBJECT_CLASS], {
  __getitem__: builtin("__getitem__", (a, _k, ctx) => {
    const self = a[0] as PyInstance;
    const key = a[1];
    const v = key?.kind === "str" ? self.dict.get(key.v) : undefined;
    return v ?? ctx.raise("KeyError", key ? ctx.repr(key) : "");
  }),
  __setitem__: builtin("__setitem__", (a) => {
    if (a[1]?.kind === "str") (a[0] as PyInstance).dict.set(a[1].v, a[2] ?? NONE);
    return NONE;
  }),
  __contains__: builtin("__contains__", (a) => bool(a[1]?.kind === "str" && (a[0] as PyInstance).dict.has(a[1].v))),
  __len__: builtin("__len__", (a) => int((a[0] as PyInstance).dict.size)),
  __iter__: builtin("__iter__", (a) => ({ kind: "iterator", items: [...(a[0] as PyInstance).dict.keys()].map((k) => str(k)), index: 0 })),
  keys: builtin("keys", (a) => list([...(a[0] as PyInstance).dict.keys()].map((k) => str(k)))),
  values: builtin("values", (a) => list([...(a[0] as PyInstance).dict.values()])),
  items: builtin("items", (a) => list([...(a[0] as PyInstance).dict].map(([k, v]) => tuple([str(k), v])))),
  get: builtin("get", (a) => (a[1]?.kind === "str" ? (a[0] as PyInstance).dict.get(a[1].v) : undefined) ?? a[2] ?? NONE),
  __repr__: builtin("__repr__", (a, _k, ctx) => str(`{${[...(a[0] as PyInstance).dict].map(([k, v]) => `'${k}': ${ctx.repr(v)}`).join(", ")}}`)),
});

/**
 * The constructor's arguments by name, as Lightning collects them: every parameter of the class's
 * `__init__` but self and *args, with `**kwargs` spread out.
 */
function initArguments(ctx: NativeContext, self: PyInstance): Map<string, Value> {
  const out = new Map<string, Value>();
  const init = ctx.getAttrOrUndefined(self.cls, "__init__");
  const given = constructedWith.get(self);
  if (init?.kind !== "function" || !given) return out;
  const positional = given.args.slice();
  const keywords = new Map(given.kwargs);
  for (const p of init.params.slice(1)) {
    if (p.kind === "vararg") positional.length = 0;
    else if (p.kind === "kwarg") {
      for (const [k, v] of keywords) out.set(k, v);
      keywords.clear();
    } else {
      const v = (p.kind !== "kwonly" ? positional.shift() : undefined) ?? keywords.get(p.name) ?? init.defaults.get(p.name);
      keywords.delete(p.name);
      if (v !== undefined) out.set(p.name, v);
    }
  }
  return out;
}

/** save_hyperparameters(*args, ignore=None, frame=None, logger=True). */
function saveHyperparameters(ctx: NativeContext, self: PyInstance, names: Value[], ignore: Value | undefined): void {
  const hparams = ctx.newInstance(ATTRIBUTE_DICT_CLASS);
  const first = names[0];
  if (names.length === 1 && first.kind === "dict") {
    for (const e of first.map.values()) if (e.key.kind === "str") hparams.dict.set(e.key.v, e.value);
  } else if (names.length === 1 && first.kind === "instance" && first.cls !== ATTRIBUTE_DICT_CLASS) {
    for (const [k, v] of first.dict) hparams.dict.set(k, v); // an argparse or SimpleNamespace
  } else {
    const all = initArguments(ctx, self);
    const wanted = names.filter((n) => n.kind === "str").map((n) => (n as { v: string }).v);
    for (const [k, v] of all) if (wanted.length === 0 || wanted.includes(k)) hparams.dict.set(k, v);
  }
  const dropped = ignore === undefined || ignore.kind === "none" ? [] : ignore.kind === "str" ? [ignore] : ctx.iterate(ignore);
  for (const d of dropped) if (d.kind === "str") hparams.dict.delete(d.v);
  ctx.setAttr(self, "hparams", hparams);
}

const doesNothing = (name: string) => builtin(name, () => NONE);

export const LIGHTNING_MODULE_CLASS: PyClass = nativeClass("LightningModule", "lightning.pytorch", [MODULE_CLASS], {
  // Made as object.__new__ makes it; what it was called with is kept for save_hyperparameters().
  __new__: builtin("LightningModule.__new__", (a, k, ctx) => {
    const cls = a[0];
    if (cls?.kind !== "class") throw new PyException("TypeError", "LightningModule.__new__(X): X is not a type object");
    const self = ctx.newInstance(cls);
    constructedWith.set(self, { args: a.slice(1), kwargs: new Map(k) });
    return self;
  }),
  save_hyperparameters: builtin("LightningModule.save_hyperparameters", (a, k, ctx) => {
    saveHyperparameters(ctx, a[0] as PyInstance, a.slice(1), k.get("ignore"));
    return NONE;
  }),
  log: doesNothing("LightningModule.log"),
  log_dict: doesNothing("LightningModule.log_dict"),
  print: doesNothing("LightningModule.print"),
});

/** LightningDataModule: data code only; a base class that exists, so subclasses are analysed whole. */
const LIGHTNING_DATA_MODULE_CLASS: PyClass = nativeClass("LightningDataModule", "lightning.pytorch", [OBJECT_CLASS], {
  __init__: doesNothing("LightningDataModule.__init__"),
  save_hyperparameters: doesNothing("LightningDataModule.save_hyperparameters"),
});

const CALLBACK_CLASS: PyClass = nativeClass("Callback", "lightning.pytorch", [OBJECT_CLASS], {});

/** A Lightning module: the names above, and an unknown value for any other. */
function lightningModule(qualified: string, members: Record<string, Value>): PyModule {
  const dict = new Map<string, Value>(Object.entries(members));
  dict.set("__getattr__", builtin(`${qualified}.__getattr__`, (a) => unknownName(`${qualified}.${a[0]?.kind === "str" ? a[0].v : "?"}`)));
  return { kind: "module", name: qualified, dict };
}

function pytorchMembers(): Record<string, Value> {
  return {
    LightningModule: LIGHTNING_MODULE_CLASS,
    LightningDataModule: LIGHTNING_DATA_MODULE_CLASS,
    Callback: CALLBACK_CLASS,
    seed_everything: builtin("seed_everything", (a) => a[0] ?? int(0)),
  };
}

/** The importable Lightning modules, by dotted name; `get` gives another of them. */
export function lightningStubs(get: (name: string) => PyModule): Record<string, () => PyModule> {
  return {
    lightning: () => lightningModule("lightning", { ...pytorchMembers(), pytorch: get("lightning.pytorch") }),
    "lightning.pytorch": () => lightningModule("lightning.pytorch", { ...pytorchMembers(), core: get("lightning.pytorch.core") }),
    "lightning.pytorch.core": () => lightningModule("lightning.pytorch.core", pytorchMembers()),
    pytorch_lightning: () => lightningModule("pytorch_lightning", { ...pytorchMembers(), core: get("pytorch_lightning.core") }),
    "pytorch_lightning.core": () => lightningModule("pytorch_lightning.core", pytorchMembers()),
  };
}
