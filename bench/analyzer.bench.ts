// Analyzer benchmark: for every example model (examples/*.py, entries from
// test/fixtures/manifest.json when present) measure parse + analysis time
//   - warm: same process, after warm-up, median of N runs;
//   - edit: the text with a 1-character edit, re-analysed right after the original (median), both
//     before the incremental reparser has warmed up (the first N edits) and after;
// and the cold CLI process time of ResNet-152 (median of 11), without and with the CLI's caches,
// beside `node -e 0` for scale. The analyzer is measured as it ships, bundled. Prints a table and writes
// bench/results.json. Timings belong here only, never in tests.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { hostNoise, median, ms, renderTable, timeRuns } from "./bench-stats";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  runs: number;
  filter: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const opts: Options = { runs: 20, filter: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") opts.runs = Math.max(20, Number(argv[++i]) || 20);
    else if (argv[i] === "--filter") opts.filter = argv[++i];
    else throw new Error(`Unknown bench option ${argv[i]}; use --runs N or --filter SUBSTRING.`);
  }
  return opts;
}

/** One thing to analyse: a file and, when the manifest names them, its entry and input shape. */
interface Case {
  file: string;
  entry?: string;
  input?: number[][];
}

interface ManifestRow {
  file: string;
  entry?: string | null;
  input?: number[] | number[][] | null;
}

function toInputs(input: ManifestRow["input"]): number[][] | undefined {
  if (!input || input.length === 0) return undefined;
  return Array.isArray(input[0]) ? (input as number[][]) : [input as number[]];
}

function discoverCases(filter: string | undefined): Case[] {
  const examplesDir = join(root, "examples");
  const files = existsSync(examplesDir)
    ? readdirSync(examplesDir).filter((f) => f.endsWith(".py")).sort().map((f) => `examples/${f}`)
    : [];
  const manifestPath = join(root, "test", "fixtures", "manifest.json");
  const manifest: ManifestRow[] = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : [];
  const cases: Case[] = [];
  for (const file of files) {
    const rows = manifest.filter((r) => r.file === file);
    if (rows.length === 0) cases.push({ file });
    for (const r of rows) cases.push({ file, entry: r.entry ?? undefined, input: toInputs(r.input) });
  }
  return cases.filter((c) => !filter || `${c.file} ${c.entry ?? ""}`.includes(filter));
}

/** A 1-character edit that keeps the program meaning: a trailing space on the first line. */
function oneCharEdit(text: string): string {
  const nl = text.indexOf("\n");
  return nl < 0 ? `${text} ` : `${text.slice(0, nl)} ${text.slice(nl)}`;
}

/**
 * Imports: the analyzer asks for paths built from `file` (repository-relative here), so resolve
 * them from the repository root, serving only the example's own folder tree, as the CLI does.
 */
function folderReader(file: string): (path: string) => string | undefined {
  const base = dirname(resolve(root, file));
  return (p) => {
    const full = resolve(root, p);
    if (full !== base && !full.startsWith(base + sep)) return undefined;
    try {
      return readFileSync(full, "utf8");
    } catch {
      return undefined;
    }
  };
}

type AnalyzeFn = (opts: {
  file: string;
  text: string;
  entry?: string;
  input?: number[][];
  readFile?: (path: string) => string | undefined;
}) => { ir: { nodes: unknown[] } | null; diagnostics: unknown[] };

/**
 * The analyzer as it ships: src/analyze.ts and the graph analysis bundled by esbuild the way
 * scripts/build.mjs bundles the CLI and the extension. (Loading the TypeScript sources through tsx
 * instead adds a getter to every call that crosses a module, about a third of a warm run.)
 */
