// A module-level model name rebound by loading a saved model: `model = make_model(...)`, training,
// then `model = keras.models.load_model("best.keras")` (the keras.io pattern of reloading the best
// checkpoint). The analyzer does not read saved files, so the name would end unknown, and with it
// everything built from it afterwards (`encoder = keras.Model(model.input[0], ...)`). A checkpoint
// the same code saved holds the same layers, so the analysis runs the file again with those loads
// left out: the name keeps the model the code built, under its own layer names.

import type * as A from "../python/ast";
import type { ModuleInfo } from "../interp/interpreter";

export interface ReboundByLoad {
  name: string;
  /** The load call as written, e.g. `keras.models.load_model("best_model.h5")`. */
  load: string;
  /** The loading statement, left out on the second run. */
  statement: A.Span;
  /** Line (1-based) of the binding the load replaces. */
  earlierLine: number;
}

/** Calls that load a whole saved model (not only weights into an existing one). */
const LOADERS = /(^|\.)load_model$|^(torch|torch\.jit|tf\.saved_model|tensorflow\.saved_model)\.load$/;

function dotted(e: A.Expr): string | undefined {
  if (e.kind === "Name") return e.id;
  if (e.kind === "Attribute") {
    const head = dotted(e.value);
    return head === undefined ? undefined : `${head}.${e.attr}`;
  }
  return undefined;
}

function isLoad(e: A.Expr): boolean {
  if (e.kind !== "Call") return false;
  const callee = dotted(e.func);
  return callee !== undefined && LOADERS.test(callee);
}

/** The name and value of a top-level `name = value` (one plain name target). */
function binding(s: A.Stmt): { name: string; value: A.Expr } | undefined {
  if (s.kind === "Assign" && s.targets.length === 1 && s.targets[0].kind === "Name") return { name: s.targets[0].id, value: s.value };
  if (s.kind === "AnnAssign" && s.target.kind === "Name" && s.value) return { name: s.target.id, value: s.value };
  return undefined;
}

/**
 * Names whose last top-level binding loads a saved model after an earlier binding built something,
 * with that load. Whether the earlier value is a model is for the caller to check (by running).
 */
export function reboundByLoads(info: ModuleInfo): ReboundByLoad[] {
  const last = new Map<string, { stmt: A.Stmt; value: A.Expr; earlier?: A.Expr }>();
  for (const s of info.ast?.body ?? []) {
    const b = binding(s);
    if (!b) continue;
    const before = last.get(b.name);
    const earlier = before && !isLoad(before.value) ? before.value : before?.earlier;
    last.set(b.name, { stmt: s, value: b.value, earlier });
  }
  const found: ReboundByLoad[] = [];
  for (const [name, b] of last) {
    if (!b.earlier || !isLoad(b.value)) continue;
    found.push({
      name,
      load: info.src.text.slice(b.value.from, b.value.to),
      statement: { from: b.stmt.from, to: b.stmt.to },
      earlierLine: info.src.position(b.earlier.from).line + 1,
    });
  }
  return found;
}

/**
 * The source with each loading statement replaced by `pass` and spaces, newlines kept, so every
 * other statement keeps its offsets, lines and columns (diagnostics and graph sites stay true).
 */
export function withoutLoads(text: string, loads: ReboundByLoad[]): string {
  let out = text;
  for (const { statement: s } of loads) {
    const blank = text.slice(s.from, s.to).replace(/[^\n]/g, " ");
    out = out.slice(0, s.from) + "pass" + blank.slice(4) + out.slice(s.to);
  }
  return out;
}
