// String literals, f-strings and implicit concatenation of adjacent literals.
import type { Expr, FString, FStringField } from "./ast";
import { ConvertContext, Node, children } from "./convert-context";
import { expr, exprList, yieldExpr } from "./convert-expr";
import { decodeFStringText, decodeStringLiteral, stringShape } from "./literals";

/** String, FormatString or ContinuedString -> Str (all plain) or FString (any f-part). */
export function convertString(ctx: ConvertContext, n: Node): Expr {
  if (n.name === "String") return { kind: "Str", value: decodeStringLiteral(ctx.src(n)), from: n.from, to: n.to };
  if (n.name === "FormatString") return { kind: "FString", parts: fstringParts(ctx, n), from: n.from, to: n.to };
  // ContinuedString: "a" f"b{x}" "c" -> one literal.
  const pieces = children(n).filter((c) => c.name === "String" || c.name === "FormatString");
  if (!pieces.some((c) => c.name === "FormatString")) {
    let value = "";
    for (const p of pieces) value += decodeStringLiteral(ctx.src(p));
    return { kind: "Str", value, from: n.from, to: n.to };
  }
  const parts: (string | FStringField)[] = [];
  for (const p of pieces) {
    const more = p.name === "String" ? [decodeStringLiteral(ctx.src(p))] : fstringParts(ctx, p);
    for (const part of more) pushPart(parts, part);
  }
  return { kind: "FString", parts, from: n.from, to: n.to };
}

/** Appends, merging adjacent literal text and dropping empty text. */
function pushPart(parts: (string | FStringField)[], part: string | FStringField): void {
  if (typeof part !== "string") parts.push(part);
  else if (part.length === 0) return;
  else if (typeof parts[parts.length - 1] === "string") parts[parts.length - 1] += part;
  else parts.push(part);
}

function fstringParts(ctx: ConvertContext, n: Node): (string | FStringField)[] {
  const lit = ctx.src(n);
  const shape = stringShape(lit);
  const contentEnd = n.from + shape.contentTo;
  const parts: (string | FStringField)[] = [];
  let pos = n.from + shape.contentFrom;
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (c.name !== "FormatReplacement") continue;
    pushPart(parts, decodeFStringText(ctx.text.slice(pos, c.from), shape.raw));
    const field = replacementField(ctx, c, shape.raw);
    if (field) parts.push(field);
    pos = c.to;
  }
  if (pos < contentEnd) pushPart(parts, decodeFStringText(ctx.text.slice(pos, contentEnd), shape.raw));
  return parts;
}

/** `{expr=!r:spec}`. `selfDoc` is the literal text Python prints before the value, e.g. "x=" or "x = ". */
function replacementField(ctx: ConvertContext, n: Node, raw: boolean): FStringField | null {
  const c = children(n);
  const open = c[0];
  let i = 1;
  const exprNodes: Node[] = [];
  while (i < c.length && !isFieldTail(c[i])) exprNodes.push(c[i++]);
  let value: Expr | null;
  if (exprNodes[0]?.name === "YieldExpression") value = yieldExpr(ctx, children(exprNodes[0]), exprNodes[0]);
  else value = exprList(ctx, exprNodes);
  if (!value) return null;
  const field: FStringField = { expr: value };
  if (c[i]?.name === "FormatSelfDoc") {
    const selfDocEnd = c[i + 1] ? c[i + 1].from : c[i].to;
    field.selfDoc = ctx.text.slice(open.to, selfDocEnd);
    i++;
  }
  if (c[i]?.name === "FormatConversion") {
    const conv = ctx.src(c[i]).charAt(1);
    if (conv === "r" || conv === "s" || conv === "a") field.conversion = conv;
    i++;
  }
  if (c[i]?.name === "FormatSpec") field.spec = formatSpec(ctx, c[i], raw);
  return field;
}

function isFieldTail(n: Node): boolean {
  return n.name === "FormatSelfDoc" || n.name === "FormatConversion" || n.name === "FormatSpec" || n.name === "}";
}

/** The part after `:` in a field; it may contain nested fields such as `{width}`. */
function formatSpec(ctx: ConvertContext, n: Node, raw: boolean): FString {
  const parts: (string | FStringField)[] = [];
  const first = n.firstChild;
  const start = first && first.name === ":" ? first.to : n.from;
  let pos = start;
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (c.name !== "FormatReplacement") continue;
    pushPart(parts, decodeFStringText(ctx.text.slice(pos, c.from), raw));
    const field = replacementField(ctx, c, raw);
    if (field) parts.push(field);
    pos = c.to;
  }
  pushPart(parts, decodeFStringText(ctx.text.slice(pos, n.to), raw));
  return { kind: "FString", parts, from: start, to: n.to };
}
