// The CLI's persistent parse cache: parsed modules as JSON files named by a hash of the analyzer
// build and the exact source text, so a repeated `resgraph summary` skips the cold parser. A stale or
// unreadable entry is simply a miss; the cache only ever saves time.
// The name is a fast non-cryptographic hash (loading node:crypto alone costs a cold process several
// ms); each entry keeps its text and is used only when that text is the one asked for, so a
// colliding name is a miss, never a wrong tree.

import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Module } from "../python/ast";
import type { ParseStore } from "../python/incremental";

/**
 * `bundle` is the running bundle: its size and modification time identify the build, so a rebuilt
 * parser never reads trees written by an older one.
 */
export function fileParseStore(bundle: string, folders: string[] = [join(bundle, "..", ".cache", "parses"), join(tmpdir(), "resgraph-parses")]): ParseStore | undefined {
  let build: string;
  try {
    const st = statSync(bundle);
    build = `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const name = (text: string) => `${textHash(build)}${textHash(text)}.json`;
  return {
    load(text) {
      const file = name(text);
      for (const dir of folders) {
        try {
          const entry = JSON.parse(readFileSync(join(dir, file), "utf8")) as Partial<StoredParse>;
          if (entry.text === text && entry.module) return entry.module;
        } catch {
          // a miss here; try the next folder
        }
      }
      return undefined;
    },
    save(text, module) {
      const json = toExactJson({ text, module });
      if (json === undefined) return;
      const file = name(text);
      for (const dir of folders) {
        try {
          mkdirSync(dir, { recursive: true });
          const path = join(dir, file);
          const tmp = `${path}.${process.pid}`;
          writeFileSync(tmp, json);
          renameSync(tmp, path);
          pruneOldest(dir);
          return;
        } catch {
          // not writable; try the next folder
        }
      }
    },
  };
}

/** Every edited version of a file leaves an entry: keep the newest MAX_ENTRIES. */
const MAX_ENTRIES = 256;

function pruneOldest(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(join(dir, n), { force: true });
}

interface StoredParse {
  text: string;
  module: Module;
}

/**
 * 64 bits of name from the length and about 2,000 evenly spaced code units (two FNV-1a style mixes):
 * a cold process hashes a whole file in JS slower than it reads the entry back. Texts that share a
 * name only take each other's place; the stored text decides every hit.
 */
export function textHash(s: string): string {
  const step = Math.max(1, Math.floor(s.length / 2048));
  let h1 = 0x811c9dc5 ^ s.length;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i += step) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, "0");
  return hex(h1) + hex(h2);
}

/** JSON that reads back as the same entry, or undefined (JSON turns 1e999 and NaN into null). */
function toExactJson(entry: StoredParse): string | undefined {
  let exact = true;
  const json = JSON.stringify(entry, (_k, v) => {
    if (typeof v === "number" && !Number.isFinite(v)) exact = false;
    return v;
  });
  return exact ? json : undefined;
}
