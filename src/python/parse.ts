// Entry point: Python source text -> our AST (src/python/ast.ts), tolerant of broken code.
import { pythonParser } from "./lezer";
import { lezerText } from "./trailing-dot";
import type { Module, Stmt } from "./ast";
import { ConvertContext } from "./convert-context";
import { convertStatement } from "./convert-stmt";
import { syntaxProblems } from "./syntax-problems";

/**
 * Parses a whole file. Never throws: syntax errors and anything the converter cannot follow become
 * `problems` (sorted by position), and every statement that still makes sense is kept in `body`.
 */
export function parsePython(text: string): Module {
  const input = lezerText(text);
  const ctx = new ConvertContext(text, input.numberEnds);
  const body: Stmt[] = [];
  try {
    const tree = pythonParser().parse(input.text);
    for (let n = tree.topNode.firstChild; n; n = n.nextSibling) convertStatement(ctx, n, body);
    const problems = syntaxProblems(tree, text, ctx.acceptedErrors).concat(ctx.problems);
    problems.sort((a, b) => a.from - b.from || a.to - b.to);
    return { body, problems };
  } catch (e) {
    // Only reachable through a bug or an exhausted stack in lezer itself; keep what we have.
    const message = e instanceof Error ? e.message : String(e);
    ctx.problem(`Internal parser error: ${message}`, { from: 0, to: Math.min(text.length, 1) });
    return { body, problems: ctx.problems };
  }
}
