// Expressions: lezer expression nodes -> our Expr union.
import type { BinOperator, CmpOperator, Expr, Span, TupleExpr } from "./ast";
import { fixedArgCount } from "./ast";
import { ConvertContext, Node, children, isError, splitOnCommas, withoutErrors } from "./convert-context";
import { parseNumber } from "./literals";
import { convertString } from "./convert-strings";
import {
  convertArgList,
  convertComprehension,
  convertDict,
  convertDictComp,
  convertSubscript,
  elementsOf,
} from "./convert-collections";
import { convertParams } from "./convert-params";
import { convertBoolean, isBooleanNode } from "./convert-boolean";

/** Converts one expression node. Error nodes and over-deep nesting become BadExpr; never throws on odd trees. */
export function expr(ctx: ConvertContext, n: Node): Expr {
  if (isError(n)) return ctx.bad(n);
  if (!ctx.enter(n)) return ctx.bad(n);
  try {
    return exprInner(ctx, n);
  } finally {
    ctx.leave();
  }
}

/** An expression slot that may be absent (`null`) in broken code: BadExpr at `at`. */
export function exprOrBad(ctx: ConvertContext, n: Node | null | undefined, at: Span): Expr {
  return n ? expr(ctx, n) : ctx.bad({ from: at.to, to: at.to });
}

/** Closing bracket of each bracketed expression node. */
const CLOSER: Record<string, string> = {
  ParenthesizedExpression: ")",
  TupleExpression: ")",
  ComprehensionExpression: ")",
  ArrayExpression: "]",
  ArrayComprehensionExpression: "]",
  SetExpression: "}",
  SetComprehensionExpression: "}",
  DictionaryExpression: "}",
  DictionaryComprehensionExpression: "}",
  ArgList: ")",
};

/**
 * True for a bracket lezer had to close itself. Its contents are unreliable (error recovery may have
 * swallowed the following lines), so the whole construct becomes a BadExpr, i.e. an unknown value.
 */
function neverClosed(n: Node | null): boolean {
  if (!n) return true;
  const closer = CLOSER[n.name];
  if (!closer) return false;
  const last = n.lastChild;
  return !last || last.name !== closer || last === n.firstChild;
}

function exprInner(ctx: ConvertContext, n: Node): Expr {
  const { from, to } = n;
  if (CLOSER[n.name] && neverClosed(n)) return ctx.bad(n);
  switch (n.name) {
    case "VariableName":
      return { kind: "Name", id: ctx.name(n), from, to };
    case "Number": {
      const end = ctx.numberEnds.get(from) ?? to;
      return { kind: "Constant", ...numberFields(ctx.text.slice(from, end)), from, to: end };
    }
    case "String":
    case "FormatString":
    case "ContinuedString":
      return convertString(ctx, n);
    case "Boolean":
      return { kind: "Constant", value: ctx.src(n) === "True", from, to };
    case "None":
      return { kind: "Constant", value: null, from, to };
    case "Ellipsis":
      return { kind: "Constant", value: "...", from, to };
    case "ParenthesizedExpression":
      return parenthesized(ctx, n);
    case "TupleExpression":
      return { kind: "Tuple", elts: elementsOf(ctx, children(n), 1), from, to };
    case "ArrayExpression":
      return { kind: "List", elts: elementsOf(ctx, children(n), 1), from, to };
    case "SetExpression":
      return { kind: "Set", elts: elementsOf(ctx, children(n), 1), from, to };
    case "ComprehensionExpression":
      return convertComprehension(ctx, n, "generator");
    case "ArrayComprehensionExpression":
      return convertComprehension(ctx, n, "list");
    case "SetComprehensionExpression":
      return convertComprehension(ctx, n, "set");
    case "DictionaryExpression":
      return convertDict(ctx, n);
    case "DictionaryComprehensionExpression":
      return convertDictComp(ctx, n);
    case "CallExpression": {
      const func = n.firstChild!;
      const argList = n.lastChild!;
      if (neverClosed(argList)) return ctx.bad(n);
      const callee = expr(ctx, func);
      const args = convertArgList(ctx, argList);
      return { kind: "Call", func: callee, args, fixedArgs: fixedArgCount(args), from, to };
    }
    case "MemberExpression":
      return member(ctx, n);
    case "BinaryExpression":
      return isBooleanNode(n) ? convertBoolean(ctx, n) : binaryChain(ctx, n);
    case "UnaryExpression":
      return isBooleanNode(n) ? convertBoolean(ctx, n) : unary(ctx, n);
    case "AwaitExpression":
      return { kind: "Await", value: exprOrBad(ctx, n.lastChild?.name === "await" ? null : n.lastChild, n), from, to };
    case "ConditionalExpression": {
      const c = children(n);
      return {
        kind: "IfExp",
        body: exprOrBad(ctx, c[0], n),
        test: exprOrBad(ctx, c[2], n),
        orelse: exprOrBad(ctx, c[4], n),
        from,
        to,
      };
    }
    case "LambdaExpression":
      return lambda(ctx, n);
    case "NamedExpression":
      return named(ctx, n);
    case "YieldExpression":
      return yieldExpr(ctx, children(n), n);
    default:
      ctx.problem(`Syntax error: unexpected ${describe(ctx, n)}.`, n);
      return ctx.bad(n);
  }
}