async function loadAnalyzer(): Promise<AnalyzeFn> {
  const path = join(root, "src", "analyze.ts");
  if (!existsSync(path)) {
    throw new Error("src/analyze.ts does not exist yet; the bench needs the analyzer's `analyze` function.");
  }
  const esbuild = await import("esbuild");
  const outfile = join(mkdtempSync(join(tmpdir(), "resgraph-bench-")), "analyzer.js");
  await esbuild.build({
    absWorkingDir: root,
    stdin: {
      contents: 'export { analyze } from "./src/analyze"; export { analyzeGraph } from "./src/analysis/summary";',
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile,
    logLevel: "warning",
  });
  const mod = createRequire(import.meta.url)(outfile) as {
    analyze?: AnalyzeFn;
    analyzeGraph?: (ir: unknown) => unknown;
  };
  if (typeof mod.analyze !== "function") throw new Error("src/analyze.ts does not export a function `analyze`.");
  const { analyze: analyzeFn, analyzeGraph } = mod;
  // "Full IR" includes the residual-block, depth and stage analysis, not just the interpreter's graph.
  return (opts) => {
    const r = analyzeFn(opts);
    if (r.ir && analyzeGraph) analyzeGraph(r.ir);
    return r;
  };
}

interface CaseResult {
  file: string;
  entry: string | null;
  nodes: number | null;
  diagnostics: number;
  warmMedianMs: number;
  warmMinMs: number;
  /** The first N edits after the warm runs: the reparser (unlike the analysis) is still cold. */
  firstEditsMedianMs: number;
  /** After as many warm-up edits as the warm runs had: a user typing for a while. */
  editMedianMs: number;
  runs: number;
}

/**
 * V8 needs on the order of a hundred runs of the interpreter's hot paths before it is fully optimised:
 * with 60 warm-up runs of ResNet-152, `--trace-deopt` still showed deoptimisations and the next ~35
 * runs took twice the steady time; after 150 there were none. The extension re-analyses on every
 * keystroke, so the steady state is what a user typing sees.
 */
const WARMUP = 150;

function benchCase(analyze: AnalyzeFn, c: Case, runs: number): CaseResult {
  const text = readFileSync(join(root, c.file), "utf8");
  const edited = oneCharEdit(text);
  const base = { file: c.file, entry: c.entry, input: c.input, readFile: folderReader(c.file) };
  const first = analyze({ ...base, text });
  const warm = timeRuns(() => analyze({ ...base, text }), runs, WARMUP);
  // Alternate original / edited so each timed run follows an analysis of different text,
  // which is what an edit in the editor looks like.
  const timeEdits = (count: number): number[] => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      analyze({ ...base, text });
      const t0 = performance.now();
      analyze({ ...base, text: edited });
      times.push(performance.now() - t0);
    }
    return times;
  };
  const firstEdits = timeEdits(runs);
  timeEdits(WARMUP);
  const edit = timeEdits(runs);
  return {
    file: c.file,
    entry: c.entry ?? null,
    nodes: first.ir ? first.ir.nodes.length : null,
    diagnostics: first.diagnostics.length,
    warmMedianMs: ms(median(warm)),
    warmMinMs: ms(Math.min(...warm)),
    firstEditsMedianMs: ms(median(firstEdits)),
    editMedianMs: ms(median(edit)),
    runs,
  };
}

interface ColdResult {
  /** Which environment: this one as it is, or this one without NODE_EXTRA_CA_CERTS. */
  environment: string;
  command: string;
  /** Every run with RESGRAPH_NO_CACHE=1: no code cache, no stored parse (a file never seen before). */
  uncachedMedianMs: number | null;
  /** Repeated runs on the same file: V8 code cache and stored parse in use. */
  cachedMedianMs: number | null;
  cachedMinMs: number | null;
  /** `node -e 0` on this machine: the floor under any Node CLI. */
  nodeStartMedianMs: number | null;
  runs: number;
  skipped?: string;
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv, runs: number): { times: number[]; error?: string } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env });
    times.push(performance.now() - t0);
    if (r.status !== 0) return { times, error: `the CLI exited with ${r.status}: ${r.stderr.trim().split("\n")[0]}` };
  }
  return { times };
}

/**
 * Node 20 reads and parses every certificate of NODE_EXTRA_CA_CERTS (and its own root store) before
 * any script runs: with this sandbox's bundle that is about 90 ms of each start-up. When it is set, the
 * cold runs are measured both with it and without it, the start-up most users' shells have.
 */
