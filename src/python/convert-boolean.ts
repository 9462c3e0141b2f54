// `and` / `or` / `not` with Python's precedence. lezer's grammar gives `not` no precedence, so
// `x and not a or b` arrives as `x and not (a or b)`. We read the whole boolean region back in
// source order (operands and operator keywords) and re-parse it: or < and < not.
import type { Expr } from "./ast";
import { ConvertContext, Node, children } from "./convert-context";
import { exprOrBad } from "./convert-expr";

type Item = Node | { op: "and" | "or" | "not"; from: number; to: number } | { missing: number };

function boolOpOf(n: Node): "and" | "or" | null {
  if (n.name !== "BinaryExpression") return null;
  const op = n.firstChild?.nextSibling;
  return op && (op.name === "and" || op.name === "or") ? op.name : null;
}

export function isBooleanNode(n: Node): boolean {
  return boolOpOf(n) !== null || (n.name === "UnaryExpression" && n.firstChild?.name === "not");
}

export function convertBoolean(ctx: ConvertContext, root: Node): Expr {
  const items: Item[] = [];
  const stack: (Item | Node)[] = [root];
  while (stack.length) {
    const x = stack.pop()!;
    if (!("name" in x)) {
      items.push(x);
      continue;
    }
    const op = boolOpOf(x);
    if (op) {
      const c = children(x);
      const opNode = c[1];
      stack.push(c.length > 2 ? c[c.length - 1] : { missing: x.to }, { op, from: opNode.from, to: opNode.to }, c[0]);
    } else if (isBooleanNode(x)) {
      const notNode = x.firstChild!;
      const operand = x.lastChild !== notNode ? x.lastChild : null;
      stack.push(operand ?? { missing: x.to });
      items.push({ op: "not", from: notNode.from, to: notNode.to });
    } else items.push(x);
  }
  let i = 0;
  const isOp = (op: string) => {
    const it = items[i];
    return it !== undefined && "op" in it && it.op === op;
  };
  const operand = (): Expr => {
    const it = items[i];
    if (it && "name" in it) {
      i++;
      return exprOrBad(ctx, it, it);
    }
    const at = it && "missing" in it ? it.missing : items[i - 1] && "to" in items[i - 1] ? (items[i - 1] as { to: number }).to : root.to;
    if (it && "missing" in it) i++;
    return ctx.bad({ from: at, to: at });
  };
  const parseNot = (): Expr => {
    const nots: number[] = [];
    while (isOp("not")) nots.push((items[i++] as { from: number }).from);
    let e = operand();
    for (let k = nots.length - 1; k >= 0; k--) e = { kind: "UnaryOp", op: "not", operand: e, from: nots[k], to: e.to };
    return e;
  };
  const parseSeq = (op: "and" | "or", next: () => Expr): Expr => {
    const values = [next()];
    while (isOp(op)) {
      i++;
      values.push(next());
    }
    if (values.length === 1) return values[0];
    return { kind: "BoolOp", op, values, from: values[0].from, to: values[values.length - 1].to };
  };
  return parseSeq("or", () => parseSeq("and", parseNot));
}
