// Why a file gives no model when no entry was named. A file whose model classes all need constructor
// arguments (pytorch/examples word_language_model's `RNNModel(rnn_type, ntoken, ninp, nhid, nlayers)`)
// does define a model: the message says so, names the arguments and shows how to pass the call.

import type * as A from "../python/ast";
import type { Interpreter, ModuleInfo } from "../interp/interpreter";
import { type EntryCandidate, classFramework, initParams, modelBases, moduleLevelStatements } from "./candidates";

/** A module-level model class whose constructor has parameters without defaults. */
export interface ClassNeedingArguments {
  name: string;
  /** Its parameters that need a value, in order (self, *args and **kwargs left out). */
  required: string[];
  statement: A.ClassDef;
}

const NAMED_AT_MOST = 4;

export function classesNeedingArguments(interp: Interpreter, info: ModuleInfo): ClassNeedingArguments[] {
  const bases = modelBases();
  const out: ClassNeedingArguments[] = [];
  for (const s of moduleLevelStatements(info.ast?.body ?? [])) {
    if (s.kind !== "ClassDef") continue;
    const cls = info.mod.dict.get(s.name);
    if (cls?.kind !== "class" || !classFramework(cls, bases)) continue;
    const params = initParams(interp, cls);
    const required = (params ?? []).slice(1).filter((p) => p.default === undefined && p.kind !== "vararg" && p.kind !== "kwarg").map((p) => p.name);
    if (required.length > 0) out.push({ name: s.name, required, statement: s });
  }
  return out;
}

/**
 * The class to show in the example: the first that no other of these classes mentions (the others are
 * its building blocks, such as a PositionalEncoding used by a TransformerModel), else the first.
 */
export function likelyModel(classes: ClassNeedingArguments[], text: string): ClassNeedingArguments {
  const mentions = (user: ClassNeedingArguments, name: string) => new RegExp(`\\b${name}\\b`).test(classBody(text, user));
  return classes.find((c) => !classes.some((o) => o !== c && mentions(o, c.name))) ?? classes[0];
}

/** The source of a class after its name: its bases and body, where it names the classes it is built from. */
function classBody(text: string, c: ClassNeedingArguments): string {
  return text.slice(c.statement.nameSpan.to, c.statement.to);
}

const listed = (names: string[]): string => (names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`);

export function needsArgumentsMessage(classes: ClassNeedingArguments[], example: ClassNeedingArguments): string {
  const shown = classes.slice(0, NAMED_AT_MOST);
  const more = classes.length - shown.length;
  const names = listed([...shown.map((c) => c.name), ...(more > 0 ? [`${more} more`] : [])]);
  const each = shown.map((c) => `${c.name}: ${c.required.join(", ")}`).join("; ");
  const found = classes.length === 1 ? `the model class ${names} was found, but it needs` : `the model classes ${names} were found, but each needs`;
  return (
    `No model can be built without arguments: ${found} constructor arguments (${each}). ` +
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
    if (needing.some((n) => n.name !== c.label && named.test(classBody(text, n)))) parts.add(c.expr);
  }
  return parts;
}