export function numberFields(raw: string): { value: number; isFloat?: boolean; isComplex?: boolean } {
  const v = parseNumber(raw);
  if (v.isComplex) return { value: v.value, isFloat: true, isComplex: true };
  return v.isFloat ? { value: v.value, isFloat: true } : { value: v.value };
}

function describe(ctx: ConvertContext, n: Node): string {
  const text = ctx.src(n);
  return text.length > 0 && text.length <= 20 ? `'${text}'` : n.name;
}

function parenthesized(ctx: ConvertContext, n: Node): Expr {
  const c = withoutErrors(children(n));
  const inner = c[1];
  if (!inner || inner.name === ")") return ctx.bad(n);
  if (inner.name === "*") return { kind: "Starred", value: exprOrBad(ctx, c[2], inner), from: inner.from, to: c[2]?.to ?? inner.to };
  return expr(ctx, inner);
}

/**
 * Comma-separated expressions outside brackets (`a, *b = ...`, `return x, y`). Null when there are none;
 * one expression without a comma stays itself, otherwise a Tuple spanning the elements.
 */
export function exprList(ctx: ConvertContext, nodes: Node[]): Expr | null {
  const clean = withoutErrors(nodes);
  if (clean.length === 0) return null;
  const groups = splitOnCommas(clean);
  if (groups.length === 1) return element(ctx, groups[0]);
  const elts: Expr[] = [];
  for (const g of groups) if (g.length) elts.push(element(ctx, g));
  if (elts.length === 0) return null;
  const tuple: TupleExpr = { kind: "Tuple", elts, from: clean[0].from, to: clean[clean.length - 1].to };
  return tuple;
}

/** One list/tuple element: `x` or `*x`. */
export function element(ctx: ConvertContext, g: Node[]): Expr {
  if (g[0].name === "*") {
    return { kind: "Starred", value: exprOrBad(ctx, g[1], g[0]), from: g[0].from, to: g[g.length - 1].to };
  }
  return expr(ctx, g[0]);
}

function member(ctx: ConvertContext, n: Node): Expr {
  const c = children(n);
  const object = c[0];
  const sep = c[1];
  if (!sep) return ctx.bad(n);
  if (sep.name === "[") return c[c.length - 1].name === "]" ? convertSubscript(ctx, n, c) : ctx.bad(n);
  const prop = c[2];
  const value = expr(ctx, object);
  if (!prop || prop.name !== "PropertyName") return ctx.bad(n);
  return { kind: "Attribute", value, attr: ctx.name(prop), attrSpan: { from: prop.from, to: prop.to }, from: n.from, to: n.to };
}

