// Statements: dispatch plus the simple (one-line) statements. Compound ones live in convert-compound.ts.
import type { BinOperator, Expr, Span, Stmt } from "./ast";
import { fixedArgCount } from "./ast";
import { ConvertContext, Node, children, internName, isError, splitOnCommas, withoutErrors } from "./convert-context";
import { element, exprList, exprOrBad, yieldExpr } from "./convert-expr";
import { typeDefExpr } from "./convert-params";
import { convertImport } from "./convert-import";
import { convertCompound } from "./convert-compound";

/**
 * Appends the statement(s) of one lezer statement node to `out`. Statements too broken to mean anything
 * (e.g. `x = ` with no value) are dropped; their syntax errors are reported separately. A failure while
 * converting one statement becomes a problem for that statement only.
 */
export function convertStatement(ctx: ConvertContext, n: Node, out: Stmt[]): void {
  if (isError(n) || n.name === "Comment") return;
  if (!ctx.enter(n)) return;
  const depth = ctx.depth;
  try {
    if (n.name === "StatementGroup") {
      for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== ";") convertStatement(ctx, c, out);
      return;
    }
    const simple = simpleStatement(ctx, n);
    const s = simple === undefined ? convertCompound(ctx, n) : simple;
    if (s) out.push(s);
  } catch (e) {
    ctx.problem(`Internal parser error while reading this statement: ${e instanceof Error ? e.message : String(e)}`, n);
  } finally {
    ctx.depth = depth - 1; // also unwinds levels an exception skipped
  }
}

/** Statements of a Body node (after its ":"). */
export function convertBody(ctx: ConvertContext, body: Node | undefined): Stmt[] {
  const out: Stmt[] = [];
  if (!body || body.name !== "Body") return out;
  for (let c = body.firstChild; c; c = c.nextSibling) {
    if (c.name !== ":") convertStatement(ctx, c, out);
  }
  return out;
}

/** Returns undefined when `n` is not a simple statement, null when it is one but too broken to keep. */
function simpleStatement(ctx: ConvertContext, n: Node): Stmt | null | undefined {
  const span = { from: n.from, to: n.to };
  switch (n.name) {
    case "AssignStatement":
      return assign(ctx, n, span);
    case "UpdateStatement":
      return update(ctx, n, span);
    case "ExpressionStatement": {
      const value = exprList(ctx, children(n));
      return value ? { kind: "ExprStmt", value, ...span } : null;
    }
    case "PassStatement":
      return { kind: "Pass", ...span };
    case "BreakStatement":
      return { kind: "Break", ...span };
    case "ContinueStatement":
      return { kind: "Continue", ...span };
    case "ReturnStatement": {
      const value = exprList(ctx, children(n).slice(1));
      return value ? { kind: "Return", value, ...span } : { kind: "Return", ...span };
    }
    case "YieldStatement":
      return { kind: "ExprStmt", value: yieldExpr(ctx, children(n), span), ...span };
    case "DeleteStatement": {
      const targets: Expr[] = [];
      for (const g of splitOnCommas(withoutErrors(children(n)), 1)) if (g.length) targets.push(element(ctx, g));
      return targets.length ? { kind: "Delete", targets, ...span } : null;
    }
    case "ScopeStatement": {
      const c = children(n);
      const names = c.filter((x) => x.name === "VariableName").map((x) => ctx.name(x));
      return c[0].name === "nonlocal" ? { kind: "Nonlocal", names, ...span } : { kind: "Global", names, ...span };
    }
    case "AssertStatement": {
      const c = withoutErrors(children(n));
      if (!c[1]) return null;
      const s: Stmt = { kind: "Assert", test: exprOrBad(ctx, c[1], c[0]), ...span };
      if (c[2]?.name === "," && c[3]) s.msg = exprOrBad(ctx, c[3], c[2]);
      return s;
    }
    case "RaiseStatement":
      return raise(ctx, n, span);
    case "PrintStatement": {
      ctx.problem("Syntax error: print is a function in Python 3; write print(...).", n);
      const kw = n.firstChild!;
      const func: Expr = { kind: "Name", id: "print", from: kw.from, to: kw.to };
      const value = exprList(ctx, children(n).slice(1));
      const args = value ? [{ kind: "pos" as const, value }] : [];
      return { kind: "ExprStmt", value: { kind: "Call", func, args, fixedArgs: fixedArgCount(args), ...span }, ...span };
    }
    case "ImportStatement":
      return convertImport(ctx, n, span);
    case "TypeDefinition":
      ctx.problem("The 'type' statement is not supported; it was skipped.", n);
      return null;
    default:
      return undefined;
  }
}

/** `a = b = value`, `x: int = 1`, `x: int`. */
function assign(ctx: ConvertContext, n: Node, span: Span): Stmt | null {
  const segments: Node[][] = [];
  let current: Node[] = [];
  let typeDef: Node | undefined;
  for (const c of children(n)) {
    if (c.name === "AssignOp") {
      segments.push(current);
      current = [];
    } else if (c.name === "TypeDef" && !typeDef) typeDef = c;
    else current.push(c);
  }
  segments.push(current);
  if (typeDef) {
    const target = exprList(ctx, segments[0]);
    const annotationNode = withoutErrors(children(typeDef)).find((x) => x.name !== ":");
    if (!target || !annotationNode) return null;
    const s: Stmt = { kind: "AnnAssign", target, annotation: typeDefExpr(ctx, typeDef), ...span };
    if (segments.length > 1) {
      const value = exprList(ctx, segments[segments.length - 1]);
      if (!value) return null;
      s.value = value;
    }
    return s;
  }
  if (segments.length < 2) return null;
  const value = exprList(ctx, segments[segments.length - 1]);
  if (!value) return null;
  const targets: Expr[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    const t = exprList(ctx, segments[i]);
    if (!t) return null;
    targets.push(t);
  }
  return { kind: "Assign", targets, value, ...span };
}

function update(ctx: ConvertContext, n: Node, span: Span): Stmt | null {
  const c = children(n);
  const opIndex = c.findIndex((x) => x.name === "UpdateOp");
  if (opIndex < 0) return null;
  const target = exprList(ctx, c.slice(0, opIndex));
  const value = exprList(ctx, c.slice(opIndex + 1));
  if (!target || !value) return null;
  const op = internName(ctx.src(c[opIndex]).slice(0, -1)) as BinOperator;
  return { kind: "AugAssign", target, op, value, ...span };
}

/** `raise`, `raise E`, `raise E from C`. */
function raise(ctx: ConvertContext, n: Node, span: Span): Stmt {
  const c = withoutErrors(children(n));
  const s: Stmt = { kind: "Raise", ...span };
  if (c[1]) s.exc = exprOrBad(ctx, c[1], c[0]);
  if (c[2]?.name === "from") s.cause = exprOrBad(ctx, c[3], c[2]);
  else if (c[2]?.name === ",") ctx.problem("Syntax error: 'raise E, V' is Python 2 syntax; write 'raise E(V)'.", n);
  return s;
}
