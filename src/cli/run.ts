// The CLI proper, with every effect injected (output streams, file reading, the analyzer) so tests
// run it in-process. Exit codes: 0 a graph was produced (maybe partial), 1 nothing could be
// analysed (no model, or a graph with no layer: its empty table is still printed), 2 bad arguments
// or an unreadable file.

import { summarize } from "../analysis/summary";
import type { Diagnostic } from "../ir/types";
import type { Analyzer, AnalyzerResult } from "./analyzer";
import { parseArgs, USAGE } from "./args";
import { importReader } from "./files";
import { renderReport } from "./report";
import { buildReportHtml } from "./report-html";
import { initialViewState, type Snapshot } from "../protocol";
import type { GraphIR } from "../ir/types";
import type { ProfileResult } from "../profile/result";
import { parseResult } from "../profile/serialize";
import { completenessOf, type Completeness } from "./completeness";

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A file's text; throws (an Error whose message says why) when it cannot be read. */
  readFile(path: string): string;
  analyze: Analyzer;
  version: string;
  /** Terminal width for the table, when writing to a terminal. */
  columns?: number;
  /** Writes a text file (the `report` command); throws an Error saying why when it cannot. */
  writeFile?(path: string, text: string): void;
  /**
   * The built webview bundle and stylesheet the `report` command inlines, and the profiler bundle
   * (dist/webview-profiler.js) when it was built; throws when the webview bundle is missing.
   */
  webviewAssets?(): { bundle: string; css: string; profiler?: string };
}

export const EXIT_OK = 0;
export const EXIT_NO_MODEL = 1;
export const EXIT_USAGE = 2;

export function runCli(argv: string[], io: CliIO): number {
  const parsed = parseArgs(argv);
  if (parsed.kind === "error") {
    io.stderr(parsed.message + "\n");
    return EXIT_USAGE;
  }
  const command = parsed.command;
  if (command.kind === "help") {
    io.stdout(USAGE + "\n");
    return EXIT_OK;
  }
  if (command.kind === "version") {
    io.stdout(`resgraph ${io.version}\n`);
    return EXIT_OK;
  }

  let text: string;
  try {
    text = io.readFile(command.file);
  } catch (e) {
    io.stderr(`Cannot read "${command.file}" (${errorText(e)}); check the path and that the file is readable.\n`);
    return EXIT_USAGE;
  }

  let result: AnalyzerResult;
  try {
    result = io.analyze({
      file: command.file,
      text,
      entry: command.entry,
      input: command.input,
      readFile: importReader(command.file, (path) => {
        try {
          return io.readFile(path);
        } catch {
          return undefined;
        }
      }),
    });
  } catch (e) {
    io.stderr(`ResGraph failed while analysing "${command.file}" (${errorText(e)}); please report this with the file.\n`);
    return EXIT_NO_MODEL;
  }

  for (const d of result.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
  if (!result.ir) {
    io.stderr(noModelMessage(command.file, command.entry, result) + "\n");
    return EXIT_NO_MODEL;
  }
  const summary = summarize(result.ir, result.diagnostics);
  const completeness = completenessOf(result.ir, result.diagnostics);
  // An empty graph is printed (its header says what was tried) but is no result.
  const code = completeness.emptyGraph ? EXIT_NO_MODEL : EXIT_OK;
  if (command.kind === "report") {
    let profile: ProfileResult | undefined;
    if (command.profile !== undefined) {
      const loaded = loadProfile(command.profile, result.ir, io);
      if (typeof loaded === "number") return loaded;
      profile = loaded;
    }
    const snapshot: Snapshot = {
      file: command.file,
      documentVersion: 0,
      ir: result.ir,
      summary,
      diagnostics: result.diagnostics,
      entries: result.entries.map((e) => ({ expr: e.expr, label: e.label })),
      entry: result.entry ?? command.entry ?? result.ir.entry,
      view: initialViewState(),
    };
    if (profile) snapshot.profile = profile;
    const written = writeHtmlReport(command.output, snapshot, io);
    return written === EXIT_OK ? code : written;
  }
  if (command.json) io.stdout(JSON.stringify(withCompleteness(summary, completeness), null, 2) + "\n");
  else io.stdout(renderReport(summary, { modelName: result.ir.modelName, maxWidth: io.columns, completeness }));
  if (completeness.emptyGraph) {
    io.stderr(`The graph of ${result.ir.modelName} (entry "${result.ir.entry}") has no layers: nothing between its inputs and outputs could be analysed; see the messages above.\n`);
  }
  return code;
}

/** The summary with `completeness` right after `totals`, which it qualifies. */
function withCompleteness(summary: ReturnType<typeof summarize>, completeness: Completeness): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(summary)) {
    out[k] = v;
    if (k === "totals") out.completeness = completeness;
  }
  return out;
}

