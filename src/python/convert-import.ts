// `import a.b as c, d` and `from ..pkg.mod import (x, y as z)` / `from m import *`.
import type { ImportAlias, Span, Stmt } from "./ast";
import { ConvertContext, Node, children, withoutErrors } from "./convert-context";

export function convertImport(ctx: ConvertContext, n: Node, span: Span): Stmt | null {
  const c = withoutErrors(children(n));
  if (c[0]?.name === "import") {
    const names = aliases(ctx, c, 1);
    return names.length ? { kind: "Import", names, ...span } : null;
  }
  // from-import: leading dots (lezer tokenises `...` as one Ellipsis), dotted module, `import`, names.
  let i = 1;
  let level = 0;
  for (; i < c.length; i++) {
    if (c[i].name === ".") level += 1;
    else if (c[i].name === "Ellipsis") level += 3;
    else break;
  }
  let module = "";
  for (; i < c.length && c[i].name !== "import"; i++) {
    if (c[i].name === "VariableName") module += (module ? "." : "") + ctx.src(c[i]);
  }
  if (c[i]?.name !== "import") return null;
  if (!module && level === 0) return null;
  if (c[i + 1]?.name === "*") return { kind: "ImportFrom", module, level, names: "*", ...span };
  const names = aliases(ctx, c, i + 1);
  return names.length ? { kind: "ImportFrom", module, level, names, ...span } : null;
}

/** `a.b as c, d` starting at index `start`; parentheses are skipped. */
function aliases(ctx: ConvertContext, c: Node[], start: number): ImportAlias[] {
  const out: ImportAlias[] = [];
  let current: ImportAlias | null = null;
  let afterAs = false;
  for (let i = start; i < c.length; i++) {
    const x = c[i];
    if (x.name === "VariableName") {
      if (afterAs && current) {
        current.asname = ctx.name(x);
        current.span = { from: current.span.from, to: x.to };
        afterAs = false;
      } else if (current && c[i - 1]?.name === ".") {
        current.name += "." + ctx.src(x);
        current.span = { from: current.span.from, to: x.to };
      } else {
        current = { name: ctx.src(x), span: { from: x.from, to: x.to } };
        out.push(current);
      }
    } else if (x.name === "as") afterAs = true;
    else if (x.name === ",") current = null;
  }
  return out;
}
