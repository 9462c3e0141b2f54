// Why a file gives no model when no entry was named. A file whose model classes all need constructor
// arguments (pytorch/examples word_language_model's `RNNModel(rnn_type, ntoken, ninp, nhid, nlayers)`),
// or whose model factories need arguments (CycleGAN's `define_G(input_nc, output_nc, ngf, netG)`),
// does define a model: the message says so, names the arguments and shows how to pass the call.

import type * as A from "../python/ast";
import type { Interpreter, ModuleInfo } from "../interp/interpreter";
import { type EntryCandidate, classFramework, initParams, isLossClass, modelBases, moduleLevelStatements } from "./candidates";

/** A module-level model class whose constructor has parameters without defaults. */
export interface ClassNeedingArguments {
  name: string;
  /** Its parameters that need a value, in order (self, *args and **kwargs left out). */
  required: string[];
  statement: A.ClassDef;
}

/** A model class, or a public function that builds a model, that cannot be called without arguments. */
export type ModelNeedingArguments = ClassNeedingArguments | { name: string; required: string[]; statement: A.FunctionDef };

const NAMED_AT_MOST = 4;

export function classesNeedingArguments(interp: Interpreter, info: ModuleInfo): ClassNeedingArguments[] {
  const bases = modelBases();
  const out: ClassNeedingArguments[] = [];
  for (const s of moduleLevelStatements(info.ast?.body ?? [])) {
    if (s.kind !== "ClassDef") continue;
    const cls = info.mod.dict.get(s.name);
    // A loss (CycleGAN's GANLoss(gan_mode)) needs arguments too, but it is not the model.
    if (cls?.kind !== "class" || !classFramework(cls, bases) || isLossClass(interp, cls)) continue;
    const params = initParams(interp, cls);
    const required = (params ?? []).slice(1).filter((p) => p.default === undefined && p.kind !== "vararg" && p.kind !== "kwarg").map((p) => p.name);
    if (required.length > 0) out.push({ name: s.name, required, statement: s });
  }
  return out;
}

/** Calls that build a framework model directly: `nn.Sequential(...)`, `keras.Model(...)`, `Sequential()`. */
const FRAMEWORK_MODEL_CALL = /\b(?:Model|Sequential)\s*\(/;

/**
 * The public module-level functions that build a model but need arguments: their body calls a model
 * class of the file, `Model(`/`Sequential(`, or a function (private ones included, such as
 * torchvision's `_resnet`) that does. Read from the source, since calling them needs the arguments.
 */
export function factoriesNeedingArguments(interp: Interpreter, info: ModuleInfo): ModelNeedingArguments[] {
  const bases = modelBases();
  const functions: A.FunctionDef[] = [];
  const models: string[] = [];
  for (const s of moduleLevelStatements(info.ast?.body ?? [])) {
    if (s.kind === "FunctionDef") functions.push(s);
    else if (s.kind === "ClassDef") {
      const cls = info.mod.dict.get(s.name);
      if (cls?.kind === "class" && classFramework(cls, bases) && !isLossClass(interp, cls)) models.push(s.name);
    }
  }
  const text = info.src.text;
  const builders = new Set<string>();
  const calls = (f: A.FunctionDef, names: Iterable<string>) => [...names].some((n) => new RegExp(`\\b${n}\\s*\\(`).test(bodyOf(text, f)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of functions) {
      if (builders.has(f.name)) continue;
      if (FRAMEWORK_MODEL_CALL.test(bodyOf(text, f)) || calls(f, models) || calls(f, builders)) {
        builders.add(f.name);
        grew = true;
      }
    }
  }
  return functions
    .filter((f) => builders.has(f.name) && !f.name.startsWith("_") && f.name !== "main")
    .map((f) => ({ name: f.name, required: f.params.filter((p) => p.default === undefined && p.kind !== "vararg" && p.kind !== "kwarg").map((p) => p.name), statement: f }))
    .filter((f) => f.required.length > 0);
}

/** Model classes and factories that need arguments, in source order. */
export function modelsNeedingArguments(interp: Interpreter, info: ModuleInfo, classes: ClassNeedingArguments[]): ModelNeedingArguments[] {
  return [...classes, ...factoriesNeedingArguments(interp, info)].sort((a, b) => a.statement.from - b.statement.from);
}

/**
 * The model to show in the example: the first that no other of these mentions (the others are its
 * building blocks, such as a PositionalEncoding used by a TransformerModel, or the class a factory
 * builds), else the first.
 */
export function likelyModel(models: ModelNeedingArguments[], text: string): ModelNeedingArguments {
  const mentions = (user: ModelNeedingArguments, name: string) => new RegExp(`\\b${name}\\b`).test(bodyOf(text, user.statement));
  return models.find((c) => !models.some((o) => o !== c && mentions(o, c.name))) ?? models[0];
}

/** The source of a class or function after its name: bases or parameters and body, where it names what it is built from. */
function bodyOf(text: string, s: A.ClassDef | A.FunctionDef): string {
  return text.slice(s.nameSpan.to, s.to);
}

const listed = (names: string[]): string => (names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`);

export function needsArgumentsMessage(models: ModelNeedingArguments[], example: ModelNeedingArguments): string {
  const shown = models.slice(0, NAMED_AT_MOST);
  const more = models.length - shown.length;
  const each = shown.map((c) => `${c.name}: ${c.required.join(", ")}`).join("; ");
  const moreNamed = more > 0 ? [`${more} more`] : [];
  const classes = shown.filter((c) => c.statement.kind === "ClassDef").map((c) => c.name);
  const factories = shown.filter((c) => c.statement.kind === "FunctionDef").map((c) => c.name);
  const group = (names: string[], one: string, many: string, extra: string[]) => `${names.length === 1 && extra.length === 0 ? one : many} ${listed([...names, ...extra])}`;
  const named =
    factories.length === 0
      ? group(classes, "the model class", "the model classes", moreNamed)
      : classes.length === 0
        ? group(factories, "the model factory", "the model factories", moreNamed)
        : `${group(classes, "the model class", "the model classes", [])} and ${group(factories, "the model factory", "the model factories", moreNamed)}`;
  const found = models.length === 1 ? `${named} was found, but it needs` : `${named} were found, but each needs`;
  const what = models.every((c) => c.statement.kind === "ClassDef") ? "constructor arguments" : "arguments";
  return (
    `No model can be built without arguments: ${found} ${what} (${each}). ` +
    `Pass the call that builds the model, with values for them, as the entry: --entry "${example.name}(...)" ` +
    `(or a "# resgraph: entry=${example.name}(...)" comment), with ${listed(example.required)} written out.`
  );
}

/**
 * The class candidates that are building blocks of a model class needing arguments: a helper module
 * that such a class's body constructs (`SquaredReLU()`; a call, since docstrings name the model too).
 * Analysing the part alone would silently stand in for the model, so it is no candidate, and with
 * nothing else left the file reports the model's arguments instead.
 */
export function partsOfClassesNeedingArguments(candidates: EntryCandidate[], needing: ClassNeedingArguments[], text: string): Set<string> {
  const parts = new Set<string>();
  for (const c of candidates) {
    if (c.kind !== "class") continue;
    const named = new RegExp(`\\b${c.label}\\(`);
    if (needing.some((n) => n.name !== c.label && named.test(bodyOf(text, n.statement)))) parts.add(c.expr);
  }
  return parts;
}