const CMP_OPS: Record<string, CmpOperator> = {
  "==": "==",
  "!=": "!=",
  "<>": "!=",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

/**
 * Binary operators and comparisons (boolean operators: convert-boolean.ts). lezer nests `a + b + c` to the left, so walk the
 * left spine with a loop (long sums must not recurse) and fold back up, flattening `a < b < c` into one
 * Compare as Python does.
 */
function binaryChain(ctx: ConvertContext, n: Node): Expr {
  const spine: Node[] = [];
  let cur: Node = n;
  while (cur.name === "BinaryExpression" && !isBooleanNode(cur)) {
    spine.push(cur);
    const first = cur.firstChild;
    if (!first) break;
    cur = first;
  }
  let left: Expr = cur === n ? ctx.bad(cur) : expr(ctx, cur);
  for (let i = spine.length - 1; i >= 0; i--) {
    const node = spine[i];
    const c = children(node);
    const opNode = c[1];
    const rightNode = c.length > 2 ? c[c.length - 1] : null;
    const right = exprOrBad(ctx, rightNode, node);
    const span = { from: node.from, to: node.to };
    if (!opNode) {
      left = ctx.bad(node);
      continue;
    }
    const opName = opNode.name;
    if (opName === "ArithOp" || opName === "BitOp") {
      left = { kind: "BinOp", op: ctx.name(opNode) as BinOperator, left, right, ...span };
    } else {
      const op = compareOp(ctx, opNode, c[2]);
      if (!op) {
        left = ctx.bad(node);
        continue;
      }
      const flat = i < spine.length - 1 && left.kind === "Compare";
      left = flat && left.kind === "Compare"
        ? { ...left, ops: [...left.ops, op], comparators: [...left.comparators, right], ...span }
        : { kind: "Compare", left, ops: [op], comparators: [right], ...span };
    }
  }
  return left;
}

function compareOp(ctx: ConvertContext, op: Node, next: Node | undefined): CmpOperator | null {
  switch (op.name) {
    case "CompareOp":
      return CMP_OPS[ctx.src(op)] ?? null;
    case "in":
      return "in";
    case "not":
      return "not in";
    case "is":
      return next?.name === "not" ? "is not" : "is";
    default:
      return null;
  }
}

function unary(ctx: ConvertContext, n: Node): Expr {
  const opNode = n.firstChild;
  const operandNode = n.lastChild !== opNode ? n.lastChild : null;
  const operand = exprOrBad(ctx, operandNode, n);
  const op = opNode ? ctx.name(opNode) : "";
  if (op !== "-" && op !== "+" && op !== "~") return ctx.bad(n);
  return { kind: "UnaryOp", op, operand, from: n.from, to: n.to };
}

function lambda(ctx: ConvertContext, n: Node): Expr {
  const c = children(n);
  const paramList = c.find((x) => x.name === "ParamList");
  const colon = c.findIndex((x) => x.name === ":");
  ctx.pushScope(); // a `yield` inside a lambda belongs to the lambda
  const body = exprOrBad(ctx, colon >= 0 ? c[colon + 1] : null, n);
  ctx.popScope();
  const params = paramList ? convertParams(ctx, paramList) : [];
  return { kind: "Lambda", params, body, from: n.from, to: n.to };
}

function named(ctx: ConvertContext, n: Node): Expr {
  const c = children(n);
  const value = exprOrBad(ctx, c[2], n);
  if (c[0]?.name !== "VariableName") {
    ctx.problem("Syntax error: only a plain name can be assigned with ':='.", c[0] ?? n);
    return ctx.bad(n);
  }
  const target = { kind: "Name" as const, id: ctx.name(c[0]), from: c[0].from, to: c[0].to };
  return { kind: "NamedExpr", target, value, from: n.from, to: n.to };
}

/** `yield`, `yield x, y`, `yield from x`; `c` are the children of a YieldExpression/YieldStatement. */
export function yieldExpr(ctx: ConvertContext, c: Node[], span: Span): Expr {
  ctx.markYield();
  const isFrom = c[1]?.name === "from";
  const rest = c.slice(isFrom ? 2 : 1);
  // lezer wants a value after `yield`; a bare `yield` arrives with an empty error node, which is fine.
  if (!isFrom && rest.length === 1 && isError(rest[0]) && rest[0].from === rest[0].to) {
    ctx.accept(rest[0]);
    return { kind: "Yield", from: span.from, to: c[0].to };
  }
  const value = exprList(ctx, rest) ?? undefined;
  const y: Expr = { kind: "Yield", from: span.from, to: span.to };
  if (value) y.value = value;
  if (isFrom) y.isFrom = true;
  return y;
}
