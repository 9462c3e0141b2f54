// Where a failure at the boundary of the model run is reported. Running the entry starts from no
// statement of the file, so an error raised before the model's own code runs (forward's arguments
// do not bind, a subclassed Keras model was never built, a loss was given no target) would land on
// whatever line the module ran last, often an import. It belongs to the model: its `def forward`
// for an argument error; for a model with no forward of its own (an nn.Sequential of stub layers),
// the line that constructed it; else the statement that defines the entry.

import type * as A from "../python/ast";
import type { Interpreter, ModuleInfo } from "../interp/interpreter";
import type { PyInstance } from "../interp/values";
import { modelCreatedAt } from "./frameworks";

/** The first line of a statement: a `def`'s signature, not its whole body. */
function firstLine(info: ModuleInfo, s: A.Span): A.Span {
  const nl = info.src.text.indexOf("\n", s.from);
  return { from: s.from, to: nl < 0 || nl > s.to ? s.to : nl };
}

/** The top-level statement that defines the name an entry expression starts with (`Net` in `Net(3)`). */
function definitionOf(info: ModuleInfo, expr: string): A.Stmt | undefined {
  const name = /^\s*([A-Za-z_]\w*)/.exec(expr)?.[1];
  if (!name) return undefined;
  let found: A.Stmt | undefined;
  for (const s of info.ast?.body ?? []) {
    const defines =
      ((s.kind === "FunctionDef" || s.kind === "ClassDef") && s.name === name) ||
      (s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === name)) ||
      (s.kind === "AnnAssign" && s.target.kind === "Name" && s.target.id === name);
    if (defines) found = s; // the last binding is the one the entry sees
  }
  return found;
}

/** The span (in the main file) that failures of running `model` as `expr` are reported at. */
export function entrySite(interp: Interpreter, info: ModuleInfo, expr: string, model: PyInstance): A.Span | undefined {
  const forward = interp.lookupClass(model.cls, "forward");
  if (forward?.kind === "function" && forward.module === info.mod) return firstLine(info, forward);
  const created = forward?.kind === "function" ? undefined : modelCreatedAt(model);
  if (created && created.file === info.file) {
    return { from: info.src.offset(created.range.start), to: info.src.offset(created.range.end) };
  }
  const def = definitionOf(info, expr);
  return def ? firstLine(info, def) : undefined;
}
