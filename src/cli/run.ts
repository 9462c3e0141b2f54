// The CLI proper, with every effect injected (output streams, file reading, the analyzer) so tests
// run it in-process. Exit codes: 0 a graph was produced (maybe partial), 1 nothing could be
// analysed, 2 bad arguments or an unreadable file.

import { summarize } from "../analysis/summary";
import type { Diagnostic } from "../ir/types";
import type { Analyzer, AnalyzerResult } from "./analyzer";
import { parseArgs, USAGE } from "./args";
import { siblingReader } from "./files";
import { renderReport } from "./report";
import { buildReportHtml } from "./report-html";
import { initialViewState, type Snapshot } from "../protocol";

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
  /** The built webview bundle and stylesheet the `report` command inlines; throws when missing. */
  webviewAssets?(): { bundle: string; css: string };
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
      readFile: siblingReader(command.file, (path) => {
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
  if (command.kind === "report") {
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
    return writeHtmlReport(command.output, snapshot, io);
  }
  if (command.json) io.stdout(JSON.stringify(summary, null, 2) + "\n");
  else io.stdout(renderReport(summary, { modelName: result.ir.modelName, maxWidth: io.columns }));
  return EXIT_OK;
}

function writeHtmlReport(output: string, snapshot: Snapshot, io: CliIO): number {
  let assets: { bundle: string; css: string };
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

/** `model.py:12:5: error: Conv2d expects 64 input channels, got 128. [shape-mismatch]` (1-based, like compilers). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

function noModelMessage(file: string, entry: string | undefined, result: AnalyzerResult): string {
  const lines = [`No model could be analysed in ${file}.`];
  if (entry !== undefined) {
    lines.push(`The entry "${entry}" did not produce a model; see the messages above.`);
  }
  if (result.entries.length > 0) {
    const width = Math.max(...result.entries.map((e) => e.expr.length));
    lines.push("Candidate entries:");
    for (const e of result.entries) lines.push(`  ${e.expr.padEnd(width)}  ${e.label} (${e.kind})`);
    lines.push(`Pick one with --entry, e.g. resgraph summary ${file} --entry "${result.entries[0].expr}".`);
  } else if (entry === undefined) {
    lines.push(
      `No Keras or PyTorch model class or factory function was found; define one, or name the expression that builds the model with --entry, e.g. --entry "resnet50()".`,
    );
  }
  return lines.join("\n");
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
