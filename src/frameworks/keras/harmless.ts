// Stand-ins for the parts of Keras/TensorFlow that do not affect the graph (optimizers,
// regularizers, initializers, callbacks, tf.config, ...): callable, any attribute, no effect.

import { type PyClass, type PyModule, type Value, NONE, OBJECT_CLASS, builtin, nativeClass, unknown } from "../../interp/values";

const classes = new Map<string, PyClass>();

/** A class whose instances accept any call and attribute, each giving another harmless object. */
export function harmlessClass(name: string, moduleName: string): PyClass {
  const key = `${moduleName}.${name}`;
  const hit = classes.get(key);
  if (hit) return hit;
  // What a call of an unmodelled function gives is named by that call (`tf.config.list_physical_devices()`).
  const label = moduleName.endsWith(`.${name}`) ? `${moduleName}()` : key;
  const cls: PyClass = nativeClass(name, moduleName, [OBJECT_CLASS], {
    __init__: builtin("__init__", () => NONE),
    __call__: builtin("__call__", (_args, _kw, ctx) => ctx.newInstance(cls)),
    __getattr__: builtin("__getattr__", (args, _kw, ctx) => {
      const attr = args[1]?.kind === "str" ? args[1].v : "attr";
      return ctx.newInstance(harmlessClass(attr, key));
    }),
    // Its items are what the real object would hold (devices, a dataset's batches, an image's size):
    // values the analyzer cannot know, not a TypeError blaming the code that reads them.
    __iter__: builtin("__iter__", () => unknown(`the items of ${label}, which the analyzer does not model`)),
    __getitem__: builtin("__getitem__", () => unknown(`an item of ${label}, which the analyzer does not model`)),
  });
  classes.set(key, cls);
  return cls;
}

/** Module-level PEP 562 `__getattr__` making a harmless object for any missing name. */
export function harmlessGetattr(moduleName: string): Value {
  return builtin("__getattr__", (args, _kw, ctx) => {
    const name = args[0]?.kind === "str" ? args[0].v : "attr";
    // Capitalised names are classes (keras.optimizers.Adam); others are functions/objects we make instances of.
    if (/^[A-Z]/.test(name)) return harmlessClass(name, moduleName);
    return ctx.newInstance(harmlessClass(name, moduleName));
  });
}

export function makeModule(name: string, members: Record<string, Value>, harmlessRest = false): PyModule {
  const dict = new Map<string, Value>(Object.entries(members));
  if (harmlessRest && !dict.has("__getattr__")) dict.set("__getattr__", harmlessGetattr(name));
  dict.set("__name__", { kind: "str", v: name });
  return { kind: "module", name, dict };
}
