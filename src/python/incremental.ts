// Re-parsing as the user types: lezer reuses the unchanged parts of the previous tree, and each
// top-level statement whose text did not change keeps its converted AST (shifted to its new offset).
// The result is identical to parsePython(text); only faster.

import { pythonParser } from "./lezer";
import { lezerText } from "./trailing-dot";
import { Tree, TreeBuffer, TreeFragment } from "@lezer/common";
import type { Module, ParseProblem, Stmt } from "./ast";
import { ConvertContext } from "./convert-context";
import { convertStatement } from "./convert-stmt";
import { syntaxProblems } from "./syntax-problems";

interface CachedStatement {
  /** Offset the cached AST currently carries. */
  from: number;
  stmts: Stmt[];
  problems: ParseProblem[];
  accepted: number[];
}

interface FileState {
  text: string;
  /** The text lezer parsed (trailing-dot floats rewritten, see trailing-dot.ts). */
  parsed: string;
  /** Absent for a module loaded from the persistent store: the next edit parses afresh. */
  tree: Tree | undefined;
  module: Module;
  statements: Map<string, CachedStatement[]>;
}

const MAX_FILES = 32;
const files = new Map<string, FileState>();

/**
 * Parsed modules kept between processes (the CLI's cache, much like Python's __pycache__): a cold
 * process spends much of its time in a parser that has not warmed up yet. Keyed by the exact text.
 */
export interface ParseStore {
  load(text: string): Module | undefined;
  save(text: string, module: Module): void;
}

let store: ParseStore | undefined;

export function usePersistentParses(s: ParseStore | undefined): void {
  store = s;
}

// A store that fails is a store that missed: a good parse never turns into an error because of it.
function fromStore(text: string): Module | undefined {
  try {
    return store?.load(text);
  } catch {
    return undefined;
  }
}

function toStore(text: string, module: Module): void {
  try {
    store?.save(text, module);
  } catch {
    // nothing saved; the next run parses again
  }
}

/** Parses `text` as the new content of `key` (usually the file path), reusing the previous parse. */
export function parseIncremental(key: string, text: string): Module {
  const prev = files.get(key);
  if (prev && prev.text === text) {
    touch(key, prev);
    return prev.module;
  }
  try {
    const stored = prev ? undefined : fromStore(text);
    if (stored) {
      touch(key, { text, parsed: text, tree: undefined, module: stored, statements: new Map() });
      return stored;
    }
    const state = reparse(prev, text);
    touch(key, state);
    if (!prev) toStore(text, state.module);
    return state.module;
  } catch (e) {
    files.delete(key);
    const message = e instanceof Error ? e.message : String(e);
    return { body: [], problems: [{ message: `Internal parser error: ${message}`, from: 0, to: Math.min(1, text.length) }] };
  }
}

function touch(key: string, state: FileState): void {
  files.delete(key);
  files.set(key, state);
  if (files.size > MAX_FILES) files.delete(files.keys().next().value as string);
}

