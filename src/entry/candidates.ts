// Which models a file defines: module-level model assignments, factory functions that can be called
// without arguments, and model classes whose constructor has defaults for every parameter.

import type * as A from "../python/ast";
import type { Interpreter, ModuleInfo } from "../interp/interpreter";
import type { PyClass, Value } from "../interp/values";
import type { Framework } from "../ir/types";
import type { Range } from "../python/source";
import { frameworkOf } from "./frameworks";
import { MODULE_CLASS } from "../frameworks/torch/module";
import { ModelClass, SequentialClass } from "../frameworks/keras/model";

export interface EntryCandidate {
  /** The Python expression that builds the model: `resnet50()`, `Net()`, `model`. */
  expr: string;
  label: string;
  kind: "class" | "factory" | "assignment";
  framework: Framework;
  range: Range;
}

/** While ranking: a loss module is tried after every network; `model` is an assignment's value. */
type Ranked = EntryCandidate & { loss?: boolean; model?: Value };

/**
 * The framework base classes, taken directly rather than through stubModule("keras"): building the
 * whole Keras module for every PyTorch file (and the reverse) cost a cold CLI run several ms.
 */
export function modelBases(): { torch?: PyClass; keras: PyClass[] } {
  return { torch: MODULE_CLASS, keras: [ModelClass, SequentialClass] };
}

function callableWithoutArgs(params: A.Param[], skipFirst: boolean): boolean {
  return params.every((p, i) => (skipFirst && i === 0) || p.default !== undefined || p.kind === "vararg" || p.kind === "kwarg");
}

export function classFramework(cls: PyClass, bases: ReturnType<typeof modelBases>): Framework | undefined {
  if (bases.torch && cls.mro.includes(bases.torch)) return "pytorch";
  if (bases.keras.some((k) => cls.mro.includes(k))) return "keras";
  return undefined;
}

export function initParams(interp: Interpreter, cls: PyClass): A.Param[] | undefined {
  const init = interp.lookupClass(cls, "__init__");
  if (!init) return [];
  if (init.kind === "function") return init.params;
  return undefined; // a native __init__ (the framework's own): callable with defaults only if the class adds nothing
}

/** The candidates, most likely first, and the expressions of those that are loss modules (they come last). */
export function findEntryCandidates(interp: Interpreter, info: ModuleInfo): { entries: EntryCandidate[]; losses: Set<string> } {
  const body = info.ast?.body ?? [];
  const bases = modelBases();
  const assignments: Ranked[] = [];
  const factories: Ranked[] = [];
  const classes: Ranked[] = [];
  const range = (s: A.Span) => info.src.range(s.from, s.to);
  let criteria: Set<string> | undefined;
  for (const s of moduleLevelStatements(body)) {
    if (s.kind === "Assign" || s.kind === "AnnAssign") {
      const target = s.kind === "Assign" ? s.targets[0] : s.target;
      if (target?.kind !== "Name") continue;
      const v: Value | undefined = info.mod.dict.get(target.id);
      const fw = v ? frameworkOf(v) : undefined;
      if (fw) assignments.push({ expr: target.id, label: target.id, kind: "assignment", framework: fw, range: range(s), loss: isLoss(interp, v!) || CRITERION_NAME.test(target.id), model: v });
      // `resnet18 = _make_builder(...)`: a public function made by a call is a factory like a def.
      else if (v?.kind === "function" && !target.id.startsWith("_") && callableWithoutArgs(v.params, false)) {
        factories.push({ expr: `${target.id}()`, label: `${target.id}()`, kind: "factory", framework: "unknown", range: range(s) });
      }
    } else if (s.kind === "FunctionDef") {
      if (s.name.startsWith("_") || s.name === "main") continue;
      if (!callableWithoutArgs(s.params, false)) continue;
      factories.push({ expr: `${s.name}()`, label: `${s.name}()`, kind: "factory", framework: "unknown", range: range(s) });
    } else if (s.kind === "ClassDef") {
      const cls = info.mod.dict.get(s.name);
      if (cls?.kind !== "class") continue;
      const fw = classFramework(cls, bases);
      if (!fw) continue;
      const params = initParams(interp, cls);
      if (params === undefined || !callableWithoutArgs(params, true)) continue;
      criteria ??= criterionClasses(info.src.text);
      classes.push({ expr: `${s.name}()`, label: s.name, kind: "class", framework: fw, range: range(s), loss: isLossClass(interp, cls) || criteria.has(s.name) });
    }
  }
  // Most likely model first: an explicit module-level model, then factories in source order, then the
  // last default-constructible class (files define building blocks before the network). Losses
  // (`criterion = nn.BCELoss()`) are modules too, but never the network: they come last.
  const ranked = [...wholesFirst(interp, assignments.reverse()), ...factories, ...classes.reverse()];
  const seen = new Set<string>(); // `model = A()` then `model = B()`: one candidate, the last binding's
  const unique = [...ranked.filter((c) => !c.loss), ...ranked.filter((c) => c.loss)].filter((c) => !seen.has(c.expr) && seen.add(c.expr));
  return { entries: unique.map(({ loss: _, model: __, ...c }) => c), losses: new Set(unique.filter((c) => c.loss).map((c) => c.expr)) };
}