function benchColdCli(): ColdResult[] {
  const envs: [string, NodeJS.ProcessEnv][] = [["this environment", process.env]];
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: _unused, ...without } = process.env;
    envs[0][0] = "this environment (NODE_EXTRA_CA_CERTS set)";
    envs.push(["without NODE_EXTRA_CA_CERTS", without]);
  }
  return envs.map(([name, env]) => benchColdCliIn(name, env));
}

function benchColdCliIn(environment: string, env: NodeJS.ProcessEnv): ColdResult {
  const args = ["bin/resgraph.js", "summary", "examples/torch_resnet.py", "--entry", "resnet152()", "--json"];
  const command = `node ${args.map((a) => (/[()\s]/.test(a) ? JSON.stringify(a) : a)).join(" ")}`;
  const none = { environment, command, uncachedMedianMs: null, cachedMedianMs: null, cachedMinMs: null, nodeStartMedianMs: null };
  for (const needed of ["bin/resgraph.js", "dist/cli.js", "examples/torch_resnet.py"]) {
    if (!existsSync(join(root, needed))) return { ...none, runs: 0, skipped: `${needed} is missing.` };
  }
  const runs = 11;
  const uncached = timeProcess(args, { ...env, RESGRAPH_NO_CACHE: "1" }, runs);
  if (uncached.error) return { ...none, runs, skipped: uncached.error };
  timeProcess(args, env, 1); // writes the caches if they are not there yet
  const cached = timeProcess(args, env, runs);
  if (cached.error) return { ...none, runs, skipped: cached.error };
  const nodeStart = timeProcess(["-e", "0"], env, runs);
  return {
    environment,
    command,
    uncachedMedianMs: ms(median(uncached.times)),
    cachedMedianMs: ms(median(cached.times)),
    cachedMinMs: ms(Math.min(...cached.times)),
    nodeStartMedianMs: ms(median(nodeStart.times)),
    runs,
  };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const analyze = await loadAnalyzer();
  const cases = discoverCases(opts.filter);
  if (cases.length === 0) throw new Error("No examples found in examples/*.py; nothing to benchmark.");

  const noiseBefore = hostNoise();
  const results = cases.map((c) => benchCase(analyze, c, opts.runs));
  const noiseAfter = hostNoise();
  const colds = benchColdCli();

  console.log(
    renderTable(
      ["Example", "Entry", "Nodes", "Warm ms (median)", "Warm ms (min)", "1-char edit ms (median)", "First edits ms (median)"],
      results.map((r) => [
        r.file,
        r.entry ?? "(default)",
        r.nodes === null ? "no graph" : String(r.nodes),
        r.warmMedianMs.toFixed(2),
        r.warmMinMs.toFixed(2),
        r.editMedianMs.toFixed(2),
        r.firstEditsMedianMs.toFixed(2),
      ]),
    ),
  );
  console.log(
    `\nHost noise (a fixed pure-JS loop, 100 runs; median / min): before ${noiseBefore.medianMs} / ${noiseBefore.minMs} ms (x${noiseBefore.ratio}), ` +
      `after ${noiseAfter.medianMs} / ${noiseAfter.minMs} ms (x${noiseAfter.ratio}). A ratio well above 1 is the machine, not the analyzer.`,
  );
  for (const cold of colds) {
    console.log(
      cold.skipped !== undefined
        ? `\nCold CLI (${cold.environment}): skipped (${cold.skipped})`
        : `\nCold CLI process, ${cold.environment}, median of ${cold.runs} (${cold.command}):\n` +
            `  first run on a file (no caches):       ${cold.uncachedMedianMs!.toFixed(1)} ms\n` +
            `  repeat run (code cache + stored parse): ${cold.cachedMedianMs!.toFixed(1)} ms (min ${cold.cachedMinMs!.toFixed(1)})\n` +
            `  node -e 0:                              ${cold.nodeStartMedianMs!.toFixed(1)} ms`,
    );
  }

  const out = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? "unknown",
    runsPerCase: opts.runs,
    hostNoise: { before: noiseBefore, after: noiseAfter },
    cases: results,
    coldCli: colds,
  };
  const outPath = join(root, "bench", "results.json");
  writeFileSync(outPath, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nWrote ${relative(process.cwd(), outPath) || outPath}.`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
