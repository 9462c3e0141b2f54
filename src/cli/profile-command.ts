// `resgraph profile FILE`: analyses the model, hands the IR to the profiler core with the `tf` a
// backend registry loaded (injected, so this file never imports tfjs), and prints the per-layer
// latency table or the JSON result. Exit codes as the other commands: 0 ok, 1 nothing to profile
// or the profile failed, 2 bad arguments.

import type { Analyzer } from "./analyzer";
import { parseShapes } from "./args";
import { importReader } from "./files";
import { formatDiagnostic } from "./run";
import { renderTable } from "./table";
import { formatShape } from "./format";
import { isBackendName, type BackendChoice, type BackendName } from "../profile/backend-choice";
import { profileModel, type ProfileOptions } from "../profile/profile";
import { fusedByLayer, type ProfileResult } from "../profile/result";
import { toCsv } from "../profile/export";
import { slowest } from "../profile/rollup";
import type { Tf } from "../profile/tf-api";

export interface ProfileIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  writeFile?(path: string, text: string): void;
  columns?: number;
}

export interface ProfileDeps {
  analyze: Analyzer;
  loadBackend(name?: BackendName, opts?: { backendsDir?: string }): Promise<{ tf: Tf; choice: BackendChoice }>;
  /** Extra profiler options (tests: fewer runs, no peak). */
  profileOptions?: Partial<ProfileOptions>;
}

export const PROFILE_USAGE = `Usage: resgraph profile FILE [--entry EXPR] [--input SHAPE] [--backend wasm|cpu|node|node-gpu]
                        [--runs N] [--warmup N] [--batch N] [--no-fuse] [--json] [--csv FILE] [--backends-dir DIR]

Builds the model as a TensorFlow.js computation with random weights and measures every layer's latency
(median, p10, p90 over --runs passes after --warmup passes), the whole model's, and each layer's
achieved GFLOP/s next to the backend's measured matmul peak. An inference BatchNorm (and the activation
after it) runs folded into the convolution before it, as deployed models run, and is listed under that
conv's row; --no-fuse times every layer on its own. See docs/profiling.md.`;

interface ProfileArgs {
  file: string;
  entry?: string;
  input?: number[][];
  backend?: BackendName;
  runs?: number;
  warmup?: number;
  batch?: number;
  json: boolean;
  noFuse: boolean;
  csv?: string;
  backendsDir?: string;
}

export function parseProfileArgs(argv: string[]): ProfileArgs | string {
  const rest = argv[0] === "profile" ? argv.slice(1) : argv;
  const out: Partial<ProfileArgs> & { json: boolean; noFuse: boolean } = { json: false, noFuse: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : i + 1 < rest.length ? rest[++i] : undefined);
    const count = (min: number): number | string => {
      const v = value();
      return v !== undefined && /^[0-9]+$/.test(v) && Number(v) >= min ? Number(v) : `${flag} needs a whole number of at least ${min}, e.g. ${flag} ${Math.max(min, 2)}.`;
    };
    if (flag === "--json") out.json = true;
    else if (flag === "--no-fuse") out.noFuse = true;
    else if (flag === "--entry") out.entry = value();
    else if (flag === "--input") {
      const shapes = parseShapes(value() ?? "");
      if (typeof shapes === "string") return shapes;
      out.input = shapes;
    } else if (flag === "--backend") {
      const v = value() ?? "";
      if (!isBackendName(v) || v === "webgl" || v === "webgpu") return `--backend must be one of wasm, cpu, node, node-gpu; got "${v}".`;
      out.backend = v;
    } else if (flag === "--runs" || flag === "--warmup" || flag === "--batch") {
      const n = count(flag === "--warmup" ? 0 : 1);
      if (typeof n === "string") return n;
      out[flag.slice(2) as "runs" | "warmup" | "batch"] = n;
    } else if (flag === "--csv") out.csv = value();
    else if (flag === "--backends-dir") out.backendsDir = value();
    else if (arg.startsWith("-") && arg !== "-") return `Unknown option "${flag}" for profile. Run \`resgraph profile --help\` for usage.`;
    else if (out.file === undefined) out.file = arg;
    else return `Only one FILE can be profiled at a time, got "${out.file}" and "${arg}".`;
  }
  if (out.file === undefined) return `No FILE given; write e.g. resgraph profile model.py --entry "resnet50()".`;
  return out as ProfileArgs;
}

