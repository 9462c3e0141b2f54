// Parameter lists of `def` (with parentheses, annotations) and `lambda` (bare).
import type { Expr, Param } from "./ast";
import { ConvertContext, Node, children, isError, splitOnCommas } from "./convert-context";
import { exprOrBad } from "./convert-expr";

/** The expression inside a TypeDef node (`: int` or `-> int`). */
export function typeDefExpr(ctx: ConvertContext, typeDef: Node): Expr {
  const c = children(typeDef);
  const e = c.find((x) => x.name !== ":");
  return exprOrBad(ctx, e, typeDef);
}

/**
 * Turns a ParamList into Params. lezer drops the `/` token from the tree, so a positional-only marker
 * shows up as an empty comma group whose source text contains `/`.
 */
export function convertParams(ctx: ConvertContext, list: Node): Param[] {
  const all = children(list);
  const hasParens = all[0]?.name === "(";
  const start = hasParens ? 1 : 0;
  const end = hasParens && all[all.length - 1]?.name === ")" ? all.length - 1 : all.length;
  const params: Param[] = [];
  let keywordOnly = false;
  let current: Node[] = [];
  let groupFrom = hasParens ? all[0].to : list.from;
  const flush = (groupTo: number) => {
    const g = current.filter((n) => !isError(n));
    if (g.length === 0) {
      if (ctx.text.slice(groupFrom, groupTo).includes("/")) {
        for (const p of params) if (p.kind === "normal") p.kind = "posonly";
      }
      return;
    }
    const p = param(ctx, g, keywordOnly);
    if (p === "star") keywordOnly = true;
    else if (p) {
      if (p.kind === "vararg") keywordOnly = true;
      params.push(p);
    }
  };
  for (let i = start; i < end; i++) {
    const n = all[i];
    if (n.name !== ",") {
      current.push(n);
      continue;
    }
    flush(n.from);
    groupFrom = n.to;
    current = [];
  }
  flush(end < all.length ? all[end].from : list.to);
  return params;
}

function param(ctx: ConvertContext, g: Node[], keywordOnly: boolean): Param | "star" | null {
  const first = g[0];
  if (first.name === "*" || first.name === "**") {
    const nameNode = g[1];
    if (!nameNode || nameNode.name !== "VariableName") return first.name === "*" ? "star" : null;
    const p: Param = {
      name: ctx.name(nameNode),
      kind: first.name === "*" ? "vararg" : "kwarg",
      span: { from: first.from, to: g[g.length - 1].to },
    };
    if (g[2]?.name === "TypeDef") p.annotation = typeDefExpr(ctx, g[2]);
    return p;
  }
  if (first.name !== "VariableName") return null;
  const p: Param = {
    name: ctx.name(first),
    kind: keywordOnly ? "kwonly" : "normal",
    span: { from: first.from, to: g[g.length - 1].to },
  };
  let i = 1;
  if (g[i]?.name === "TypeDef") p.annotation = typeDefExpr(ctx, g[i++]);
  if (g[i]?.name === "AssignOp") p.default = exprOrBad(ctx, g[i + 1], g[i]);
  return p;
}