function writeHtmlReport(output: string, snapshot: Snapshot, io: CliIO): number {
  let assets: { bundle: string; css: string; profiler?: string };
  try {
    if (!io.webviewAssets || !io.writeFile) throw new Error("this build cannot write reports");
    assets = io.webviewAssets();
  } catch (e) {
    io.stderr(`Cannot build the HTML report: the webview bundle is missing (${errorText(e)}); run \`npm run build\` first.\n`);
    return EXIT_NO_MODEL;
  }
  try {
    io.writeFile(output, buildReportHtml({ snapshot, ...assets }));
  } catch (e) {
    io.stderr(`Cannot write "${output}" (${errorText(e)}); check that its folder exists and is writable.\n`);
    return EXIT_USAGE;
  }
  io.stderr(`Wrote ${output}: ${snapshot.ir?.modelName ?? "model"}, ${snapshot.ir?.nodes.length ?? 0} nodes; open it in a browser.\n`);
  return EXIT_OK;
}

/** Reads `--profile FILE` for a report: a result for this graph, or the exit code after saying why not. */
function loadProfile(path: string, ir: GraphIR, io: CliIO): ProfileResult | number {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    io.stderr(`Cannot read the profile "${path}" (${errorText(e)}); check the path, or write one with \`resgraph profile FILE --json > ${path}\`.\n`);
    return EXIT_USAGE;
  }
  const parsed = parseResult(text, `The profile "${path}"`);
  if (!parsed.ok) {
    io.stderr(parsed.message + "\n");
    return EXIT_USAGE;
  }
  const ids = new Set(ir.nodes.map((n) => n.id));
  const known = parsed.result.nodes.filter((n) => ids.has(n.id)).length;
  if (known === 0) {
    io.stderr(`The profile "${path}" is of ${parsed.result.modelName} (${parsed.result.entry}) and none of its ${parsed.result.nodes.length} layers are in the graph of ${ir.modelName} (${ir.entry}); profile this model, or pass the same --entry and --input.\n`);
    return EXIT_USAGE;
  }
  if (known < parsed.result.nodes.length) {
    io.stderr(`Warning: ${parsed.result.nodes.length - known} of the ${parsed.result.nodes.length} profiled layers in "${path}" are not in this graph; the source changed since it was profiled.\n`);
  }
  return parsed.result;
}

/** `model.py:12:5: error: Conv2d expects 64 input channels, got 128. [shape-mismatch]` (1-based, like compilers). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

function noModelMessage(file: string, entry: string | undefined, result: AnalyzerResult): string {
  const lines = [`No model could be analysed in ${file}.`];
  if (entry !== undefined) {
    lines.push(`The entry "${entry}" did not produce a model; see the messages above.`);
  }
  // Never suggest what was just tried and failed.
  const failed = new Set([...(result.failedEntries ?? []), ...(entry !== undefined ? [entry] : [])]);
  // The analyzer knows why better than "nothing found": model classes that all need constructor arguments, say.
  const why = entry === undefined ? result.diagnostics.find((d) => d.code === "no-model") : undefined;
  if (result.entries.length > 0) {
    const width = Math.max(...result.entries.map((e) => e.expr.length));
    lines.push("Candidate entries:");
    for (const e of result.entries) lines.push(`  ${e.expr.padEnd(width)}  ${e.label} (${e.kind}${failed.has(e.expr) ? ", builds no graph" : ""})`);
    // Nor what gave no model at all (a factory returning a functools.partial).
    const notModels = new Set(result.notModelEntries ?? []);
    const next = result.entries.find((e) => !failed.has(e.expr) && !notModels.has(e.expr));
    // The candidates were tried and built nothing: the model is a class that needs arguments, not one of them.
    if (why) lines.push(why.message);
    else if (next) lines.push(`Pick one with --entry, e.g. resgraph summary ${file} --entry "${next.expr}".`);
    else lines.push(`None of them builds a graph; the messages above say why. Name another expression that builds the model with --entry.`);
  } else if (entry === undefined) {
    lines.push(
      why?.message ??
        `No Keras or PyTorch model class or factory function was found; define one, or name the expression that builds the model with --entry, e.g. --entry "resnet50()".`,
    );
  }
  return lines.join("\n");
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
