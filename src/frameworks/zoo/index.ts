// The bundled model zoo: our own Python implementations of torchvision.models and
// keras.applications (src/frameworks/zoo/python), loaded by the interpreter like workspace modules
// when model code imports them, so `models.resnet50()` or `keras.applications.ResNet50(...)` in a
// user's file builds the real architecture. A workspace module of the same name takes precedence,
// as the script's folder comes first on Python's sys.path.

import type { ModuleSource } from "../../interp/runtime";
import { resolveImport } from "../../entry/imports";
import { BUNDLED_PYTHON } from "./bundled-python";
import { BUNDLED_ROOT, isBundledFile } from "../../ir/user-site";


/** Other spellings of the same packages: `tf.keras.applications` and Keras 3's private `keras.src`. */
const ALIASES: [prefix: string, canonical: string][] = [
  ["tensorflow.keras.", "keras."],
  ["tensorflow.python.keras.", "keras."],
  ["keras.src.applications.", "keras.applications."],
];

function canonical(dotted: string): string {
  for (const [prefix, to] of ALIASES) if (dotted.startsWith(prefix)) return to + dotted.slice(prefix.length);
  return dotted;
}

function readBundled(path: string): string | undefined {
  return isBundledFile(path) ? BUNDLED_PYTHON[path.slice(BUNDLED_ROOT.length)] : undefined;
}

/**
 * The bundled module that `import dotted` (level 0) or a relative import inside a bundled module
 * (level > 0, `from` a bundled file) names; undefined when the zoo has none.
 */
export function resolveBundled(from: string, dotted: string, level: number): ModuleSource | undefined {
  if (level > 0) return isBundledFile(from) ? resolveImport(readBundled, from, dotted, level) : undefined;
  const stem = BUNDLED_ROOT + canonical(dotted).split(".").join("/");
  for (const file of [`${stem}.py`, `${stem}/__init__.py`]) {
    const text = readBundled(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}
