// CLI entry point (bundled to dist/cli.js, started by bin/resgraph.js): wires the real process,
// file system and analyzer into runCli.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "../analyze";
import type { analyzeFile as AnalyzeFile } from "../formats/index";
import { isModelFileName } from "../formats/names";
import { parseArgs } from "./args";
import type { AnalyzerResult } from "./analyzer";
import { runCli } from "./run";
import { endQuietlyOnClosedPipe } from "./closed-pipe";
import { fileParseStore } from "./parse-store";
import { usePersistentParses } from "../python/incremental";
import packageJson from "../../package.json";

/**
 * Saved model files (model.json, .keras, .h5, .onnx) load asynchronously (HDF5 through wasm), so they
 * are opened here, at the I/O boundary; runCli then formats the result like any Python analysis.
 */
async function preloadModelFile(argv: string[]): Promise<{ file: string; result: AnalyzerResult } | undefined> {
  const parsed = parseArgs(argv);
  if (parsed.kind !== "ok" || !("file" in parsed.command)) return undefined;
  const file = parsed.command.file;
  if (!isModelFileName(file)) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined; // runCli reports the unreadable file
  }
  // A sibling bundle, required at run time (see scripts/build.mjs).
  const { analyzeFile } = require("./model-files.js") as { analyzeFile: typeof AnalyzeFile };
  return { file, result: await analyzeFile({ file, bytes }) };
}

/** What this run analysed ("summary pytorch"), for bin/code-cache.js; undefined while nothing was. */
let analysed: string | undefined;

/** Read by bin/code-cache.js at exit: a new kind of run adds its compiled functions to the code cache. */
export function codeCacheCoverage(): string | undefined {
  return analysed;
}

async function main(): Promise<number> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  const argv = process.argv.slice(2);
  if (!process.env.RESGRAPH_NO_CACHE) usePersistentParses(fileParseStore(__filename));
  const model = await preloadModelFile(argv);
  return runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => (model && path === model.file ? "" : readFileSync(path, "utf8")),
    analyze: (opts) => {
      const result = model && opts.file === model.file ? model.result : analyze(opts);
      if (result.ir) analysed = `${argv[0]} ${model ? "model-file" : result.ir.framework}`;
      return result;
    },
    version: packageJson.version,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    writeFile: (path, text) => writeFileSync(path, text, "utf8"),
    // dist/cli.js sits next to dist/webview.js; the stylesheet lives in media/ beside dist/.
    webviewAssets: () => ({
      bundle: readFileSync(join(__dirname, "webview.js"), "utf8"),
      css: readFileSync(join(__dirname, "..", "media", "webview.css"), "utf8"),
      // Optional: reports without it still work, only without "Profile in this page".
      profiler: existsSync(join(__dirname, "webview-profiler.js")) ? readFileSync(join(__dirname, "webview-profiler.js"), "utf8") : undefined,
    }),
  });
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`ResGraph failed: ${e instanceof Error ? e.message : String(e)}; please report this.\n`);
    process.exitCode = 1;
  },
);
