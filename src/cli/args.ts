// Command-line arguments, parsed by hand (no dependency). Every error is a sentence saying what to do;
// bad arguments exit with code 2.

export type CliCommand =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "summary"; file: string; entry?: string; input?: number[][]; json: boolean }
  | { kind: "report"; file: string; entry?: string; input?: number[][]; output: string; profile?: string };

export type ParseResult = { kind: "ok"; command: CliCommand } | { kind: "error"; message: string };

export const USAGE = `Usage: resgraph summary FILE [--entry EXPR] [--input SHAPE] [--json]
       resgraph report FILE [--entry EXPR] [--input SHAPE] [--profile RESULT.json] -o REPORT.html
       resgraph profile FILE [--entry EXPR] [--input SHAPE] [--backend wasm|cpu|node|node-gpu]
                        [--runs N] [--warmup N] [--batch N] [--json]

Statically analyses a Keras or PyTorch model in FILE (without running Python). \`summary\` prints its
layers, output shapes, params, MACs, residual blocks and stages; \`report\` writes a self-contained HTML
page with the interactive graph and tables (opens from disk, no server, no network); \`profile\`
measures each layer's latency with TensorFlow.js (see docs/profiling.md).

Options:
  --entry EXPR    The Python expression that builds the model, e.g. --entry "resnet50()".
  --input SHAPE   Input shape including batch, e.g. --input 1,3,224,224; several inputs separated
                  by ';', e.g. --input "1,3,224,224;1,10".
  --json          Print the summary as JSON instead of a table (summary only).
  -o, --output F  The HTML file \`report\` writes, e.g. -o model.html.
  --profile F     A profile result (\`resgraph profile --json\` output or one saved by the extension) to
                  show as latency in the report (report only).
  -h, --help      Show this help.
  -V, --version   Show the version.

Exit codes: 0 a graph was produced (maybe partial: totals that are lower bounds say "incomplete"),
1 nothing could be analysed (no model, or a graph with no layers, whose empty table is still
printed), 2 bad arguments or an unreadable file.`;

const TRY_HELP = "Run `resgraph --help` for usage.";

export function parseArgs(argv: string[]): ParseResult {
  if (argv.length === 0) return error(`No command given. ${USAGE}`);
  if (argv.some((a) => a === "--help" || a === "-h")) return ok({ kind: "help" });
  if (argv.some((a) => a === "--version" || a === "-V")) return ok({ kind: "version" });
  const [command, ...rest] = argv;
  if (command !== "summary" && command !== "report") {
    return error(`Unknown command "${command}"; the commands are \`summary\`, \`report\` and \`profile\`, e.g. resgraph summary model.py. ${TRY_HELP}`);
  }

  let file: string | undefined;
  let entry: string | undefined;
  let input: number[][] | undefined;
  let json = false;
  let output: string | undefined;
  let profile: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inlineValue = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inlineValue ?? (i + 1 < rest.length ? rest[++i] : undefined);

    if (flag === "-o" || flag === "--output") {
      if (command !== "report") return error(`${flag} belongs to \`report\`; \`summary\` prints to the terminal. ${TRY_HELP}`);
      const v = value();
      if (v === undefined || v.trim() === "") return error(`${flag} needs the HTML file to write, e.g. -o model.html.`);
      output = v;
    } else if (flag === "--profile") {
      if (command !== "report") return error(`--profile belongs to \`report\`; to measure latency run \`resgraph profile\`. ${TRY_HELP}`);
      const v = value();
      if (v === undefined || v.trim() === "") return error(`--profile needs a profile result JSON file, e.g. --profile resnet18.profile.json.`);
      profile = v;
    } else if (flag === "--json") {
      if (command === "report") return error(`--json belongs to \`summary\`; \`report\` writes HTML. ${TRY_HELP}`);
      if (inlineValue !== undefined) return error(`--json takes no value; write just --json. ${TRY_HELP}`);
      json = true;
    } else if (flag === "--entry") {
      const v = value();
      if (v === undefined || v.trim() === "") return error(`--entry needs a Python expression, e.g. --entry "resnet50()".`);
      entry = v.trim();
    } else if (flag === "--input") {
      const v = value();
      if (v === undefined) return error(`--input needs a shape, e.g. --input 1,3,224,224.`);
      const parsed = parseShapes(v);
      if (typeof parsed === "string") return error(parsed);
      input = parsed;
    } else if (arg.startsWith("-") && arg !== "-") {
      return error(`Unknown option "${flag}". ${TRY_HELP}`);
    } else if (file === undefined) {
      file = arg;
    } else {
      return error(`Only one FILE can be summarised at a time, got "${file}" and "${arg}".`);
    }
  }
  if (file === undefined) return error(`No FILE given; write e.g. resgraph ${command} model.py. ${TRY_HELP}`);
  if (command === "report") {
    if (output === undefined) return error(`\`report\` needs the HTML file to write; add e.g. -o model.html. ${TRY_HELP}`);
    const report: CliCommand = { kind: "report", file, output };
    if (entry !== undefined) report.entry = entry;
    if (input !== undefined) report.input = input;
    if (profile !== undefined) report.profile = profile;
    return ok(report);
  }
  const command_: CliCommand = { kind: "summary", file, json };
  if (entry !== undefined) command_.entry = entry;
  if (input !== undefined) command_.input = input;
  return ok(command_);
}

/** "1,3,224,224;1,10" -> [[1,3,224,224],[1,10]], or a sentence saying what is wrong. */
export function parseShapes(text: string): number[][] | string {
  const parts = text.split(";").map((p) => p.trim());
  const shapes: number[][] = [];
  for (const part of parts) {
    const dims = part.replace(/^[[(]|[\])]$/g, "").split(",").map((d) => d.trim());
    if (part === "" || dims.some((d) => !/^[1-9][0-9]*$/.test(d))) {
      return `The --input shape "${text}" is not a list of positive integers; write it like --input 1,3,224,224 (several inputs separated by ';').`;
    }
    shapes.push(dims.map(Number));
  }
  return shapes;
}

function ok(command: CliCommand): ParseResult {
  return { kind: "ok", command };
}

function error(message: string): ParseResult {
  return { kind: "error", message };
}
