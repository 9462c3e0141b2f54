// Stub modules the interpreter can import, by dotted name. Each framework registers a table of
// factories; a factory runs once per process (classes hold no per-analysis state: that lives in
// NativeContext.state).

import type { PyModule } from "../interp/values";

export type StubTable = Record<string, () => PyModule>;

const tables: StubTable[] = [];
const cache = new Map<string, PyModule>();

export function registerStubs(table: StubTable): void {
  tables.push(table);
}

export function stubModule(name: string): PyModule | undefined {
  return fromTables(tables, name, name);
}

/** The module `name` from the first table that has it, made once and kept under `key`. */
function fromTables(from: StubTable[], name: string, key: string): PyModule | undefined {
  const hit = cache.get(key);
  if (hit) return hit;
  for (const t of from) {
    const f = t[name];
    if (f) {
      const m = f();
      cache.set(key, m);
      return m;
    }
  }
  return undefined;
}

const fallbackTables: StubTable[] = [];

/**
 * Stubs of a few helpers of packages a workspace may hold the source of (timm): used only for a module
 * no workspace or bundled file provides, so real source, where it is, runs as written.
 */
export function registerFallbackStubs(table: StubTable): void {
  fallbackTables.push(table);
}

export function fallbackStubModule(name: string): PyModule | undefined {
  return fromTables(fallbackTables, name, `fallback:${name}`);
}

/**
 * The names `from <module> import *` binds, for stub modules that serve some of their public names
 * lazily through a module `__getattr__` (a harmless or unmodelled stand-in), so that their own dict
 * does not list them: what the real module exports, by the stub module's name.
 */
const starExports = new Map<string, readonly string[]>();

export function registerStarExports(table: Record<string, readonly string[]>): void {
  for (const [name, names] of Object.entries(table)) starExports.set(name, names);
}

export function stubStarExports(moduleName: string): readonly string[] | undefined {
  return starExports.get(moduleName);
}
