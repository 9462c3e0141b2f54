// The CLI proper, with every effect injected (output streams, file reading, the analyzer) so tests
// run it in-process. Exit codes: 0 a graph was produced (maybe partial), 1 nothing could be
// analysed, 2 bad arguments or an unreadable file.

import { summarize } from "../analysis/summary";
import type { Diagnostic } from "../ir/types";
import type { Analyzer, AnalyzerResult } from "./analyzer";
import { parseArgs, USAGE } from "./args";
import { siblingReader } from "./files";
import { renderReport } from "./report";

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A file's text; throws (an Error whose message says why) when it cannot be read. */
  readFile(path: string): string;
  analyze: Analyzer;
  version: string;
  /** Terminal width for the table, when writing to a terminal. */
  columns?: number;
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
  if (command.json) io.stdout(JSON.stringify(summary, null, 2) + "\n");
  else io.stdout(renderReport(summary, { modelName: result.ir.modelName, maxWidth: io.columns }));
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