function reparse(prev: FileState | undefined, text: string): FileState {
  let tree: Tree | undefined;
  let errorFree = false;
  const input = lezerText(text);
  if (prev?.tree) {
    const change = singleChange(prev.parsed, input.text);
    tree = pythonParser().parse(input.text, TreeFragment.applyChanges(TreeFragment.addTree(prev.tree), [change]));
    // Lezer's error recovery can differ between an incremental and a fresh parse; broken code is
    // parsed afresh so that the result never depends on the edit history.
    if (hasErrors(tree)) tree = undefined;
    else errorFree = true;
  }
  tree ??= pythonParser().parse(input.text);
  const ctx = new ConvertContext(text, input.numberEnds);
  const body: Stmt[] = [];
  const statements = new Map<string, CachedStatement[]>();
  const reused = new Set<CachedStatement>();
  const rewritten = [...input.numberEnds];
  let nextRewritten = 0;
  for (let n = tree.topNode.firstChild; n; n = n.nextSibling) {
    // A statement's text, taken to the end of any rewritten number in it (lezer's node may stop
    // before that number's blanked dot): `x = 1.` and `x = 1` must never share a cache entry.
    let end = n.to;
    for (; nextRewritten < rewritten.length && rewritten[nextRewritten][0] < n.to; nextRewritten++) {
      const [start, numberEnd] = rewritten[nextRewritten];
      if (start >= n.from) end = Math.max(end, numberEnd);
    }
    const src = text.slice(n.from, end);
    const candidates = prev?.statements.get(src);
    let entry = candidates?.find((c) => !reused.has(c));
    if (entry) {
      reused.add(entry);
      shiftEntry(entry, n.from);
      for (const a of entry.accepted) ctx.acceptedErrors.add(a);
      ctx.problems.push(...entry.problems);
    } else {
      const p0 = ctx.problems.length;
      const before = new Set(ctx.acceptedErrors);
      const out: Stmt[] = [];
      convertStatement(ctx, n, out);
      entry = {
        from: n.from,
        stmts: out,
        problems: ctx.problems.slice(p0),
        accepted: [...ctx.acceptedErrors].filter((a) => !before.has(a)),
      };
    }
    body.push(...entry.stmts);
    const list = statements.get(src);
    if (list) list.push(entry);
    else statements.set(src, [entry]);
  }
  // Every syntax problem sits on an error node (lezer marks each recovery), so a tree without
  // any needs no second walk.
  const problems = (errorFree ? [] : syntaxProblems(tree, text, ctx.acceptedErrors)).concat(ctx.problems);
  problems.sort((a, b) => a.from - b.from || a.to - b.to);
  return { text, parsed: input.text, tree, module: { body, problems }, statements };
}

/**
 * Subtrees (lezer's Tree and TreeBuffer objects) known to hold no error node. An incremental parse
 * reuses the previous tree's subtrees as they are, so after an edit only the re-parsed ones are
 * walked: a whole-tree walk cost half of a steady 1-character reparse, and several ms on the first
 * edits of a session, while its code was still cold.
 */
const errorFreeSubtrees = new WeakSet<Tree | TreeBuffer>();

function hasErrors(tree: Tree): boolean {
  return !isErrorFree(tree);
}

function isErrorFree(t: Tree | TreeBuffer): boolean {
  if (errorFreeSubtrees.has(t)) return true;
  const ok = t instanceof TreeBuffer ? bufferIsErrorFree(t) : !t.type.isError && t.children.every(isErrorFree);
  if (ok) errorFreeSubtrees.add(t);
  return ok;
}

/** A buffer holds its nodes as (type, from, to, end) quadruples. */
function bufferIsErrorFree(b: TreeBuffer): boolean {
  const types = b.set.types;
  const buf = b.buffer;
  for (let i = 0; i < buf.length; i += 4) if (types[buf[i]].isError) return false;
  return true;
}

/** The one edited region between two texts: common prefix and suffix. */
function singleChange(a: string, b: string): { fromA: number; toA: number; fromB: number; toB: number } {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return { fromA: start, toA: endA, fromB: start, toB: endB };
}

function shiftEntry(entry: CachedStatement, to: number): void {
  const delta = to - entry.from;
  if (delta === 0) return;
  entry.from = to;
  for (const s of entry.stmts) shift(s, delta);
  for (const p of entry.problems) shift(p, delta);
  entry.accepted = entry.accepted.map((a) => a + delta);
}

/**
 * Moves every span in an AST fragment by `delta` (all span fields are named from/to). The converter
 * builds a tree, never a graph (no node is reachable twice), so no visited set is needed; the
 * closures the interpreter caches on nodes are functions and are skipped.
 */
function shift(node: object, delta: number): void {
  if (Array.isArray(node)) {
    for (const x of node) if (x !== null && typeof x === "object") shift(x, delta);
    return;
  }
  const o = node as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (typeof v === "number") {
      if (k === "from" || k === "to") o[k] = v + delta;
    } else if (v !== null && typeof v === "object") shift(v, delta);
  }
}
