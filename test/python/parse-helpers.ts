// Helpers for parser tests: parse and strip positions so AST shapes can be compared literally.
import assert from "node:assert/strict";
import type { Expr, Module, Stmt } from "../../src/python/ast";
import { parsePython } from "../../src/python/parse";

/** Positions, and fields derived from the others (a Call's `fixedArgs`), are left out of shapes. */
const NON_SHAPE_KEYS = new Set(["from", "to", "span", "nameSpan", "attrSpan", "fixedArgs"]);

/** A deep copy without position and derived fields. */
export function shape<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (NON_SHAPE_KEYS.has(k) ? undefined : v)));
}

/** Parses code that must be free of syntax problems. */
export function parseClean(code: string): Module {
  const m = parsePython(code);
  assert.deepEqual(m.problems, [], `unexpected problems for ${JSON.stringify(code)}`);
  return m;
}

/** The statements of clean code, without positions. */
export function stmts(code: string): Stmt[] {
  return shape(parseClean(code).body);
}

/** The value of a single expression statement, without positions. */
export function exprOf(code: string): Expr {
  const body = stmts(code);
  assert.equal(body.length, 1);
  const s = body[0];
  assert.equal(s.kind, "ExprStmt");
  return (s as { value: Expr }).value;
}

export const name = (id: string) => ({ kind: "Name", id }) as const;
export const int = (value: number) => ({ kind: "Constant", value }) as const;
