// Compound statements: if/while/for/try/with/def/class (+ decorators). `match` is reported and skipped.
import type { ExceptHandler, Expr, If, Span, Stmt } from "./ast";
import { fixedArgCount } from "./ast";
import { ConvertContext, Node, children, indexOfName, isError, splitOnCommas, withoutErrors } from "./convert-context";
import { expr, exprList, exprOrBad } from "./convert-expr";
import { convertArgList } from "./convert-collections";
import { convertParams, typeDefExpr } from "./convert-params";
import { convertBody } from "./convert-stmt";

export function convertCompound(ctx: ConvertContext, n: Node): Stmt | null {
  switch (n.name) {
    case "IfStatement":
      return ifStatement(ctx, n);
    case "WhileStatement":
      return whileStatement(ctx, n);
    case "ForStatement":
      return forStatement(ctx, n);
    case "TryStatement":
      return tryStatement(ctx, n);
    case "WithStatement":
      return withStatement(ctx, n);
    case "FunctionDefinition":
      return functionDef(ctx, n, []);
    case "ClassDefinition":
      return classDef(ctx, n, []);
    case "DecoratedStatement":
      return decorated(ctx, n);
    case "MatchStatement":
      ctx.problem("'match' statements are not supported; this one was skipped.", { from: n.from, to: n.firstChild?.to ?? n.to });
      return null;
    default:
      ctx.problem(`Syntax error: unexpected ${n.name}.`, n);
      return null;
  }
}

/** Compound statement spans stop at the last non-blank character (lezer's Body keeps the newline). */
function trimmed(ctx: ConvertContext, n: Node): Span {
  let to = n.to;
  while (to > n.from) {
    const ch = ctx.text.charCodeAt(to - 1);
    if (ch !== 10 && ch !== 13 && ch !== 32 && ch !== 9 && ch !== 12) break;
    to--;
  }
  return { from: n.from, to };
}

/** The node after `c[i]` if it is an expression (not the Body or a keyword), else null. */
function testAfter(c: Node[], i: number): Node | null {
  const next = c[i + 1];
  return next && next.name !== "Body" ? next : null;
}

function ifStatement(ctx: ConvertContext, n: Node): If {
  const c = withoutErrors(children(n));
  const span = trimmed(ctx, n);
  const branches: { from: number; test: Expr; body: Stmt[] }[] = [];
  let orelse: Stmt[] = [];
  for (let i = 0; i < c.length; i++) {
    const kw = c[i].name;
    if (kw === "if" || kw === "elif") {
      const testNode = testAfter(c, i);
      const test = exprOrBad(ctx, testNode, c[i]);
      const bodyIndex = testNode ? i + 2 : i + 1;
      branches.push({ from: c[i].from, test, body: convertBody(ctx, c[bodyIndex]) });
      i = bodyIndex;
    } else if (kw === "else") {
      orelse = convertBody(ctx, c[i + 1]);
      i++;
    }
  }
  // Build the elif chain from the inside out: each elif is an If in its predecessor's orelse.
  let result: If | null = null;
  for (let b = branches.length - 1; b >= 0; b--) {
    const br = branches[b];
    const from = b === 0 ? span.from : br.from;
    result = { kind: "If", test: br.test, body: br.body, orelse: result ? [result] : orelse, from, to: span.to };
  }
  return result ?? { kind: "If", test: ctx.bad({ from: n.from, to: n.from }), body: [], orelse: [], ...span };
}

function elseBody(ctx: ConvertContext, c: Node[]): Stmt[] {
  const i = indexOfName(c, "else");
  return i >= 0 ? convertBody(ctx, c[i + 1]) : [];
}

function whileStatement(ctx: ConvertContext, n: Node): Stmt {
  const c = withoutErrors(children(n));
  const testNode = testAfter(c, 0);
  const test = exprOrBad(ctx, testNode, c[0]);
  const body = convertBody(ctx, c.find((x) => x.name === "Body"));
  return { kind: "While", test, body, orelse: elseBody(ctx, c), ...trimmed(ctx, n) };
}

function forStatement(ctx: ConvertContext, n: Node): Stmt | null {
  const c = withoutErrors(children(n));
  const forIndex = indexOfName(c, "for");
  const inIndex = indexOfName(c, "in", forIndex + 1);
  const bodyIndex = indexOfName(c, "Body", forIndex + 1);
  if (forIndex < 0 || inIndex < 0) return null;
  const target = exprList(ctx, c.slice(forIndex + 1, inIndex));
  if (!target) return null;
  const iter = exprList(ctx, c.slice(inIndex + 1, bodyIndex < 0 ? c.length : bodyIndex)) ?? ctx.bad({ from: c[inIndex].to, to: c[inIndex].to });
  const body = convertBody(ctx, c[bodyIndex]);
  return { kind: "For", target, iter, body, orelse: elseBody(ctx, c), ...trimmed(ctx, n) };
}

