// eval(s) of a string that holds one Python expression (yolov5's `m = eval(m) if isinstance(m, str)
// else m`, where m names a class: "Conv", "nn.Upsample"). The string is parsed with our parser and
// its nodes are placed at the eval(...) call, so what it builds and what goes wrong in it point at
// the line that called eval. Anything else (statements, broken code) is not analysed.

import type * as A from "../python/ast";
import { parsePython } from "../python/parse";

/** Parsed strings by call site and text: a loop evaluates the same few strings many times. */
const parsed = new Map<string, A.Expr | null>();
const MAX_CACHED = 1000;

/** The expression `text` holds, its nodes spanning `from`..`to`; undefined when it is not one expression. */
export function evalExpression(text: string, from: number, to: number): A.Expr | undefined {
  const key = `${from}:${to}:${text}`;
  let e = parsed.get(key);
  if (e === undefined) {
    // CPython's eval() drops leading spaces and tabs.
    const tree = parsePython(text.replace(/^[ \t]+/, ""));
    const stmt = tree.body[0];
    e = tree.problems.length === 0 && tree.body.length === 1 && stmt.kind === "ExprStmt" ? placeAt(stmt.value, from, to) : null;
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(key, e);
  }
  return e ?? undefined;
}

/** Every node of the tree (spans included) moved to the eval call's span. */
function placeAt<T extends object>(node: T, from: number, to: number): T {
  const seen = new Set<object>();
  const visit = (o: object): void => {
    if (seen.has(o)) return;
    seen.add(o);
    const r = o as Record<string, unknown>;
    if (typeof r.from === "number" && typeof r.to === "number") {
      r.from = from;
      r.to = to;
    }
    for (const v of Object.values(r)) if (v !== null && typeof v === "object") visit(v);
  };
  visit(node);
  return node;
}
