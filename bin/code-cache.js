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

function readCache(paths) {
  for (const p of paths) {
    try {
      return { data: fs.readFileSync(p), path: p };
    } catch {
      // not there yet
    }
  }
  return undefined;
}

function writeCache(paths, data) {
  for (const p of paths) {
    try {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      const tmp = `${p}.${process.pid}`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, p);
      removeOlderCaches(p);
      return;
    } catch {
      // try the next place
    }
  }
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
  if (!cached || script.cachedDataRejected) {
    // At exit the cache also holds every function this run compiled lazily.
    process.once("exit", () => writeCache(paths, script.createCachedData()));
  }
  const module = { exports: {}, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext();
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}

module.exports = { requireWithCodeCache };