export async function runProfileCommand(argv: string[], io: ProfileIO, deps: ProfileDeps): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(PROFILE_USAGE + "\n");
    return 0;
  }
  const args = parseProfileArgs(argv);
  if (typeof args === "string") {
    io.stderr(args + "\n");
    return 2;
  }
  let text: string;
  try {
    text = io.readFile(args.file);
  } catch (e) {
    io.stderr(`Cannot read "${args.file}" (${message(e)}); check the path and that the file is readable.\n`);
    return 2;
  }
  const readOther = (p: string) => {
    try {
      return io.readFile(p);
    } catch {
      return undefined;
    }
  };
  const analysis = deps.analyze({ file: args.file, text, entry: args.entry, input: args.input, readFile: importReader(args.file, readOther) });
  for (const d of analysis.diagnostics) if (d.severity === "error") io.stderr(formatDiagnostic(d) + "\n");
  if (!analysis.ir) {
    io.stderr(`No model could be analysed in ${args.file}; run \`resgraph summary ${args.file}\` to see why.\n`);
    return 1;
  }
  let loaded: { tf: Tf; choice: BackendChoice };
  try {
    loaded = await deps.loadBackend(args.backend, { backendsDir: args.backendsDir });
  } catch (e) {
    io.stderr(message(e) + "\n");
    return 1;
  }
  const { tf, choice } = loaded;
  if (!args.json) io.stderr(`Backend: ${choice.picked} (${choice.device}). ${choice.probes.find((p) => p.status === "picked")?.reason ?? ""}\n`);
  let result: ProfileResult;
  try {
    result = await profileModel(tf, analysis.ir, {
      batch: args.batch,
      runs: args.runs,
      warmup: args.warmup,
      method: choice.method,
      device: choice.device,
      ...(args.noFuse ? { fuse: false } : {}),
      ...deps.profileOptions,
    });
  } catch (e) {
    io.stderr(`Profiling ${args.file} failed: ${message(e)}\n`);
    return 1;
  }
  if (args.csv) {
    try {
      if (!io.writeFile) throw new Error("this build cannot write files");
      io.writeFile(args.csv, toCsv(result));
    } catch (e) {
      io.stderr(`Cannot write "${args.csv}" (${message(e)}).\n`);
      return 2;
    }
  }
  if (args.json) io.stdout(JSON.stringify({ ...result, backendChoice: choice }, null, 2) + "\n");
  else io.stdout(renderProfile(result, choice, io.columns));
  return 0;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

/** The per-layer latency table and the summary lines under it. */
export function renderProfile(r: ProfileResult, choice: BackendChoice, maxWidth?: number): string {
  const fusedInto = fusedByLayer(r);
  // A fused node has no time of its own: it is listed under the conv whose row includes it.
  const rows = r.nodes.flatMap((n) => [
    [n.id, n.op, ms(n.medianMs), ms(n.p10Ms), ms(n.p90Ms), n.percent.toFixed(1), n.gflopsPerSec === null ? "" : n.gflopsPerSec.toFixed(1)],
    ...(fusedInto.get(n.id) ?? []).map((f) => [`  ${f.id}`, f.op, `in ${n.id}`, "", "", "", ""]),
  ]);
  const lines = renderTable(
    [
      { header: "Layer", align: "left", shrink: true, minWidth: 16 },
      { header: "Op", align: "left" },
      { header: "Median ms", align: "right" },
      { header: "p10", align: "right" },
      { header: "p90", align: "right" },
      { header: "%", align: "right" },
      { header: "GFLOP/s", align: "right" },
    ],
    rows,
    { maxWidth },
  );
  const out = [`${r.modelName} on ${r.backend} — ${r.device}`, `Input ${r.input.map((s) => formatShape(s)).join(", ")}, batch ${r.batch}, ${r.layout}; ${r.warmup} warm-up, ${r.runs} runs (${r.method}).`, "", ...lines, ""];
  out.push(`Whole model: median ${ms(r.wholeModel.medianMs)} ms (p10 ${ms(r.wholeModel.p10Ms)}, p90 ${ms(r.wholeModel.p90Ms)}).`);
  out.push(`Sum of layers: ${ms(r.layerSumMs)} ms = ${r.ratio.toFixed(3)} of the whole model.`);
  if (r.peakGflops !== null) out.push(`Backend peak (one large matmul): ${r.peakGflops.toFixed(1)} GFLOP/s.`);
  const block = slowest(r.blocks);
  if (block) out.push(`Slowest residual block: ${block.name} (${ms(block.medianMs)} ms, ${block.percent.toFixed(1)}%).`);
  for (const s of r.stages) out.push(`  ${s.name.padEnd(8)} ${ms(s.medianMs).padStart(9)} ms  ${s.percent.toFixed(1).padStart(5)}%`);
  const fusedCount = r.fused?.length ?? 0;
  if (fusedCount > 0) out.push(`Fused: ${fusedCount} BatchNorm/activation layers ran inside the conv above them; that row's time includes theirs (--no-fuse times them alone).`);
  if (r.skipped.length > 0) {
    out.push(`Not profiled (${r.skipped.length}):`);
    for (const s of r.skipped) out.push(`  ${s.id}: ${s.reason}`);
  }
  for (const w of r.warnings) out.push(`Warning: ${w}`);
  const notPicked = choice.probes.filter((p) => p.status === "absent" || p.status === "unusable");
  for (const p of notPicked) out.push(`(${p.backend} not used: ${p.reason})`);
  return out.join("\n") + "\n";
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