/**
 * The statements that run as the module loads: the body, and what `with` blocks (`with
 * strategy.scope():`, `with torch.no_grad():`) and `try` statements hold, as those run too. `if`
 * bodies stay out: `if __name__ == "__main__":` is the script's own run, not a model it defines.
 */
export function moduleLevelStatements(body: A.Stmt[]): A.Stmt[] {
  return body.flatMap((s): A.Stmt[] => {
    if (s.kind === "With") return moduleLevelStatements(s.body);
    if (s.kind === "Try") return moduleLevelStatements([...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.finalbody]);
    return [s];
  });
}

/**
 * Keras models that are parts of another candidate (every layer but the Inputs is among its layers:
 * an encoder cut from an autoencoder, seq2seq's inference decoder) after the wholes, which are what
 * the file trains.
 */
function wholesFirst(interp: Interpreter, assignments: Ranked[]): Ranked[] {
  const layers = new Map<Ranked, Set<Value>>();
  for (const a of assignments) {
    if (a.framework !== "keras" || !a.model) continue;
    try {
      const own = interp.iterate(interp.getAttr(a.model, "layers")).filter((l) => !(l.kind === "instance" && l.cls.name === "InputLayer"));
      layers.set(a, new Set(own)); // none but Inputs: a part of any model that has layers
    } catch {
      // A model whose layers cannot be listed keeps its place.
    }
  }
  const isPart = (a: Ranked): boolean => {
    const mine = layers.get(a);
    if (!mine) return false;
    for (const [b, theirs] of layers) {
      if (b !== a && theirs.size > mine.size && [...mine].every((l) => theirs.has(l))) return true;
    }
    return false;
  };
  return [...assignments.filter((a) => !isPart(a)), ...assignments.filter(isPart)];
}

/** A loss module: a class named like one in its bases (BCELoss, a user FocalLoss), or a forward that takes a target. */
export function isLossClass(interp: Interpreter, cls: PyClass): boolean {
  if (cls.mro.some((c) => /Loss$/.test(c.name))) return true;
  const forward = interp.lookupClass(cls, "forward");
  if (forward?.kind !== "function") return false;
  return forward.params.some((p, i) => i > 0 && p.default === undefined && TARGET_NAMES.test(p.name));
}

function isLoss(interp: Interpreter, v: Value): boolean {
  return v.kind === "instance" && isLossClass(interp, v.cls);
}

const TARGET_NAMES = /^(targets?|labels?|y_true|gt|ground_truth)$/;

/** A name that holds a loss: `criterion`, `self.criterionGAN` (CycleGAN), `loss_fn`. */
const CRITERION = String.raw`criterion\w*|loss_fn|loss_func\w*`;
const CRITERION_NAME = new RegExp(`^(?:${CRITERION})$`, "i");

/** The classes the file stores an instance of as its criterion: `self.criterionGAN = networks.GANLoss(...)`. */
function criterionClasses(text: string): Set<string> {
  return new Set([...text.matchAll(new RegExp(String.raw`\b(?:${CRITERION})\s*=\s*(?:[\w.]+\.)?(\w+)\s*\(`, "gi"))].map((m) => m[1]));
}
