// Bracketed forms: list/tuple/set elements, dicts, comprehensions, call arguments and subscripts.
import type { Arg, ComprehensionFor, Expr, Slice } from "./ast";
import { ConvertContext, Node, children, isError, spanOf, splitOnCommas, withoutErrors } from "./convert-context";
import { element, expr, exprOrBad } from "./convert-expr";

const CLOSERS = new Set([")", "]", "}"]);

/** Children between the opening bracket (at index `start`) and the closing one, if present. */
function inner(c: Node[], start: number): Node[] {
  const end = c.length > start && CLOSERS.has(c[c.length - 1].name) ? c.length - 1 : c.length;
  return withoutErrors(c.slice(start, end));
}

/** Elements of `[a, *b]`, `(a, b)`, `{a, b}`; `c` are the bracket node's children. */
export function elementsOf(ctx: ConvertContext, c: Node[], start: number): Expr[] {
  const out: Expr[] = [];
  for (const g of splitOnCommas(inner(c, start))) if (g.length) out.push(element(ctx, g));
  return out;
}

function isCompKeyword(n: Node): boolean {
  return n.name === "for" || n.name === "async";
}

/**
 * The `for ... in ... if ...` clauses that follow a comprehension's element. `nodes` holds the flat
 * keyword/expression sequence lezer produces, starting at the first `for` (or `async`).
 */
function comprehensionClauses(ctx: ConvertContext, nodes: Node[], start: number): ComprehensionFor[] {
  const gens: ComprehensionFor[] = [];
  let i = start;
  while (i < nodes.length) {
    const n = nodes[i];
    if (n.name === "async") {
      i++;
    } else if (n.name === "for") {
      let j = i + 1;
      while (j < nodes.length && nodes[j].name !== "in") j++;
      const targetNodes = nodes.slice(i + 1, j);
      const groups = splitOnCommas(targetNodes).filter((g) => g.length);
      const targets = groups.map((g) => element(ctx, g));
      const target: Expr =
        targets.length === 1 && groups.length === 1 && !targetNodes.some((x) => x.name === ",")
          ? targets[0]
          : targets.length
            ? { kind: "Tuple", elts: targets, ...spanOf(targetNodes) }
            : ctx.bad({ from: n.to, to: n.to });
      const iterNode = nodes[j + 1];
      const iter = exprOrBad(ctx, iterNode && !isCompKeyword(iterNode) && iterNode.name !== "if" ? iterNode : null, nodes[j] ?? n);
      gens.push({ target, iter, ifs: [] });
      i = j + 2;
    } else if (n.name === "if") {
      const cond = exprOrBad(ctx, nodes[i + 1], n);
      if (gens.length) gens[gens.length - 1].ifs.push(cond);
      i += 2;
    } else {
      i++; // stray token in broken code
    }
  }
  return gens;
}

export function convertComprehension(ctx: ConvertContext, n: Node, form: "list" | "set" | "generator"): Expr {
  const c = inner(children(n), 1);
  let k = 0;
  let elt: Expr;
  if (c[0]?.name === "*") {
    elt = { kind: "Starred", value: exprOrBad(ctx, c[1], c[0]), from: c[0].from, to: c[1]?.to ?? c[0].to };
    k = 2;
  } else {
    elt = exprOrBad(ctx, c[0], n);
    k = 1;
  }
  return { kind: "Comprehension", form, elt, generators: comprehensionClauses(ctx, c, k), from: n.from, to: n.to };
}

export function convertDict(ctx: ConvertContext, n: Node): Expr {
  const entries: ({ key: Expr; value: Expr } | { spread: Expr })[] = [];
  for (const g of splitOnCommas(inner(children(n), 1))) {
    if (!g.length) continue;
    if (g[0].name === "**") entries.push({ spread: exprOrBad(ctx, g[1], g[0]) });
    else entries.push({ key: expr(ctx, g[0]), value: exprOrBad(ctx, g[1]?.name === ":" ? g[2] : null, g[g.length - 1]) });
  }
  return { kind: "Dict", entries, from: n.from, to: n.to };
}

