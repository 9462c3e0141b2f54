// CLI entry point (bundled to dist/cli.js, started by bin/resgraph.js): wires the real process,
// file system and analyzer into runCli.

import { readFileSync } from "node:fs";
import { analyze } from "../analyze";
import { runCli } from "./run";
import packageJson from "../../package.json";

const code = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, "utf8"),
  analyze,
  version: packageJson.version,
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
});
process.exitCode = code;