function tryStatement(ctx: ConvertContext, n: Node): Stmt {
  const c = withoutErrors(children(n));
  let body: Stmt[] = [];
  let orelse: Stmt[] = [];
  let finalbody: Stmt[] = [];
  const handlers: ExceptHandler[] = [];
  for (let i = 0; i < c.length; i++) {
    const kw = c[i].name;
    if (kw === "try") body = convertBody(ctx, c[++i]);
    else if (kw === "else") orelse = convertBody(ctx, c[++i]);
    else if (kw === "finally") finalbody = convertBody(ctx, c[++i]);
    else if (kw === "except") {
      let j = i + 1;
      if (c[j]?.name === "*") j++; // except* groups: treated like except
      const handler: ExceptHandler = { body: [], from: c[i].from, to: c[i].to };
      if (c[j] && c[j].name !== "Body") {
        handler.type = expr(ctx, c[j]);
        j++;
        if ((c[j]?.name === "as" || c[j]?.name === ",") && c[j + 1]?.name === "VariableName") {
          handler.name = ctx.name(c[j + 1]);
          j += 2;
        }
      }
      if (c[j]?.name === "Body") {
        handler.body = convertBody(ctx, c[j]);
        handler.to = trimmed(ctx, c[j]).to;
      } else j--;
      handlers.push(handler);
      i = j;
    }
  }
  return { kind: "Try", body, handlers, orelse, finalbody, ...trimmed(ctx, n) };
}

function withStatement(ctx: ConvertContext, n: Node): Stmt {
  const all = children(n);
  const c = parenthesizedWithItems(ctx, all) ?? withoutErrors(all);
  const withIndex = indexOfName(c, "with");
  const bodyIndex = indexOfName(c, "Body");
  const items: { context: Expr; vars?: Expr }[] = [];
  for (const g of splitOnCommas(c, withIndex + 1, bodyIndex < 0 ? c.length : bodyIndex)) {
    if (!g.length) continue;
    const item: { context: Expr; vars?: Expr } = { context: expr(ctx, g[0]) };
    if (g[1]?.name === "as" && g[2]) item.vars = expr(ctx, g[2]);
    items.push(item);
  }
  return { kind: "With", items, body: convertBody(ctx, c[bodyIndex]), ...trimmed(ctx, n) };
}

/**
 * lezer predates `with (a as b, c as d):` and reads it as an unclosed `(a` followed by a stray `)`.
 * Recognise exactly that shape, accept its two error nodes and return the items without the parentheses.
 */
function parenthesizedWithItems(ctx: ConvertContext, c: Node[]): Node[] | null {
  const withIndex = indexOfName(c, "with");
  const open = c[withIndex + 1];
  const bodyIndex = indexOfName(c, "Body");
  const close = c[bodyIndex - 1];
  if (!open || open.name !== "ParenthesizedExpression" || !close || !isError(close) || ctx.src(close) !== ")") return null;
  const inner = children(open);
  const missing = inner[inner.length - 1];
  if (inner.length !== 3 || !isError(missing) || missing.from !== missing.to) return null;
  ctx.accept(missing);
  ctx.accept(close);
  return [...c.slice(0, withIndex + 1), inner[1], ...c.slice(withIndex + 2, bodyIndex - 1), ...c.slice(bodyIndex)];
}

function functionDef(ctx: ConvertContext, n: Node, decorators: Expr[]): Stmt | null {
  const c = withoutErrors(children(n));
  const nameNode = c.find((x) => x.name === "VariableName");
  if (!nameNode) return null;
  const paramList = c.find((x) => x.name === "ParamList");
  const returnsNode = c.find((x) => x.name === "TypeDef");
  const params = paramList ? convertParams(ctx, paramList) : [];
  ctx.pushScope();
  const body = convertBody(ctx, c.find((x) => x.name === "Body"));
  const isGenerator = ctx.popScope();
  const def: Stmt = {
    kind: "FunctionDef",
    name: ctx.name(nameNode),
    nameSpan: { from: nameNode.from, to: nameNode.to },
    params,
    body,
    decorators,
    isAsync: c[0].name === "async",
    isGenerator,
    ...trimmed(ctx, n),
  };
  if (returnsNode) def.returns = typeDefExpr(ctx, returnsNode);
  return def;
}

function classDef(ctx: ConvertContext, n: Node, decorators: Expr[]): Stmt | null {
  const c = withoutErrors(children(n));
  const nameNode = c.find((x) => x.name === "VariableName");
  if (!nameNode) return null;
  const argList = c.find((x) => x.name === "ArgList");
  ctx.pushScope(); // a `yield` in a class body must not mark the enclosing function
  const body = convertBody(ctx, c.find((x) => x.name === "Body"));
  ctx.popScope();
  return {
    kind: "ClassDef",
    name: ctx.name(nameNode),
    nameSpan: { from: nameNode.from, to: nameNode.to },
    bases: argList ? convertArgList(ctx, argList) : [],
    body,
    decorators,
    ...trimmed(ctx, n),
  };
}

function decorated(ctx: ConvertContext, n: Node): Stmt | null {
  const decorators: Expr[] = [];
  let target: Node | null = null;
  for (const c of children(n)) {
    if (c.name === "Decorator") {
      const d = decorator(ctx, c);
      if (d) decorators.push(d);
    } else if (c.name === "FunctionDefinition" || c.name === "ClassDefinition") target = c;
  }
  if (!target) return null;
  return target.name === "FunctionDefinition" ? functionDef(ctx, target, decorators) : classDef(ctx, target, decorators);
}

/** `@a.b.c(args)`: lezer gives a flat dotted name and an optional ArgList. */
function decorator(ctx: ConvertContext, n: Node): Expr | null {
  let value: Expr | null = null;
  for (const c of withoutErrors(children(n))) {
    if (c.name === "VariableName") {
      const name = ctx.name(c);
      value = value
        ? { kind: "Attribute", value, attr: name, attrSpan: { from: c.from, to: c.to }, from: value.from, to: c.to }
        : { kind: "Name", id: name, from: c.from, to: c.to };
    } else if (c.name === "ArgList" && value) {
      const args = convertArgList(ctx, c);
      value = { kind: "Call", func: value, args, fixedArgs: fixedArgCount(args), from: value.from, to: c.to };
    }
  }
  return value;
}