export function convertDictComp(ctx: ConvertContext, n: Node): Expr {
  const c = inner(children(n), 1);
  if (c[0]?.name === "**" || c[1]?.name !== ":") {
    ctx.problem("Syntax error: a dict comprehension needs 'key: value' before 'for'.", n);
    return ctx.bad(n);
  }
  const key = expr(ctx, c[0]);
  const value = exprOrBad(ctx, c[2], c[1]);
  return { kind: "DictComp", key, value, generators: comprehensionClauses(ctx, c, 3), from: n.from, to: n.to };
}

/** Arguments of `f(...)` or of a class header. */
export function convertArgList(ctx: ConvertContext, argList: Node): Arg[] {
  if (argList.name !== "ArgList") return [];
  const c = inner(children(argList), 1);
  if (c.length > 1 && isCompKeyword(c[1])) {
    // `f(x for x in y)`: the sole argument is a generator expression, whose targets may hold commas
    // (`next(i for i, x in enumerate(xs))`), so it is read before splitting on commas.
    const generators = comprehensionClauses(ctx, c, 1);
    return [{ kind: "pos", value: { kind: "Comprehension", form: "generator", elt: expr(ctx, c[0]), generators, ...spanOf(c) } }];
  }
  const args: Arg[] = [];
  for (const g of splitOnCommas(c)) {
    if (!g.length) continue;
    const first = g[0];
    if (first.name === "*") args.push({ kind: "star", value: exprOrBad(ctx, g[1], first) });
    else if (first.name === "**") args.push({ kind: "dstar", value: exprOrBad(ctx, g[1], first) });
    else if (g[1]?.name === "AssignOp" && first.name === "VariableName") {
      const value = exprOrBad(ctx, g[2], g[1]);
      if (ctx.src(g[1]) === ":=") {
        const target = { kind: "Name" as const, id: ctx.name(first), from: first.from, to: first.to };
        args.push({ kind: "pos", value: { kind: "NamedExpr", target, value, from: first.from, to: value.to } });
      } else args.push({ kind: "kw", name: ctx.name(first), value });
    } else if (g[1] && isCompKeyword(g[1])) {
      ctx.problem("Syntax error: a generator expression must be in parentheses unless it is the only argument.", first);
      args.push({ kind: "pos", value: ctx.bad(spanOf(g)) });
    } else args.push({ kind: "pos", value: expr(ctx, first) });
  }
  return args;
}

/** `x[i]`, `x[a:b, ::2]`, `x[..., None]`; `c` are the MemberExpression's children (object, "[", ...). */
export function convertSubscript(ctx: ConvertContext, n: Node, c: Node[]): Expr {
  const value = expr(ctx, c[0]);
  const body = inner(c, 2);
  const groups = splitOnCommas(body);
  const hasComma = groups.length > 1;
  const items: Expr[] = [];
  for (const g of groups) if (g.length) items.push(subscriptItem(ctx, g));
  let index: Expr;
  if (items.length === 0) index = ctx.bad({ from: c[1].to, to: c[1].to });
  else if (!hasComma) index = items[0];
  else index = { kind: "Tuple", elts: items, ...spanOf(body) };
  return { kind: "Subscript", value, index, from: n.from, to: n.to };
}

function subscriptItem(ctx: ConvertContext, g: Node[]): Expr {
  if (!g.some((x) => x.name === ":")) return element(ctx, g);
  const slice: Slice = { kind: "Slice", ...spanOf(g) };
  let part = 0; // 0 lower, 1 upper, 2 step
  for (const x of g) {
    if (x.name === ":") part++;
    else if (!isError(x)) {
      const e = expr(ctx, x);
      if (part === 0) slice.lower = e;
      else if (part === 1) slice.upper = e;
      else slice.step = e;
    }
  }
  return slice;
}
