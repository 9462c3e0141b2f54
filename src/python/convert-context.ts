// Shared state and small tree helpers for turning lezer's concrete syntax tree into our AST.
import type { SyntaxNode } from "@lezer/common";
import type { BadExpr, ParseProblem, Span } from "./ast";

export type Node = SyntaxNode;

/** Deeper than this we stop recursing so that pathological input cannot overflow the JS stack. */
export const MAX_DEPTH = 1500;

export class ConvertContext {
  readonly problems: ParseProblem[] = [];
  /** Start offsets of lezer error nodes that the converter recognised as valid syntax (e.g. `3.`, bare `yield`). */
  readonly acceptedErrors = new Set<number>();
  depth = 0;
  private reportedTooDeep = false;
  /** One entry per enclosing function/lambda/class: did a `yield` occur directly in it? */
  private readonly yieldScopes: boolean[] = [];

  /**
   * `numberEnds`: trailing-dot floats that lezer saw without their dot (see trailing-dot.ts), by start
   * offset, with their end in `text`.
   */
  constructor(
    readonly text: string,
    readonly numberEnds: ReadonlyMap<number, number> = new Map(),
  ) {}

  src(n: Span): string {
    return this.text.slice(n.from, n.to);
  }

  /** An identifier or operator, interned (see internName). */
  name(n: Span): string {
    return internName(this.text.slice(n.from, n.to));
  }

  problem(message: string, span: Span): void {
    this.problems.push({ message, from: span.from, to: span.to });
  }

  bad(span: Span): BadExpr {
    return { kind: "BadExpr", text: this.text.slice(span.from, span.to), from: span.from, to: span.to };
  }

  /** Accepts a lezer error node as intended syntax, so no problem is reported for it. */
  accept(n: Node): void {
    this.acceptedErrors.add(n.from);
  }

  /** Enters one nesting level; false (and a one-time problem) when input is too deeply nested to follow. */
  enter(span: Span): boolean {
    if (this.depth >= MAX_DEPTH) {
      if (!this.reportedTooDeep) {
        this.reportedTooDeep = true;
        this.problem(`Code is nested more than ${MAX_DEPTH} levels deep; the innermost part was not read.`, span);
      }
      return false;
    }
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }

  pushScope(): void {
    this.yieldScopes.push(false);
  }

  popScope(): boolean {
    return this.yieldScopes.pop() ?? false;
  }

  markYield(): void {
    if (this.yieldScopes.length) this.yieldScopes[this.yieldScopes.length - 1] = true;
  }
}

/** The children of a node, without comments (lezer keeps skipped comments in the tree). */
export function children(n: Node): Node[] {
  const out: Node[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (c.name !== "Comment") out.push(c);
  }
  return out;
}

export function isError(n: Node): boolean {
  return n.type.isError;
}

/** Splits a child list on "," tokens. Empty groups are kept so callers can see `/` markers. */
export function splitOnCommas(nodes: Node[], start = 0, end = nodes.length): Node[][] {
  const groups: Node[][] = [];
  let current: Node[] = [];
  for (let i = start; i < end; i++) {
    const n = nodes[i];
    if (n.name === ",") {
      groups.push(current);
      current = [];
    } else current.push(n);
  }
  groups.push(current);
  return groups;
}

export function withoutErrors(nodes: Node[]): Node[] {
  return nodes.some(isError) ? nodes.filter((n) => !isError(n)) : nodes;
}

export function spanOf(nodes: Node[]): Span {
  return { from: nodes[0].from, to: nodes[nodes.length - 1].to };
}

/** Identifiers seen so far, each as its interned copy; cleared when it grows large (edits make new ones). */
const interned = new Map<string, string>();

/**
 * The one copy of `s` in V8's string table, where the framework stubs' string literals live too. The
 * interpreter keys scopes, attribute dicts and keyword arguments by identifiers: with every copy of a
 * name the same string, each Map lookup compares pointers instead of characters. Property names are
 * always in that table, so an object's key is that copy.
 */
export function internName(s: string): string {
  let copy = interned.get(s);
  if (copy === undefined) {
    for (const k in { [s]: 0 }) copy = k;
    copy ??= s;
    if (interned.size >= 50_000) interned.clear();
    interned.set(copy, copy);
  }
  return copy;
}

export function indexOfName(nodes: Node[], name: string, start = 0): number {
  for (let i = start; i < nodes.length; i++) if (nodes[i].name === name) return i;
  return -1;
}
