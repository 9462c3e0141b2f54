// Loads a CommonJS bundle through V8's code cache. A cold `resgraph summary` spends a good part of
// its time compiling the bundle's functions; the cache, written after the first run, lets later runs
// skip that. Any failure (read-only folders, a cache from another Node version) falls back to a
// plain compile: the cache only ever saves time.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");
const { isAscii } = require("node:buffer");

/**
 * Next to the bundle when that folder is writable, else in the temporary folder. The name carries the
 * bundle's size and modification time: V8 checks a cache only against the source's length, so a
 * rebuild of the same length must not find the old one.
 */
function cachePaths(file) {
  const st = fs.statSync(file);
  const stamp = `${path.basename(file)}.${process.versions.v8}.${st.size}-${Math.floor(st.mtimeMs)}.cache`;
  const tmpName = `resgraph-${Buffer.from(path.dirname(file)).toString("base64url").slice(-40)}-${stamp}`;
  return [path.join(path.dirname(file), ".cache", stamp), path.join(os.tmpdir(), tmpName)];
}

/**
 * A cache file is one header line, the JSON list of the kinds of run whose compiled functions it
 * holds (see coverageOf), then V8's data. Files without the header (older builds) are not used.
 */
function readCache(paths) {
  for (const p of paths) {
    let bytes;
    try {
      bytes = fs.readFileSync(p);
    } catch {
      continue; // not there yet
    }
    const nl = bytes.indexOf(10);
    try {
      const covers = JSON.parse(bytes.latin1Slice(0, nl));
      if (nl > 0 && Array.isArray(covers)) return { data: bytes.subarray(nl + 1), path: p, covers };
    } catch {
      // an older format: compile afresh and replace it
    }
  }
  return undefined;
}

function writeCache(paths, data, covers) {
  const header = Buffer.from(JSON.stringify(covers) + "\n", "latin1");
  for (const p of paths) {
    try {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      const tmp = `${p}.${process.pid}`;
      fs.writeFileSync(tmp, Buffer.concat([header, data]));
      fs.renameSync(tmp, p);
      removeOlderCaches(p);
      return;
    } catch {
      // try the next place
    }
  }
}

/**
 * What kind of run this was, as the bundle says through an exported `codeCacheCoverage()` (e.g.
 * "summary pytorch"); undefined when nothing worth caching ran (help, version, a usage error).
 * A bundle without that export counts every run as the same kind.
 */
function coverageOf(exports) {
  return typeof exports.codeCacheCoverage === "function" ? exports.codeCacheCoverage() : "load";
}

/** Caches of earlier builds of the same bundle are never read again: each rebuild replaces its one file. */
function removeOlderCaches(current) {
  const dir = path.dirname(current);
  const own = path.basename(current);
  const prefix = own.split(".").slice(0, 2).join(".") + "."; // "cli.js."
  for (const name of fs.readdirSync(dir)) {
    if (name !== own && name.startsWith(prefix) && name.endsWith(".cache")) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * The bundle's text. The build keeps it ASCII, and an ASCII buffer read as latin1 is the same string
 * without UTF-8 decoding, which costs a cold start several milliseconds on a 1 MB bundle.
 */
function readSource(file) {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString("utf8");
}

/** `require(file)` for a bundle, compiled with (and then feeding) the code cache. */
function requireWithCodeCache(file) {
  if (process.env.RESGRAPH_NO_CACHE) return require(file);
  let paths;
  let cached;
  let script;
  try {
    paths = cachePaths(file);
    cached = readCache(paths);
    const source = readSource(file);
    script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached?.data });
  } catch {
    return require(file);
  }
  const usable = cached !== undefined && !script.cachedDataRejected;
  // The cache holds the functions compiled by the runs that wrote it, so a cache written by
  // `--version` alone would leave every later summary compiling the analyzer lazily. So each new
  // kind of run rewrites it once: V8 then serialises what the cache gave plus what this run compiled.
  process.once("exit", () => {
    const kind = coverageOf(module.exports);
    const covers = usable ? cached.covers : [];
    if (kind === undefined || covers.includes(kind)) return;
    writeCache(paths, script.createCachedData(), [...covers, kind]);
  });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext();
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}

module.exports = { requireWithCodeCache };
