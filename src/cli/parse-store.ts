// The CLI's persistent parse cache: parsed modules as JSON files named by a hash of the analyzer
// build and the exact source text, so a repeated `resgraph summary` skips the cold parser. A stale or
// unreadable entry is simply a miss; the cache only ever saves time.

import { createHash } from "node:crypto";
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
  const name = (text: string) => `${createHash("sha1").update(build).update("\0").update(text).digest("hex")}.json`;
  return {
    load(text) {
      const file = name(text);
      for (const dir of folders) {
        try {
          return JSON.parse(readFileSync(join(dir, file), "utf8")) as Module;
        } catch {
          // a miss here; try the next folder
        }
      }
      return undefined;
    },
    save(text, module) {
      const json = toExactJson(module);
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

/** JSON that reads back as the same tree, or undefined (JSON turns 1e999 and NaN into null). */
function toExactJson(module: Module): string | undefined {
  let exact = true;
  const json = JSON.stringify(module, (_k, v) => {
    if (typeof v === "number" && !Number.isFinite(v)) exact = false;
    return v;
  });
  return exact ? json : undefined;
}
