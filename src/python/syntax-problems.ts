// Turns lezer's error nodes into located, readable problems ("Syntax error: unexpected ')'.").
import type { Tree } from "@lezer/common";
import type { ParseProblem } from "./ast";

/** Bracketed nodes whose closing bracket lezer may leave out; reported as "never closed" instead of noise. */
const BRACKETED: Record<string, string> = {
  ArgList: ")",
  ParamList: ")",
  ParenthesizedExpression: ")",
  TupleExpression: ")",
  ComprehensionExpression: ")",
  ArrayExpression: "]",
  ArrayComprehensionExpression: "]",
  DictionaryExpression: "}",
  DictionaryComprehensionExpression: "}",
  SetExpression: "}",
  SetComprehensionExpression: "}",
};

const OPENERS = new Set(["(", "[", "{"]);
const MAX_PROBLEMS = 100;

/**
 * One problem per error region. `accepted` holds start offsets of error nodes the converter
 * recognised as valid Python that lezer does not know (`3.`, bare `yield`, parenthesised with-items).
 */
export function syntaxProblems(tree: Tree, text: string, accepted: ReadonlySet<number>): ParseProblem[] {
  const problems: ParseProblem[] = [];
  let quietUntil = -1; // errors inside an already-reported unclosed bracket add nothing
  const add = (p: ParseProblem) => {
    const last = problems[problems.length - 1];
    if (last && last.from === p.from) return;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        if (node.from <= quietUntil || accepted.has(node.from)) return false;
        add(describeError(text, node.from, node.to));
        return false;
      }
      const closer = BRACKETED[node.name];
      if (closer && node.from >= quietUntil) {
        const n = node.node;
        const first = n.firstChild;
        const last = n.lastChild;
        const acceptedGap = last && last.type.isError && accepted.has(last.from);
        if (first && OPENERS.has(first.name) && !acceptedGap && (!last || last.name !== closer || last === first)) {
          add({ message: `Syntax error: '${first.name}' was never closed.`, from: first.from, to: first.to });
          quietUntil = node.to;
        }
      }
      return undefined;
    },
  });
  return problems;
}

function describeError(text: string, from: number, to: number): ParseProblem {
  if (from < to) {
    const tok = tokenAt(text, from, to);
    return { message: `Syntax error: unexpected ${quote(tok.text)}.`, from: tok.from, to: tok.to };
  }
  // A zero-width error: lezer expected something here.
  if (onlyBlankAfter(text, from)) {
    return { message: "Syntax error: unexpected end of file.", from: Math.max(0, text.length - 1), to: text.length };
  }
  const next = tokenAt(text, from, text.length);
  if (next.text === "") {
    const prev = tokenBefore(text, from);
    if (prev.text) {
      return { message: `Syntax error: the line ends unexpectedly after ${quote(prev.text)}.`, from: prev.from, to: prev.to };
    }
    return { message: "Syntax error: the line ends unexpectedly.", from, to: from };
  }
  return { message: `Syntax error: unexpected ${quote(next.text)}.`, from: next.from, to: next.to };
}

/** True when only whitespace and comments follow `pos`. */
function onlyBlankAfter(text: string, pos: number): boolean {
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 35) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (!(isSpace(c) || c === 10 || c === 13)) return false;
  }
  return true;
}

function quote(tok: string): string {
  return tok.includes("'") ? `"${tok}"` : `'${tok}'`;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 92; // backslash: line continuation
}

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

const OPERATOR_CHARS = "+-*/%@&|^~<>=!:.";

/** The token starting at the first non-blank character in [from, limit); empty text at a line end. */
function tokenAt(text: string, from: number, limit: number): { text: string; from: number; to: number } {
  let i = from;
  while (i < limit && isSpace(text.charCodeAt(i))) i++;
  const first = text.charCodeAt(i);
  if (i >= limit || first === 10 || first === 13 || first === 35 /* # */) return { text: "", from: i, to: i };
  let j = i + 1;
  const c = text.charCodeAt(i);
  if (isWord(c)) while (j < limit && isWord(text.charCodeAt(j))) j++;
  else if (OPERATOR_CHARS.includes(text[i])) while (j < limit && j < i + 3 && OPERATOR_CHARS.includes(text[j])) j++;
  return { text: text.slice(i, j), from: i, to: j };
}

/** The token ending at the last non-blank character before `pos` on the same line. */
function tokenBefore(text: string, pos: number): { text: string; from: number; to: number } {
  let j = pos;
  while (j > 0 && isSpace(text.charCodeAt(j - 1))) j--;
  if (j === 0 || text.charCodeAt(j - 1) === 10 || text.charCodeAt(j - 1) === 13) return { text: "", from: j, to: j };
  let i = j - 1;
  const c = text.charCodeAt(i);
  if (isWord(c)) while (i > 0 && isWord(text.charCodeAt(i - 1))) i--;
  else if (OPERATOR_CHARS.includes(text[i])) while (i > 0 && i > j - 3 && OPERATOR_CHARS.includes(text[i - 1])) i--;
  return { text: text.slice(i, j), from: i, to: j };
}
